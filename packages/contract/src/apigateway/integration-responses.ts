/**
 * Integration responses: how API Gateway turns Kinesis's answer into the method's answer.
 *
 * For AWS integrations the selection pattern is matched against Kinesis's HTTP status. Kinesis answers
 * every client error with 400, so the error template reads `__type` from the body and overrides the
 * status (`$context.responseOverride.status`) per `KINESIS_ERROR_STATUS`; the body is kept as Kinesis
 * sent it.
 */
import { KINESIS_ERROR_STATUS } from '../errors.ts';

export interface IntegrationResponseSpec {
  /** Regex on the backend status; absent for the default response. */
  readonly selectionPattern?: string;
  readonly statusCode: number;
  /** Response mapping template for `application/json`; absent means the body passes through. */
  readonly template?: string;
}

function errorStatusTemplate(): string {
  const branches = Object.entries(KINESIS_ERROR_STATUS)
    .map(([type, status], i) => {
      const directive = i === 0 ? '#if' : '#elseif';
      return `${directive}($type.endsWith('${type}'))#set($context.responseOverride.status = ${status})`;
    })
    .join('\n');
  return `#set($type = $input.path('$.__type'))
#if($type)
${branches}
#end
#end
$input.json('$')`;
}

/** Kinesis error body in, same body out, with the status the error deserves. */
export const ERROR_RESPONSE_TEMPLATE = errorStatusTemplate();

export const INTEGRATION_RESPONSES: readonly IntegrationResponseSpec[] = [
  { statusCode: 200 },
  { selectionPattern: '4\\d{2}', statusCode: 400, template: ERROR_RESPONSE_TEMPLATE },
  { selectionPattern: '5\\d{2}', statusCode: 500, template: ERROR_RESPONSE_TEMPLATE },
];

/** Every status a method can answer with (declared as method responses in the deployed API). */
export const METHOD_RESPONSE_STATUSES: readonly number[] = [
  ...new Set([200, 400, 500, ...Object.values(KINESIS_ERROR_STATUS)]),
].sort((a, b) => a - b);
