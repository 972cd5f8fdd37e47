/**
 * Renders API Gateway mapping templates with velocityjs. Templates are parsed once and cached: the
 * contract has a handful, and parsing costs more than rendering.
 */
import { Compile, parse } from 'velocityjs';
import type { TemplateContext } from './context.ts';
import type { TemplateInput } from './input.ts';
import { util } from './util.ts';

const compiled = new Map<string, Compile>();

function compile(template: string): Compile {
  let entry = compiled.get(template);
  if (!entry) {
    // escape: false — API Gateway does not HTML-escape references.
    entry = new Compile(parse(template), { escape: false });
    compiled.set(template, entry);
  }
  return entry;
}

export interface TemplateVariables {
  readonly input: TemplateInput;
  readonly context: TemplateContext;
  readonly stageVariables?: Readonly<Record<string, string>>;
}

/** Renders `template` with `$input`, `$util`, `$context` and `$stageVariables`. */
export function renderTemplate(template: string, variables: TemplateVariables): string {
  return compile(template).render({
    input: variables.input,
    context: variables.context,
    util,
    stageVariables: variables.stageVariables ?? {},
  });
}
