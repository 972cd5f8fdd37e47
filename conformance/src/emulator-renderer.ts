/**
 * The side under test: the emulator's own template environment (`@kproxy/local`'s `renderTemplate`,
 * `createInput`, `createContext`), producing the bytes the emulator sends to Kinesis.
 */
import {
  createContext,
  createInput,
  javaUtf8Bytes,
  renderTemplate,
  type TemplateContext,
} from '@kproxy/local';
import type { RenderRequest, RenderResult } from './java-renderer.ts';

/** The `$context` every case renders with (both engines get the same values). */
export function caseContext(httpMethod: string, resourcePath: string): TemplateContext {
  return createContext({
    requestId: 'c0ffee00-0000-4000-8000-000000000001',
    stage: 'v1',
    httpMethod,
    resourcePath,
    path: `/v1${resourcePath}`,
    domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
    sourceIp: '198.51.100.7',
    userAgent: 'kproxy-conformance/1.0',
    now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
  });
}

/** `$context` as dotted keys and text values, for the Java renderer (null leaves are left out). */
export function flattenContext(context: TemplateContext): Record<string, string> {
  const flat: Record<string, string> = {};
  const visit = (value: unknown, prefix: string) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) visit(child, prefix ? `${prefix}.${key}` : key);
    } else flat[prefix] = String(value);
  };
  const { responseOverride: _ignored, ...rest } = context;
  visit(rest, '');
  return flat;
}

export function renderWithEmulator(request: RenderRequest, context: TemplateContext): RenderResult {
  try {
    const input = createInput(request.body, {
      path: request.path,
      querystring: request.querystring,
      header: request.header,
    });
    const output = renderTemplate(request.template, { input, context });
    const status = context.responseOverride.status;
    return {
      ok: true,
      output: javaUtf8Bytes(output),
      status: status === undefined ? undefined : String(status),
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
