import {
  checkAuth,
  checkAwsProfile,
  checkEndpoint,
  checkNotEmpty,
  checkRegion,
  checkTimeout,
} from '../../config/checks.ts';
import {
  AUTH_MODES,
  type AuthMode,
  configFilePath,
  PROFILE_KEYS,
  type ProfileSettings,
  readConfigFile,
  writeConfigFile,
} from '../../config/config-file.ts';
import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';
import { canPrompt, openPrompt } from '../../core/prompt.ts';

export const configureCommand = defineCommand({
  command: 'configure',
  describe: 'Save connection settings in a named profile of the config file',
  description: `Saves the values of the global options given (--endpoint, --region, --auth, --api-key,
--timeout, --stack-outputs) and --aws-profile into the profile chosen with --profile ("default" unless
given). On a terminal, without any value, it asks for each. The file is $KPROXY_CONFIG, else
$XDG_CONFIG_HOME/kproxy/config.json, else ~/.config/kproxy/config.json (mode 0600: it may hold an API
key).`,
  examples: [
    [
      'kproxy configure --endpoint http://127.0.0.1:4600/v1 --auth none',
      'point the default profile at the local emulator',
    ],
    [
      'kproxy configure --profile prod --endpoint https://abc123.execute-api.eu-west-1.amazonaws.com/v1 --auth iam',
      'a "prod" profile for a deployed API (use it with --profile prod)',
    ],
    ['kproxy configure --show', 'print the settings in effect and where each comes from'],
    ['kproxy configure --profile prod --unset api-key', 'remove a value from a profile'],
  ],
  options: {
    'aws-profile': {
      type: 'string',
      describe:
        'AWS credentials profile to sign with (default: the --profile name, else the AWS default chain)',
    },
    unset: {
      type: 'string',
      array: true,
      choices: ['endpoint', 'region', 'auth', 'api-key', 'aws-profile', 'timeout', 'stack-outputs'],
      describe: 'Remove these settings from the profile',
    },
    show: { type: 'boolean', describe: 'Print the settings in effect (API key redacted) instead of writing' },
  },
  async handler(args, { io, out }) {
    if (args.show) {
      const { resolveSettings } = await import('../../config/resolve.ts');
      const s = await resolveSettings(args, io.env);
      const view = {
        profile: s.profile,
        configFile: s.configPath,
        endpoint: s.endpoint,
        region: s.region,
        auth: s.auth,
        apiKey: s.apiKey === undefined ? undefined : redact(s.apiKey),
        awsProfile: s.awsProfile,
        timeoutSeconds: s.timeoutMs === undefined ? undefined : s.timeoutMs / 1000,
        sources: s.sources,
      };
      out.result(view, () =>
        out.table([
          ['profile', s.profile, ''],
          ['config file', s.configPath, ''],
          ['endpoint', s.endpoint, `(${s.sources.endpoint})`],
          ['region', s.region, `(${s.sources.region})`],
          ['auth', s.auth, `(${s.sources.auth})`],
          ['api key', view.apiKey ?? '-', `(${s.sources.apiKey})`],
          ['aws profile', s.awsProfile ?? '-', ''],
          [
            'timeout',
            view.timeoutSeconds === undefined ? '-' : `${view.timeoutSeconds}s`,
            `(${s.sources.timeout})`,
          ],
        ]),
      );
      return;
    }

    const path = configFilePath(io.env);
    const config = await readConfigFile(path);
    const profileName = args.profile ?? io.env.KPROXY_PROFILE ?? 'default';
    const profile: ProfileSettings = { ...config.profiles[profileName] };

    const given: ProfileSettings = {
      endpoint: args.endpoint,
      region: args.region,
      auth: args.auth,
      apiKey: args.apiKey,
      awsProfile: args.awsProfile,
      timeout: args.timeout,
      stackOutputs: args.stackOutputs,
    };
    const anyGiven = Object.values(given).some((v) => v !== undefined) || (args.unset?.length ?? 0) > 0;
    checkGiven(given);
    if (!anyGiven) {
      if (!canPrompt(io)) {
        throw new UsageError(
          'Nothing to save: give the values to store, e.g. `kproxy configure --endpoint URL --auth iam`.',
          'On a terminal, `kproxy configure` without values asks for each.',
        );
      }
      const { LOCAL_DEFAULT_ENDPOINT } = await import('@kproxy/contract');
      const prompt = openPrompt(io);
      try {
        // Each answer is checked as it is typed; a wrong one is asked again with the reason.
        given.endpoint = await prompt.ask(
          'Endpoint (stage URL)',
          profile.endpoint ?? LOCAL_DEFAULT_ENDPOINT,
          checkEndpoint,
        );
        given.region = (await prompt.ask('Region', profile.region ?? '', checkRegion)) || undefined;
        const auth = await prompt.ask(`Auth (${AUTH_MODES.join(', ')})`, profile.auth ?? 'iam', checkAuth);
        given.auth = auth as AuthMode;
        if (auth === 'api-key') {
          const current = profile.apiKey ? redact(profile.apiKey) : '';
          given.apiKey = await prompt.ask('API key', current, checkNotEmpty('API key'));
        }
        if (auth === 'iam') {
          const awsProfile = await prompt.ask(
            'AWS profile (empty: AWS_PROFILE or the default chain)',
            profile.awsProfile ?? '',
            checkAwsProfile,
          );
          given.awsProfile = awsProfile || undefined;
        }
      } finally {
        prompt.close();
      }
    }

    for (const key of args.unset ?? []) delete profile[camel(key)];
    for (const key of PROFILE_KEYS) {
      const value = given[key];
      if (value !== undefined && !(key === 'apiKey' && profile.apiKey && value === redact(profile.apiKey))) {
        (profile as Record<string, unknown>)[key] = value;
      }
    }
    config.profiles[profileName] = profile;
    await writeConfigFile(path, config);
    out.success(`Saved profile "${profileName}" in ${path}`);
  },
});

/** Values given as flags are checked as typed answers are; the first problem is a usage error. */
function checkGiven(given: ProfileSettings): void {
  const problems: [string, string | undefined][] = [
    ['--endpoint', given.endpoint === undefined ? undefined : checkEndpoint(given.endpoint)],
    ['--region', given.region === undefined ? undefined : checkRegion(given.region)],
    ['--aws-profile', given.awsProfile === undefined ? undefined : checkAwsProfile(given.awsProfile)],
    ['--timeout', given.timeout === undefined ? undefined : checkTimeout(given.timeout)],
  ];
  const problem = problems.find(([, p]) => p !== undefined);
  if (problem) throw new UsageError(`${problem[0]}: ${problem[1]}`);
}

function camel(key: string): keyof ProfileSettings {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof ProfileSettings;
}

/** Enough of a key to recognise it, never enough to use it. */
function redact(secret: string): string {
  return secret.length <= 8 ? '****' : `${secret.slice(0, 4)}…${secret.slice(-2)}`;
}
