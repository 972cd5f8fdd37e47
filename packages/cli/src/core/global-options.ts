/**
 * Options every command accepts. Each setting is resolved flag > environment > config file profile >
 * local emulator default (see `config/resolve.ts`); the defaults here are left undefined so the
 * resolver can tell "not given" from "given".
 */
import type { InferredOptionType } from 'yargs';

export const GLOBAL_OPTIONS = {
  endpoint: {
    type: 'string',
    describe:
      'Stage URL of the API, e.g. https://<id>.execute-api.<region>.amazonaws.com/v1 [env: KPROXY_ENDPOINT]',
  },
  region: {
    type: 'string',
    describe: 'AWS region for signing [env: AWS_REGION, AWS_DEFAULT_REGION]',
  },
  profile: {
    type: 'string',
    describe:
      'Named profile: the kproxy config profile and the AWS credentials profile [env: KPROXY_PROFILE, AWS_PROFILE]',
  },
  auth: {
    type: 'string',
    choices: ['iam', 'api-key', 'none'],
    describe: 'How requests authenticate: SigV4 (iam), x-api-key header, or none [env: KPROXY_AUTH]',
  },
  'api-key': {
    type: 'string',
    describe: 'API key for --auth api-key [env: KPROXY_API_KEY]',
  },
  'stack-outputs': {
    type: 'string',
    describe:
      'Take endpoint, region and auth from a `cdk deploy --outputs-file` JSON file [env: KPROXY_STACK_OUTPUTS]',
  },
  timeout: {
    type: 'number',
    describe: 'Seconds to wait for each HTTP request [env: KPROXY_TIMEOUT]',
  },
  output: {
    type: 'string',
    choices: ['text', 'json'],
    describe: 'Result format on stdout; json prints what `aws kinesis` prints [env: KPROXY_OUTPUT]',
  },
  query: {
    type: 'string',
    describe: 'JMESPath expression applied to the JSON result, as with `aws --query` (implies --output json)',
  },
  'max-record-size': {
    type: 'string',
    describe:
      'Largest record (data + partition key) sent, e.g. 1MiB (default) up to 10MiB, for streams whose limit was raised [env: KPROXY_MAX_RECORD_SIZE]',
  },
  debug: {
    type: 'boolean',
    describe: 'Show requests, responses (secrets redacted) and error stacks on stderr',
  },
  color: {
    type: 'boolean',
    describe: 'Colors on stderr; --no-color (or NO_COLOR) turns them off',
  },
} as const;

export type GlobalOptionName = keyof typeof GLOBAL_OPTIONS;

export type GlobalArgs = {
  endpoint: InferredOptionType<(typeof GLOBAL_OPTIONS)['endpoint']>;
  region: InferredOptionType<(typeof GLOBAL_OPTIONS)['region']>;
  profile: InferredOptionType<(typeof GLOBAL_OPTIONS)['profile']>;
  auth: InferredOptionType<(typeof GLOBAL_OPTIONS)['auth']>;
  apiKey: InferredOptionType<(typeof GLOBAL_OPTIONS)['api-key']>;
  stackOutputs: InferredOptionType<(typeof GLOBAL_OPTIONS)['stack-outputs']>;
  timeout: InferredOptionType<(typeof GLOBAL_OPTIONS)['timeout']>;
  output: InferredOptionType<(typeof GLOBAL_OPTIONS)['output']>;
  query: InferredOptionType<(typeof GLOBAL_OPTIONS)['query']>;
  maxRecordSize: InferredOptionType<(typeof GLOBAL_OPTIONS)['max-record-size']>;
  debug: InferredOptionType<(typeof GLOBAL_OPTIONS)['debug']>;
  color: InferredOptionType<(typeof GLOBAL_OPTIONS)['color']>;
};
