/**
 * Turns any error into one line and a hint the user can act on, in the CLI's own words (flags and
 * commands, never the client's option names).
 *
 * What an API error is, and its neutral hint, come from the contract's one error table through the
 * client (`ApiError.classification`, `classifyError`, and `findGatewayError` for API Gateway's own
 * answers); this module only adds the kproxy command or flag that helps next. Anything unexpected is
 * reported as a bug, with its stack only under `--debug`.
 */
import {
  type ApiError,
  classifyError,
  isApiError,
  isConnectionError,
  isInputError,
  isKproxyError,
  isResponseValidationError,
  isTimeoutError,
} from '@kproxy/client';
import {
  findGatewayError,
  GATEWAY_ERRORS,
  type GatewayErrorSpec,
  LOCAL_DEFAULT_ENDPOINT,
} from '@kproxy/contract';
import { CliError } from './errors.ts';
import { ExitCode } from './exit-codes.ts';

export interface ErrorReport {
  message: string;
  hint?: string | undefined;
  exitCode: ExitCode;
}

export interface ErrorContext {
  /** The endpoint the command talked to, when it got that far. */
  endpoint?: string | undefined;
  auth?: string | undefined;
  /** The AWS profile kproxy asked the credential chain for (--profile, or the kproxy profile's awsProfile). */
  awsProfile?: string | undefined;
  /** The command that ran (`put-records`). */
  command?: string | undefined;
  /** The stream it was about, when it takes one. */
  streamName?: string | undefined;
  /** The command's flags for client parameter names (`limit` → `--page-size`), over the usual ones. */
  fieldFlags?: Readonly<Record<string, string>> | undefined;
}

export function reportError(error: unknown, context: ErrorContext = {}): ErrorReport {
  if (error instanceof CliError)
    return { message: error.message, hint: error.hint, exitCode: error.exitCode };
  if (isInputError(error)) {
    // Checked before anything was sent: the command line (or an input line) carried a bad value.
    return { message: inCliTerms(error.message, error.field, context.fieldFlags), exitCode: ExitCode.Usage };
  }
  if (isConnectionError(error)) return connectionReport(error, context);
  if (isApiError(error)) return { ...apiReport(error, context), exitCode: ExitCode.Error };
  if (isResponseValidationError(error)) {
    return {
      message: `The API answered with a response kproxy does not understand: ${error.message}`,
      hint: 'Check that --endpoint is the stage URL of a kproxy API (e.g. …/v1), not another service.',
      exitCode: ExitCode.Error,
    };
  }
  if (isKproxyError(error)) {
    const hint =
      error.name === 'StreamWaitTimeoutError'
        ? `Raise --wait-timeout (seconds), or check later with \`kproxy describe-stream ${stream(context)}\`.`
        : classifyError(error).hint;
    return {
      message: inCliTerms(error.message, undefined, context.fieldFlags),
      hint,
      exitCode: ExitCode.Error,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    message: `Unexpected error: ${message}`,
    hint: 'This looks like a bug in kproxy; rerun with --debug for the stack trace and report it.',
    exitCode: ExitCode.Error,
  };
}

// ---------------------------------------------------------------------------------------------
// The client's parameter names, in the CLI's terms
// ---------------------------------------------------------------------------------------------

/** Client parameter (or option) names and the flag or words a kproxy user knows them by. */
const FIELD_FLAGS: Readonly<Record<string, string>> = {
  'limits.maxRecordBytes': '--max-record-size',
  streamName: 'NAME',
  shardCount: '--shard-count',
  streamMode: '--on-demand',
  partitionKey: '--partition-key',
  explicitHashKey: '--explicit-hash-key',
  shardId: '--shard-id',
  startingSequenceNumber: '--sequence-number',
  shardIterator: '--shard-iterator',
  exclusiveStartStreamName: '--starting-token',
  exclusiveStartShardId: '--starting-token',
  timestamp: '--timestamp',
  limit: '--limit',
  data: 'the record data',
};

/**
 * `shardCount must be an integer from 1 to 100000 (got 0)` → `--shard-count must be …`: the leading
 * field becomes its flag, and camelCase client names elsewhere in the text (`Leave shardCount out`,
 * `raise limits.maxRecordBytes`) too. Plain words (`limit`, `data`) are only replaced as the field.
 */
export function inCliTerms(
  message: string,
  field: string | undefined,
  overrides: Readonly<Record<string, string>> = {},
): string {
  const flags = { ...FIELD_FLAGS, ...overrides };
  let text = message;
  if (field !== undefined && text.startsWith(field)) {
    const bare = field.replace(/\[\d+\]/g, '');
    const flag = flags[field] ?? flags[bare] ?? flags[bare.split('.').at(-1) ?? bare];
    if (flag) text = `${flag}${text.slice(field.length)}`;
  }
  for (const [name, flag] of Object.entries(flags)) {
    if (!/[A-Z.]/.test(name)) continue;
    text = text.replace(new RegExp(`(?<![\\w.-])${name.replace('.', '\\.')}(?![\\w])`, 'g'), flag);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Connection errors
// ---------------------------------------------------------------------------------------------

function connectionReport(error: Error, context: ErrorContext): ErrorReport {
  const endpoint = context.endpoint ?? 'the endpoint';
  if (isTimeoutError(error)) {
    return {
      message: `No answer from ${endpoint} in time: ${error.message}`,
      hint: 'Raise --timeout (seconds), or check that the endpoint is reachable.',
      exitCode: ExitCode.Error,
    };
  }
  const hint =
    context.endpoint === undefined || context.endpoint === LOCAL_DEFAULT_ENDPOINT
      ? 'Start the emulator with `kproxy local` (in another terminal), or point kproxy at your API with --endpoint, KPROXY_ENDPOINT or `kproxy configure`.'
      : 'Check the endpoint URL (--endpoint, KPROXY_ENDPOINT or `kproxy configure`) and your network.';
  return {
    message: `Cannot connect to ${endpoint}: ${error.message}`,
    hint,
    exitCode: ExitCode.Error,
  };
}

// ---------------------------------------------------------------------------------------------
// API errors: the contract's classification, plus what to run next
// ---------------------------------------------------------------------------------------------

function apiReport(error: ApiError, context: ErrorContext): { message: string; hint?: string } {
  const requestId =
    error.requestId && !error.message.includes(error.requestId) ? ` (request id ${error.requestId})` : '';
  // The client's message carries the neutral hint in parentheses; the CLI shows it as the hint line.
  const core = error.hint ? error.message.replace(` (${error.hint})`, '') : error.message;
  const next = nextStep(error, context);
  const neutral = next?.instead ? undefined : error.classification.hint;
  const hint = [neutral, next?.text].filter(Boolean).join(' ') || undefined;
  return { message: `${core}${requestId}`, ...(hint ? { hint } : {}) };
}

/** The stream named in the command, for hints that show a command to run. */
const stream = (context: ErrorContext) => context.streamName ?? 'NAME';

/** A hint added after the table's, or (`instead`) one that says more precisely what the table's says. */
interface Step {
  text: string;
  instead?: boolean;
}

const step = (text: string | undefined, instead = false): Step | undefined =>
  text === undefined ? undefined : { text, instead };

/** What to run or change next, by the kind of error the contract's table gave it. */
function nextStep(error: ApiError, context: ErrorContext): Step | undefined {
  // Kinesis's message names what went wrong more precisely than its error type.
  const kinesisMessage = error.kinesisType ? bodyMessage(error.body) : '';
  switch (error.classification.errorClass) {
    case 'NotFoundError':
      // "Shard shardId-… in stream … does not exist" vs "Stream … under account … not found."
      return /^\s*Shard\b/i.test(kinesisMessage)
        ? step(
            `That shard is not in the stream: list its shards with \`kproxy describe-stream ${stream(context)}\`.`,
            true,
          )
        : step('List the streams with `kproxy list-streams`.');
    case 'ConflictError':
      return /already exists/i.test(kinesisMessage)
        ? step(
            `A stream of that name exists already: use it (\`kproxy describe-stream ${stream(context)}\`), or choose another name.`,
            true,
          )
        : step(
            `Check its status with \`kproxy describe-stream ${stream(context)}\`; create-stream and delete-stream take --wait.`,
          );
    case 'ThrottledError':
      return step(
        context.command === 'put-records'
          ? 'kproxy retried with backoff; lower --concurrency, or retry later.'
          : 'kproxy retried with backoff; retry later.',
      );
    case 'ExpiredIteratorError':
      return step(
        'Get a new one with `kproxy get-shard-iterator`, or read the whole stream with `kproxy tail`.',
      );
    case 'AuthError':
      return step(authStep(error, context));
    case 'ValidationError':
      return step('Run the command with --debug to see the request.');
    default:
      return undefined;
  }
}

/** Flags that fix each of API Gateway's refusals, and the credential chain's failures. */
function authStep(error: ApiError, context: ErrorContext): string | undefined {
  if (error.status === 0) {
    // The credentials could not be had; nothing was sent.
    return context.awsProfile
      ? 'The profile comes from --profile, AWS_PROFILE, or awsProfile in the kproxy profile (`kproxy configure --aws-profile NAME`).'
      : 'Or name an AWS profile with --profile NAME (or AWS_PROFILE); the local emulator needs none (--auth none).';
  }
  const spec = findGatewayError(error.status, bodyMessage(error.body) || undefined, error.gatewayErrorType);
  const is = (known: GatewayErrorSpec) => spec === known;
  if (is(GATEWAY_ERRORS.missingAuthenticationToken)) {
    return context.auth === 'iam'
      ? 'Check the stage in --endpoint and --region (the API’s region).'
      : 'Check the stage in --endpoint; a method with IAM auth needs --auth iam.';
  }
  if (is(GATEWAY_ERRORS.forbidden)) {
    return context.auth === 'api-key'
      ? 'Check the key given with --api-key (or KPROXY_API_KEY, or `kproxy configure`).'
      : 'Pass it with --auth api-key --api-key KEY (or KPROXY_API_KEY).';
  }
  // Which keys were used, so the user knows which profile to fix.
  const keys = context.awsProfile ? ` kproxy signed with AWS profile "${context.awsProfile}".` : '';
  if (is(GATEWAY_ERRORS.invalidSignature) || is(GATEWAY_ERRORS.wrongScope))
    return `The region is set by --region or the AWS profile’s region.${keys}`;
  if (is(GATEWAY_ERRORS.unrecognizedClient) || is(GATEWAY_ERRORS.expiredToken)) {
    return context.awsProfile
      ? `kproxy signed with AWS profile "${context.awsProfile}" (--profile, AWS_PROFILE or the kproxy profile's awsProfile); AWS_ACCESS_KEY_ID in the environment would come first.`
      : 'kproxy signs with AWS_ACCESS_KEY_ID / AWS_SESSION_TOKEN, else the profile of --profile (or AWS_PROFILE).';
  }
  if (spec === undefined && error.kinesisType === undefined) {
    return 'Check the credentials and the auth mode (--auth iam|api-key|none).';
  }
  return undefined;
}

function bodyMessage(body: unknown): string {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null) {
    const { message, Message } = body as { message?: unknown; Message?: unknown };
    if (typeof message === 'string') return message;
    if (typeof Message === 'string') return Message;
  }
  return '';
}
