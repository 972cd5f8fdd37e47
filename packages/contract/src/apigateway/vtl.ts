/**
 * The escaping helpers of the mapping templates: the only TypeScript inside them. Every value a caller
 * controls reaches the Kinesis request through one of these or through `$input.json`, so none can add,
 * remove or change a field, and the request is valid JSON whatever the caller sent:
 *
 * - `quoted($x)`: a JSON string. `$util.escapeJavaScript` escapes `"`, `\`, control characters and
 *   non-ASCII, but also turns `'` into `\'`, which is not valid JSON; AWS's reference says to turn it back
 *   with `.replaceAll("\\'","'")` ("the escaped single quotes are not valid in JSON"), which is done here.
 * - `number($x)`: a JSON number when the text is one, else the text as a JSON string, which Kinesis
 *   refuses for a numeric field with its own error (API Gateway does not check query-string values).
 * - body values go through `$input.json(path)`, which writes any JSON value as JSON (`""` when absent).
 */

/** The VTL expression `ref` (e.g. `$input.params('shard-id')` or `$start`) as a JSON string. */
export const quoted = (ref: string): string => `"$util.escapeJavaScript(${ref}).replaceAll("\\\\'","'")"`;

/** A JSON number: optional minus, no leading zeros, optional fraction and exponent. */
const JSON_NUMBER = '-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?';

/** The VTL reference `ref` (e.g. `$limit`) as a JSON number, or as a JSON string when it is not one. */
export const number = (ref: string): string =>
  `#if(${ref}.matches('${JSON_NUMBER}'))${ref}#else${quoted(ref)}#end`;
