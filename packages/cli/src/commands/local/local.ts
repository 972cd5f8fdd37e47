import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';

export const localCommand = defineCommand({
  command: 'local',
  noQuery: 'kproxy local runs the emulator; it prints its endpoint and a log, not a result.',
  describe: 'Run the kproxy API locally (emulator: API Gateway + an embedded Kinesis engine)',
  description: `Starts the local emulator of the deployed API and runs until Ctrl-C (SIGINT) or SIGTERM.
It prints its endpoint on stdout and everything else on stderr. The global --auth, --api-key and
--region flags set what the emulator accepts (only as flags: KPROXY_AUTH and the config file are for
clients). Streams persist in --data-dir unless --in-memory.`,
  examples: [
    ['kproxy local', 'listen on http://127.0.0.1:4600/v1, data in ./.kproxy/data'],
    ['kproxy local --port 0 --in-memory --quiet', 'a free port, nothing kept, no request log'],
    ['kproxy local --auth api-key --api-key local-key', 'require x-api-key: local-key'],
    [
      'kproxy local --auth iam --credentials AKIDLOCAL:local-secret',
      'require SigV4 signed with this key pair',
    ],
    [
      'kproxy local --shard-limits',
      "enforce Kinesis's per-shard limits (writes 1000 records/s and 1 MiB/s, reads 5 calls/s and 2 MiB/s)",
    ],
    [
      'kproxy local --shard-limits "writes=100rps;reads=off"',
      'a lower write limit to test throttling; reads free',
    ],
    [
      'kproxy local --cors http://localhost:5173',
      'let pages on this origin (a Vite dev server) call the API',
    ],
  ],
  options: {
    port: {
      type: 'number',
      describe: 'Port to listen on; 0 picks a free one (default 4600)',
    },
    host: { type: 'string', describe: 'Interface to listen on (default 127.0.0.1)' },
    stage: {
      type: 'string',
      describe: 'Stage name, the first path segment (default v1)',
    },
    credentials: {
      type: 'string',
      array: true,
      describe:
        'For --auth iam: ACCESS_KEY_ID:SECRET pairs to accept (default: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
    },
    'data-dir': { type: 'string', describe: 'Where streams and records are kept (default ./.kproxy/data)' },
    'in-memory': { type: 'boolean', describe: 'Keep nothing on disk' },
    'kinesis-endpoint': {
      type: 'string',
      describe:
        'Use this Kinesis-compatible server (or "aws" for real Kinesis) instead of the embedded engine',
    },
    throttle: {
      type: 'number',
      describe: 'Requests per second before answering 429 (like stage throttling)',
    },
    'throttle-burst': { type: 'number', describe: 'Burst above --throttle (default: the rate)' },
    'shard-limits': {
      type: 'string',
      describe:
        "Enforce Kinesis's per-shard limits (throttled like Kinesis); optionally changed: writes=1000rps,1MiB;reads=5rps,2MiB (off: none)",
    },
    cors: {
      type: 'string',
      describe:
        'Let browser pages on this origin (http://localhost:5173, or * for any) call the API: preflights and CORS headers',
    },
    'seed-routes': {
      type: 'boolean',
      describe:
        "Serve only the seed API's eight routes (403 for /shards, /shard-count, /summary), as a deployment made from the seeds",
    },
    quiet: { type: 'boolean', describe: 'No line per request' },
  },
  async handler(args, ctx) {
    const { io, out } = ctx;
    const auth = args.auth ?? 'none';
    const credentials = auth === 'iam' ? iamCredentials(args.credentials, io.env) : undefined;
    if (auth === 'api-key' && !args.apiKey) {
      throw new UsageError('--auth api-key needs --api-key KEY: the key the emulator accepts.');
    }
    if (args.dataDir !== undefined && args.inMemory)
      throw new UsageError('--data-dir and --in-memory exclude each other.');

    // Loaded only here: the emulator and its engines never slow down other commands.
    const [{ startLocalProxy }, { LOCAL_DEFAULTS, LOCAL_DEFAULT_ENDPOINT, SEED_OPERATION_IDS }] =
      await Promise.all([import('@kproxy/local'), import('@kproxy/contract')]);
    const logger = {
      info: (message: string) => out.info(message),
      warn: (message: string) => out.warn(message),
      error: (message: string) => out.error(message),
    };
    let proxy: Awaited<ReturnType<typeof startLocalProxy>>;
    try {
      proxy = await startLocalProxy({
        ...(args.port !== undefined ? { port: args.port } : {}),
        ...(args.host !== undefined ? { host: args.host } : {}),
        ...(args.stage !== undefined ? { stage: args.stage } : {}),
        auth,
        ...(credentials ? { credentials } : {}),
        ...(args.apiKey ? { apiKeys: [args.apiKey] } : {}),
        ...(args.dataDir !== undefined ? { dataDir: args.dataDir } : {}),
        ...(args.inMemory ? { inMemory: true } : {}),
        ...(args.kinesisEndpoint !== undefined ? { kinesisEndpoint: args.kinesisEndpoint } : {}),
        ...(args.region !== undefined ? { region: args.region } : {}),
        ...(args.throttle !== undefined
          ? {
              throttle: {
                rate: args.throttle,
                ...(args.throttleBurst !== undefined ? { burst: args.throttleBurst } : {}),
              },
            }
          : {}),
        ...(args.shardLimits !== undefined ? { shardLimits: args.shardLimits || true } : {}),
        ...(args.cors !== undefined ? { cors: args.cors } : {}),
        ...(args.seedRoutes ? { routes: SEED_OPERATION_IDS } : {}),
        quiet: Boolean(args.quiet),
        logger,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new UsageError(
          `Port ${args.port ?? LOCAL_DEFAULTS.port} is in use (is \`kproxy local\` already running?).`,
          'Stop the other process, or pick another port with --port (0 = any free port).',
        );
      }
      if ((error as NodeJS.ErrnoException).code === 'EDATADIRINUSE') {
        const { directory } = error as { directory: string };
        throw new UsageError(
          `Data directory ${directory} is in use by another \`kproxy local\`: stop it, or start this one with --data-dir DIR (another directory) or --in-memory.`,
        );
      }
      if (error instanceof TypeError) throw new UsageError(error.message);
      throw error;
    }

    out.line(proxy.url);
    const endpointFlag = proxy.url === LOCAL_DEFAULT_ENDPOINT ? '' : ` --endpoint ${proxy.url}`;
    // The key itself is never printed: it is a secret even when it is only the emulator's.
    const authFlags =
      auth === 'api-key' ? ' --auth api-key --api-key <key>' : auth === 'iam' ? ' --auth iam' : '';
    const bin = binAsTyped(io.env);
    const k = `${bin}${endpointFlag}${authFlags}`;
    out.success(`kproxy API emulator listening on ${out.style('bold', proxy.url)}`);
    out.info(`  engine: ${proxy.engine}; auth: ${auth}${args.cors ? `; CORS for ${args.cors}` : ''}`);
    if (args.seedRoutes) out.info("  routes: the seed API's eight only (403 for kproxy's additions)");
    if (proxy.shardLimits) out.info(`  shard limits: ${proxy.shardLimits}`);
    out.info('');
    out.info('Try, in another terminal:');
    out.info(`  ${k} create-stream demo --shard-count 2`);
    out.info(`  echo hi | ${k} put-record demo --data -`);
    out.info(`  ${k} tail demo`);
    out.info('');
    out.info('Press Ctrl-C to stop.');

    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    out.info('Stopping…');
    await proxy.close();
    out.info('Stopped.');
  },
});

/**
 * How the user reaches the `kproxy` bin from where they are, for the commands the banner suggests:
 * `pnpm kproxy` under the repository's `pnpm start`, `npx kproxy` under `npx kproxy local`, else
 * `kproxy` (on PATH).
 */
export function binAsTyped(env: Readonly<Record<string, string | undefined>>): string {
  if (env.npm_lifecycle_event === 'start') return 'pnpm kproxy';
  if (env.npm_command === 'exec' || env.npm_lifecycle_event === 'npx') return 'npx kproxy';
  return 'kproxy';
}

function iamCredentials(
  pairs: string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const accepted: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) {
      throw new UsageError(`--credentials "${pair}" is not ACCESS_KEY_ID:SECRET.`);
    }
    accepted[pair.slice(0, colon)] = pair.slice(colon + 1);
  }
  if (Object.keys(accepted).length === 0 && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    accepted[env.AWS_ACCESS_KEY_ID] = env.AWS_SECRET_ACCESS_KEY;
  }
  if (Object.keys(accepted).length === 0) {
    throw new UsageError(
      '--auth iam needs the credentials to accept.',
      'Pass --credentials ACCESS_KEY_ID:SECRET, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    );
  }
  return accepted;
}
