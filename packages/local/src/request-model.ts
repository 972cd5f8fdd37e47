/**
 * Method request validation, as API Gateway's request validator does it: required parameters present,
 * and the body valid against the method's model.
 *
 * The deployed API's models are the draft-04 JSON Schemas that infra generates from the contract's zod
 * schemas, and those forbid unknown fields (`additionalProperties: false`) where `safeParse` of the zod
 * object would merely strip them. So the body is checked against that same JSON Schema, turned back into
 * a validator by zod itself; the contract's schema stays the one source.
 */
import type { OperationSpec } from '@kproxy/contract';
import * as z from 'zod';
import * as zm from 'zod/mini';

export interface ParsedParams {
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A parameter API Gateway's validator counts as missing: absent, or blank (empty or only spaces). */
const isBlank = (value: string | string[] | undefined): boolean =>
  value === undefined || (Array.isArray(value) ? value.join(',') : value).trim() === '';

/**
 * Names of required parameters the request lacks, in the order the operation declares them. AWS: "The
 * required request parameters in the URI, query string, and headers of an incoming request are included
 * and not blank" — so `?shard-id=` is missing too.
 */
export function missingParameters(operation: OperationSpec, params: ParsedParams): string[] {
  return operation.params
    .filter((param) => param.required)
    .filter((param) => {
      if (param.in === 'path') return isBlank(params.path[param.name]);
      if (param.in === 'query') return isBlank(params.query[param.name]);
      return isBlank(params.headers[param.name.toLowerCase()]);
    })
    .map((param) => param.name);
}

type Validator = (value: unknown) => boolean;
const validators = new WeakMap<OperationSpec, Validator>();

function validatorFor(operation: OperationSpec): Validator {
  let validator = validators.get(operation);
  if (!validator) {
    const body = operation.body;
    if (!body) validator = () => true;
    else {
      const model = z.fromJSONSchema(zm.toJSONSchema(body, { target: 'draft-04' }) as never);
      validator = (value) => model.safeParse(value).success;
    }
    validators.set(operation, validator);
  }
  return validator;
}

/**
 * Parses and validates the body of a method with a model. Returns the parsed body, or undefined when
 * the body is not JSON or fails the model (API Gateway: 400 "Invalid request body"). An empty body is
 * validated as `{}`.
 */
export function validateBody(operation: OperationSpec, text: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
  return validatorFor(operation)(value) ? { value } : undefined;
}
