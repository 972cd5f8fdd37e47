/** The emulator's output. Request lines never contain headers, bodies or keys. */

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/** `PUT /v1/streams/orders/record 200 3.1ms`: method, path without query string, status, duration. */
export function requestLine(method: string, path: string, status: number, ms: number): string {
  return `${method} ${path} ${status} ${ms.toFixed(1)}ms`;
}
