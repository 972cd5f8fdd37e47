/**
 * Checks an OpenAPI document with a real validator (@readme/openapi-parser): the OpenAPI 3.0 schema
 * plus rules the schema cannot express (unique operationIds, path parameters declared, …).
 */
import { compileErrors, validate } from '@readme/openapi-parser';
import type { OpenApiDocument } from './openapi.ts';

export interface OpenApiValidation {
  readonly valid: boolean;
  /** Human-readable errors; empty when valid. */
  readonly errors: string;
}

export async function validateOpenApi(document: OpenApiDocument): Promise<OpenApiValidation> {
  // The validator resolves `$ref`s in place: give it a copy so the caller's document stays as built.
  const copy = structuredClone(document) as unknown as Parameters<typeof validate>[0];
  const result = await validate(copy);
  return { valid: result.valid, errors: result.valid ? '' : compileErrors(result) };
}
