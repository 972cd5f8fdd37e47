/**
 * JSONPath for `$input.json(path)` and `$input.path(path)`, with the results API Gateway gives.
 *
 * API Gateway evaluates paths with Jayway JsonPath: a *definite* path (only names and indexes, such as
 * `$.records[3]['partition-key']`) yields one value, or `NOT_FOUND` when absent (Jayway's
 * PathNotFoundException); any other path (wildcards, slices, filters, `..`) yields a list. An index
 * applied to something that is neither an array nor null is an error (Jayway's InvalidPathException),
 * and so is a path over a null document. Paths are parsed by `jsonpath-rfc9535` (a standard, dependency-free
 * parser) once and cached: a 500-record PutRecords template asks for ~1,000 distinct paths per request,
 * so definite paths are then evaluated by a plain property walk instead of the general evaluator.
 */
import { query } from 'jsonpath-rfc9535';
import parse from 'jsonpath-rfc9535/parser';
import { TemplateError } from './payload.ts';

/** What a definite path yields when the document has nothing there. */
export const NOT_FOUND: unique symbol = Symbol('NOT_FOUND');

type Step = string | number;

interface CompiledPath {
  /** The steps of a definite path; undefined for a path that can select several values. */
  readonly steps: readonly Step[] | undefined;
  readonly expression: string;
}

/** Distinct paths are few in practice; the bound only protects against templates that build them freely. */
const MAX_CACHED_PATHS = 20_000;
const cache = new Map<string, CompiledPath>();

function compile(expression: string): CompiledPath {
  const cached = cache.get(expression);
  if (cached) return cached;
  const ast = parse(expression);
  const steps: Step[] = [];
  let definite = true;
  for (const segment of ast.segments) {
    const node = segment.node;
    if (segment.type !== 'ChildSegment') definite = false;
    else if (node.type === 'MemberNameShorthand') steps.push(node.value);
    else if (node.type === 'BracketedSelection' && node.selectors.length === 1) {
      const selector = node.selectors[0]!;
      if (selector.type === 'NameSelector' || selector.type === 'IndexSelector') steps.push(selector.value);
      else definite = false;
    } else definite = false;
    if (!definite) break;
  }
  const compiled = { expression, steps: definite ? steps : undefined };
  if (cache.size >= MAX_CACHED_PATHS) cache.clear();
  cache.set(expression, compiled);
  return compiled;
}

function walk(document: unknown, steps: readonly Step[], expression: string): unknown {
  let current = document;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) {
        if (current === null) return NOT_FOUND;
        throw new TemplateError(`Filter: [${step}] can only be applied to arrays (in ${expression})`);
      }
      // Jayway 2.0 finds nothing at a negative index of a definite path.
      if (step < 0 || step >= current.length) return NOT_FOUND;
      current = current[step];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return NOT_FOUND;
      if (!Object.hasOwn(current, step)) return NOT_FOUND;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

/**
 * Evaluates `expression` against a parsed JSON document: the value of a definite path (`NOT_FOUND` when
 * absent), or the array of matches of any other path.
 * @throws for a malformed path, an index on a non-array, or a null document (API Gateway answers 500).
 */
export function evaluateJsonPath(document: unknown, expression: string): unknown {
  const { steps } = compile(expression);
  if (document === null) throw new TemplateError(`JSONPath ${expression} over a null document`);
  if (steps) return walk(document, steps, expression);
  // biome-ignore lint/suspicious/noExplicitAny: the evaluator's JsonValue type is what JSON.parse returns.
  return query(document as any, expression);
}
