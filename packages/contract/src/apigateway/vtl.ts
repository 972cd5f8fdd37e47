/**
 * Building blocks of the request mapping templates. Every value a caller controls reaches the Kinesis
 * request through one of these, so none can add or change a field:
 *
 * - request parameters (path, query, header) go through `$util.escapeJavaScript`, which escapes `"`,
 *   `\`, control characters and non-ASCII; a quote in the value cannot end the JSON string;
 * - body strings go through `$input.json(path)`, which API Gateway serialises as a JSON string literal
 *   (quotes included), so no escaping rules of our own are involved;
 * - numbers from parameters are inserted unquoted but escaped: a hostile value can only make the JSON
 *   invalid (no `"` survives, so no key can be written), never add a key.
 */

/** The escaped value of a request parameter, for use inside a JSON string: `"${param('x')}"`. */
export const param = (name: string): string => `$util.escapeJavaScript($input.params('${name}'))`;

/** A request parameter as a quoted JSON string. */
export const quotedParam = (name: string): string => `"${param(name)}"`;

/** `#set` of a request parameter into a template variable; API Gateway yields "" when it is absent. */
export const setParam = (variable: string, name: string): string =>
  `#set($${variable} = $input.params('${name}'))`;
