/**
 * Applies the contract's integration responses to Kinesis's answer, as API Gateway does for an AWS
 * integration: the response whose selection pattern matches the backend status (the default one when
 * none does), its template rendered over Kinesis's body with `$context.responseOverride` honoured, or
 * the body passed through when it has no template.
 */
import { INTEGRATION_RESPONSES, type IntegrationResponseSpec } from '@kproxy/contract';
import type { KinesisResponse } from './kinesis/call.ts';
import type { TemplateContext } from './vtl/context.ts';
import { createInput, type RequestParams } from './vtl/input.ts';
import { renderTemplate } from './vtl/render.ts';

export interface MethodResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const compiledPatterns = new Map<string, RegExp>();

/** Selection patterns are Java regexes matched against the whole status string. */
function matches(pattern: string, status: number): boolean {
  let regex = compiledPatterns.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`);
    compiledPatterns.set(pattern, regex);
  }
  return regex.test(String(status));
}

export function selectIntegrationResponse(
  status: number,
  responses: readonly IntegrationResponseSpec[] = INTEGRATION_RESPONSES,
): IntegrationResponseSpec | undefined {
  return (
    responses.find((r) => r.selectionPattern !== undefined && matches(r.selectionPattern, status)) ??
    responses.find((r) => r.selectionPattern === undefined)
  );
}

export function applyIntegrationResponse(
  backend: KinesisResponse,
  params: RequestParams,
  context: TemplateContext,
  responses: readonly IntegrationResponseSpec[] = INTEGRATION_RESPONSES,
): MethodResponse {
  const selected = selectIntegrationResponse(backend.status, responses);
  // Without any matching response API Gateway passes the backend status through.
  if (!selected) return { status: backend.status, headers: {}, body: backend.body };
  if (selected.template === undefined) {
    return { status: selected.statusCode, headers: {}, body: backend.body };
  }
  const body = renderTemplate(selected.template, { input: createInput(backend.body, params), context });
  const override = Number(context.responseOverride.status);
  const status =
    Number.isInteger(override) && override >= 100 && override <= 599 ? override : selected.statusCode;
  return { status, headers: { ...context.responseOverride.header }, body };
}
