/**
 * `--query`: a JMESPath expression applied to a command's JSON result before it is printed, as the
 * AWS CLI applies it. Loaded only when `--query` is given.
 *
 * The library is `@jmespath-community/jmespath` (typed, maintained, tested against the JMESPath
 * compliance suite). Legacy literals are on, as in the AWS CLI's jmespath.py: `` `running` `` (a
 * backquoted literal that is not JSON) is the string "running", so queries copied from AWS's
 * documentation work unchanged.
 */
import { compile, type JSONValue, TreeInterpreter } from '@jmespath-community/jmespath';
import { UsageError } from './errors.ts';

export type Query = (value: unknown) => unknown;

export function compileQuery(expression: string): Query {
  let ast: ReturnType<typeof compile>;
  try {
    ast = compile(expression, { enable_legacy_literals: true });
  } catch (error) {
    throw new UsageError(
      `--query "${expression}" is not a JMESPath expression: ${(error as Error).message}`,
      "See https://jmespath.org/tutorial.html; quote the expression for the shell, e.g. --query 'StreamNames[0]'.",
    );
  }
  return (value) => {
    try {
      return TreeInterpreter.search(ast, value as JSONValue);
    } catch (error) {
      throw new UsageError(`--query "${expression}" failed on the result: ${(error as Error).message}`);
    }
  };
}

const scalar = (value: unknown): string =>
  value === null || value === undefined
    ? 'None'
    : typeof value === 'boolean'
      ? value
        ? 'True'
        : 'False'
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);

const isScalar = (value: unknown) => value === null || typeof value !== 'object';

/**
 * A query's result as `aws --output text` prints the common cases: a value on its own line, a list of
 * values tab-separated on one line, a list of lists one line per list. Anything else is printed as
 * JSON, one line.
 */
export function queryText(value: unknown): string[] {
  if (isScalar(value)) return [scalar(value)];
  if (Array.isArray(value)) {
    if (value.every(isScalar)) return value.length === 0 ? [] : [value.map(scalar).join('\t')];
    if (value.every((row) => Array.isArray(row) && row.every(isScalar))) {
      return (value as unknown[][]).map((row) => row.map(scalar).join('\t'));
    }
  }
  return [JSON.stringify(value)];
}
