/**
 * `$input` of API Gateway mapping templates: the payload (request body, or the integration's response
 * body in a response template) and the method request's parameters.
 */
import { evaluateJsonPath } from './jsonpath.ts';

/** The method request's parameters, as API Gateway hands them to templates. */
export interface RequestParams {
  /** Path parameters, percent-decoded. */
  readonly path: Readonly<Record<string, string>>;
  /** Query-string parameters, percent-decoded; the last value wins when a name repeats. */
  readonly querystring: Readonly<Record<string, string>>;
  /** Headers with the names the caller sent. */
  readonly header: Readonly<Record<string, string>>;
}

export interface TemplateInput {
  readonly body: string;
  json(path?: string): string;
  path(path?: string): unknown;
  params(): RequestParams;
  params(name: string): string;
}

function findHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
}

/**
 * Builds `$input` over a payload.
 * - `body`: the raw payload text.
 * - `path(p)`: the value at JSONPath `p` as a template object (absent values are null in VTL).
 * - `json(p)`: the same value as JSON text, e.g. a string with its quotes and escapes; "" when absent.
 * - `params(name)`: the named parameter from the path, then the query string, then the headers
 *   (case-insensitively), or "" when there is none; `params()` returns all three maps.
 * An empty payload is read as `{}`, a payload that is not JSON as absent. `parsedPayload` saves parsing
 * the payload again when the caller already did.
 */
export function createInput(
  payload: string,
  params: RequestParams,
  parsedPayload?: { readonly value: unknown },
): TemplateInput {
  let parsed = parsedPayload;
  const document = (): unknown => {
    if (!parsed) {
      try {
        parsed = { value: payload.trim() === '' ? {} : JSON.parse(payload) };
      } catch {
        parsed = { value: undefined };
      }
    }
    return parsed.value;
  };

  return {
    body: payload,
    path: (path = '$') => evaluateJsonPath(document(), path),
    json: (path = '$') => {
      const value = evaluateJsonPath(document(), path);
      return value === undefined ? '' : JSON.stringify(value);
    },
    params: ((name?: string) => {
      if (name === undefined) return params;
      return params.path[name] ?? params.querystring[name] ?? findHeader(params.header, name) ?? '';
    }) as TemplateInput['params'],
  };
}
