import { GATEWAY_ERRORS } from '@kproxy/contract';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { ENDPOINT, run, useMswServer } from './helpers.ts';

const server = useMswServer();

const gateway403 = (message: string, errorType?: string) =>
  http.get(`${ENDPOINT}/streams`, () =>
    HttpResponse.json(
      { message },
      { status: 403, headers: errorType ? { 'x-amzn-ErrorType': errorType } : {} },
    ),
  );

describe('API errors: one line, a hint, exit 1', () => {
  it('403 Missing Authentication Token suggests checking the stage and signing', async () => {
    server.use(gateway403('Missing Authentication Token', 'MissingAuthenticationTokenException'));
    const result = await run(['list-streams']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/hint: .*stage.*--auth iam/);
    // One hint, in the CLI's terms: not the client's (which speaks of `auth: { type: 'sigv4' }`).
    expect(result.stderr).not.toContain("type: 'sigv4'");
  });

  it('403 signature mismatch points at the secret key and region', async () => {
    const { message, errorType } = GATEWAY_ERRORS.invalidSignature;
    server.use(gateway403(message, errorType));
    const result = await run(['list-streams']);
    expect(result.stderr).toMatch(/hint: .*secret access key.*--region/);
  });

  it('403 Forbidden with an API key points at the key given', async () => {
    server.use(gateway403('Forbidden'));
    const result = await run(['list-streams', '--auth', 'api-key', '--api-key', 'k']);
    expect(result.stderr).toMatch(/hint: .*API key.*--api-key/);
  });

  it('API Gateway throttling: its own hint, no advice about flags list-streams does not have', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams`, () =>
        HttpResponse.json({ message: 'Too Many Requests' }, { status: 429 }),
      ),
    );
    const result = await run(['list-streams', '--timeout', '5'], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`hint: ${GATEWAY_ERRORS.throttled.hint}`);
    expect(result.stderr).not.toContain('--concurrency');
  }, 30_000);

  it('no stack trace without --debug; a stack with it', async () => {
    server.use(gateway403('Forbidden'));
    expect((await run(['list-streams'])).stderr).not.toContain('    at ');
    expect((await run(['list-streams', '--debug'])).stderr).toContain('    at ');
  });
});

describe('connection errors', () => {
  it('the default local endpoint suggests starting `kproxy local`', async () => {
    // Nothing listens there: the connection fails (msw answers with a network error).
    server.use(http.get('http://127.0.0.1:4600/v1/streams', () => HttpResponse.error()));
    const result = await run(['list-streams'], {
      env: { KPROXY_ENDPOINT: undefined, KPROXY_AUTH: undefined, KPROXY_CONFIG: '/nonexistent/config.json' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot connect to http://127.0.0.1:4600/v1');
    expect(result.stderr).toContain('kproxy local');
  }, 30_000);
});

describe('--debug', () => {
  it('shows requests and responses with the API key redacted', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams`, () => HttpResponse.json({ StreamNames: [], HasMoreStreams: false })),
    );
    const result = await run([
      'list-streams',
      '--debug',
      '--auth',
      'api-key',
      '--api-key',
      'super-secret-key',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`→ GET ${ENDPOINT}/streams`);
    expect(result.stderr).toContain('← 200');
    expect(result.stderr).not.toContain('super-secret-key');
    expect(result.stderr).toContain('"x-api-key":"[REDACTED]"');
    expect(result.stdout).toBe('');
  });

  it('never prints a SigV4 signature or secret', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams`, () => HttpResponse.json({ StreamNames: [], HasMoreStreams: false })),
    );
    const result = await run(['list-streams', '--debug', '--auth', 'iam'], {
      env: {
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
    });
    expect(result.code).toBe(0);
    // The signed headers are shown, with the signature redacted.
    expect(result.stderr).toContain('"authorization":"[REDACTED]"');
    expect(result.stderr).toContain('x-amz-date');
    expect(result.stderr).not.toMatch(/Signature=[0-9a-f]{64}/);
    expect(result.stderr).not.toContain('wJalrXUtnFEMI');
  });
});

describe('colors', () => {
  it('no ANSI codes when stderr is not a terminal, or with NO_COLOR / --no-color', async () => {
    const plain = await run(['describe-stream']);
    expect(plain.stderr).not.toContain('\x1b[');
    const noColor = await run(['describe-stream'], { tty: { stderr: true }, env: { NO_COLOR: '1' } });
    expect(noColor.stderr).not.toContain('\x1b[');
    const flag = await run(['describe-stream', '--no-color'], { tty: { stderr: true } });
    expect(flag.stderr).not.toContain('\x1b[');
    const tty = await run(['describe-stream'], { tty: { stderr: true } });
    expect(tty.stderr).toContain('\x1b[');
  });
});
