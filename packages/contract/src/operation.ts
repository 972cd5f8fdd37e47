/**
 * The shape of one API method: how a client calls it and which Kinesis action it becomes. The API
 * Gateway mapping templates that turn the one into the other are in `apigateway/`.
 */
import type * as z from 'zod/mini';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A request parameter of a method: a path segment, a query-string parameter or a header. */
export interface ParamSpec {
  /** The name as the caller sends it (`stream-name`, `shard-id`, `Shard-Iterator`). */
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description: string;
  /** What a valid value looks like; the client checks it before sending. */
  readonly schema: z.ZodMiniType<string>;
}

export interface OperationSpec<
  Id extends string = string,
  Body extends z.ZodMiniType | undefined = z.ZodMiniType | undefined,
  Output extends z.ZodMiniType = z.ZodMiniType,
> {
  /** The client's method name. */
  readonly id: Id;
  /** The Kinesis API action the integration calls (`X-Amz-Target: Kinesis_20131202.<action>`). */
  readonly action: string;
  readonly method: HttpMethod;
  /** Resource path below the stage, with `{name}` placeholders for path parameters. */
  readonly path: string;
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  /** The method request model (JSON body), when the method takes one. */
  readonly body: Body;
  /** Kinesis's answer, as the API passes it through. */
  readonly output: Output;
}

/** Kinesis speaks JSON 1.1; every integration request sets this content type. */
export const KINESIS_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** `X-Amz-Target` prefix of the Kinesis Data Streams API version the templates target. */
export const KINESIS_TARGET_PREFIX = 'Kinesis_20131202';
/** The only request content type the methods have a template for (passthrough is NEVER). */
export const REQUEST_CONTENT_TYPE = 'application/json';

/**
 * Fills the `{name}` placeholders of an operation's path, percent-encoding each value.
 * Throws when a placeholder has no value, so a malformed URL is never sent.
 */
export function expandPath(path: string, values: Readonly<Record<string, string>>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TypeError(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
}
