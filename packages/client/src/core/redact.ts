/** Headers that carry credentials; hooks see `[REDACTED]` instead of their values. */
const SECRET_HEADERS = new Set(['authorization', 'x-amz-security-token', 'x-api-key']);

export const REDACTED = '[REDACTED]';

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  }
  return out;
}
