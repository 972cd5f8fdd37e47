/**
 * Integration responses: how API Gateway turns Kinesis's answer into the method's answer.
 *
 * For AWS integrations the selection pattern is matched against Kinesis's HTTP status. Kinesis answers
 * every client error with 400, so the error template reads `__type` from the body and overrides the
 * status (`$context.responseOverride.status`) with the status `KINESIS_ERRORS` gives the type; the body
 * is kept as Kinesis sent it. `__type` comes namespaced (`com.amazonaws.kinesis.v20131202#Name`) or with
 * a `:http://internal.amazon.com/…` suffix (the form of `x-amzn-ErrorType`): the template takes the name
 * between the last `#` and the first `:` after it, as `kinesisErrorName` does, so it and
 * `statusForKinesisError` give every type the same status.
 */
import { KINESIS_ERRORS } from '../errors.ts';

export interface IntegrationResponseSpec {
  /** Regex on the backend status; absent for the default response. */
  readonly selectionPattern?: string;
  readonly statusCode: number;
  /** Response mapping template for `application/json`; absent means the body passes through. */
  readonly template?: string;
}

/** `'ResourceNotFoundException': 404,` … one line per entry of the error table. */
const statusTable = Object.entries(KINESIS_ERRORS)
  .map(([name, spec]) => `  '${name}': ${spec.status}`)
  .join(',\n');

/** Kinesis error body in, same body out, with the status the error deserves. */
export const ERROR_RESPONSE_TEMPLATE = `#set($statuses = {
${statusTable}
})
#set($type = "$!input.path('$.__type')")
#set($afterHash = $type.lastIndexOf('#') + 1)
#set($name = $type.substring($afterHash))
#set($colon = $name.indexOf(':'))
#if($colon >= 0)
#set($name = $name.substring(0, $colon))
#end
#if($statuses[$name])
#set($context.responseOverride.status = $statuses[$name])
#end
$input.json('$')`;

export const INTEGRATION_RESPONSES: readonly IntegrationResponseSpec[] = [
  { statusCode: 200 },
  { selectionPattern: '4\\d{2}', statusCode: 400, template: ERROR_RESPONSE_TEMPLATE },
  { selectionPattern: '5\\d{2}', statusCode: 500, template: ERROR_RESPONSE_TEMPLATE },
];

/** Every status a method can answer with (declared as method responses in the deployed API). */
export const METHOD_RESPONSE_STATUSES: readonly number[] = [
  ...new Set([200, 400, 500, ...Object.values(KINESIS_ERRORS).map((spec) => spec.status)]),
].sort((a, b) => a - b);
