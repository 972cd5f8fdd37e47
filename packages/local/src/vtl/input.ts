/**
 * `$input` of API Gateway mapping templates: the payload (request body, or the integration's response
 * body in a response template) and the method request's parameters.
 */
import { jsonSmartStringify } from './java.ts';
import { evaluateJsonPath, NOT_FOUND } from './jsonpath.ts';
import { JsonPayload } from './payload.ts';

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

const own = (map: Readonly<Record<string, string>>, name: string): string | undefined =>
  Object.hasOwn(map, name) ? map[name] : undefined;

function findHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
}

/**
 * Builds `$input` over a payload.
 * - `body`: the raw payload text.
 * - `path(p)`: the value at JSONPath `p` ("" when there is none, as AWS's Kinesis tutorial relies on:
 *   `#if($input.path('$.ShardCount') == '')`).
 * - `json(p)`: the same value as JSON text, as json-smart writes it; `""` when there is none.
 * - `params(name)`: the named parameter from the path, then the query string, then the headers
 *   (case-insensitively), or "" when there is none; `params()` returns all three maps.
 * The payload is read as API Gateway's parser reads it (see `JsonPayload`): empty is `{}`; numbers keep
 * their Java type and text. A payload that is not JSON fails the template (API Gateway answers 500).
 * `parsedPayload` saves parsing the payload again when the caller already did.
 */
export function createInput(
  payload: string,
  params: RequestParams,
  parsedPayload?: { readonly value: unknown },
): TemplateInput {
  const document = new JsonPayload(payload, parsedPayload);
  return {
    body: payload,
    path: (path = '$') => {
      const value = evaluateJsonPath(document.document, path);
      return value === NOT_FOUND ? '' : value;
    },
    json: (path = '$') => {
      const value = evaluateJsonPath(document.document, path);
      return value === NOT_FOUND ? '""' : jsonSmartStringify(value);
    },
    params: ((name?: string) => {
      if (name === undefined) return params;
      return own(params.path, name) ?? own(params.querystring, name) ?? findHeader(params.header, name) ?? '';
    }) as TemplateInput['params'],
  };
}
