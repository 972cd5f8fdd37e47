/**
 * Questions on a terminal: Ctrl-C at a prompt exits 130 (as an interrupted command does), `configure`
 * checks each answer as it is typed and asks again with the reason, and answering no to delete-stream
 * deletes nothing and is not an error. stdin and stderr pretend to be terminals; answers are typed into
 * stdin as a person would, one keystroke batch at a time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { ENDPOINT, type RunResult, run, tempDir, useMswServer } from './helpers.ts';

const server = useMswServer();

/**
 * Runs the command on a pretend terminal and answers its questions as a person would: each answer is
 * typed once its question (a text on stderr, after the previous one) has been asked.
 */
async function answering(
  argv: string[],
  dialog: [question: string, answer: string][],
  env: Record<string, string> = {},
): Promise<RunResult> {
  const stdin = new PassThrough();
  let next = 0;
  let from = 0;
  const onStderr = (stderr: string) => {
    while (next < dialog.length) {
      const [question, answer] = dialog[next]!;
      const at = stderr.indexOf(question, from);
      if (at === -1) return;
      from = at + question.length;
      next++;
      stdin.write(answer);
    }
  };
  const result = await run(argv, { stdin, tty: { stdin: true, stderr: true }, env, onStderr });
  expect(next, `not every question was asked; stderr:\n${result.stderr}`).toBe(dialog.length);
  return result;
}

describe('Ctrl-C at a question', () => {
  it('delete-stream: exit 130, nothing deleted', async () => {
    let deleted = false;
    server.use(
      http.delete(`${ENDPOINT}/streams/demo`, () => {
        deleted = true;
        return HttpResponse.json({});
      }),
    );
    const result = await answering(['delete-stream', 'demo'], [['Delete stream "demo"', '\x03']]);
    expect(result.code).toBe(130);
    expect(deleted).toBe(false);
  });

  it('configure: exit 130, nothing written', async () => {
    const config = join(tempDir(), 'config.json');
    const result = await answering(
      ['configure'],
      [
        ['Endpoint (stage URL)', 'http://127.0.0.1:4600/v1\r'],
        ['Region', '\x03'],
      ],
      { KPROXY_CONFIG: config },
    );
    expect(result.code).toBe(130);
    expect(() => readFileSync(config)).toThrow();
  });

  it('the end of the input (Ctrl-D) is a usage error naming the question', async () => {
    const result = await run(['configure'], { stdin: '', tty: { stdin: true, stderr: true } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No answer to "Endpoint (stage URL)": the input ended.');
  });
});

describe('configure checks each answer as it is typed', () => {
  it('asks again, with the reason, until the answer is right', async () => {
    const config = join(tempDir(), 'config.json');
    const result = await answering(
      ['configure', '--profile', 'dev'],
      [
        ['Endpoint (stage URL)', 'abc123.execute-api.eu-west-1.amazonaws.com\r'],
        ['is not a URL', 'https://abc123.execute-api.eu-west-1.amazonaws.com\r'],
        ['The stage URL ends with the stage', 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1\r'],
        ['Region', 'Ireland\r'],
        ['"Ireland" is not an AWS region name', 'eu-west-1\r'],
        ['Auth (iam, api-key, none)', 'sigv4\r'],
        ['"sigv4" is not an auth mode', 'iam\r'],
        ['AWS profile', 'work profile\r'],
        ['is not a profile name', 'work\r'],
      ],
      { KPROXY_CONFIG: config },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(config, 'utf8')).profiles.dev).toEqual({
      endpoint: 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1',
      region: 'eu-west-1',
      auth: 'iam',
      awsProfile: 'work',
    });
  });

  it('an empty API key is asked again', async () => {
    const config = join(tempDir(), 'config.json');
    const result = await answering(
      ['configure'],
      [
        ['Endpoint', '\r'],
        ['Region', '\r'],
        ['Auth', 'api-key\r'],
        ['API key', '\r'],
        ['Give the API key.', 'local-key\r'],
      ],
      { KPROXY_CONFIG: config },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(config, 'utf8')).profiles.default).toMatchObject({ apiKey: 'local-key' });
  });

  it('values given as flags are checked the same way', async () => {
    const config = join(tempDir(), 'config.json');
    const result = await run(['configure', '--endpoint', 'https://abc.example.com', '--region', 'Ireland'], {
      env: { KPROXY_CONFIG: config },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --endpoint: The stage URL ends with the stage');
  });
});

describe('delete-stream on a terminal', () => {
  it('"no" deletes nothing, says so, exit 0; an unclear answer is asked again', async () => {
    let deleted = false;
    server.use(
      http.delete(`${ENDPOINT}/streams/demo`, () => {
        deleted = true;
        return HttpResponse.json({});
      }),
    );
    const result = await answering(
      ['delete-stream', 'demo'],
      [
        ['Delete stream "demo" and all its records? (y/N)', 'maybe\r'],
        ['Answer y or n.', 'no\r'],
      ],
    );
    expect(result.code).toBe(0);
    expect(deleted).toBe(false);
    expect(result.stderr).toContain('Nothing deleted: stream demo is kept.');
  });
});
