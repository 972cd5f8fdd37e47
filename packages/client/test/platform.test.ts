/** The Node and browser variants behind `#base64`/`#hash`/`#utf8` agree; the default chain loads in Node. */
import { randomBytes } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as browser64 from '../src/base64/browser.ts';
import * as node64 from '../src/base64/node.ts';
import { Sha256 as BrowserSha256 } from '../src/hash/browser.ts';
import { Sha256 as NodeSha256 } from '../src/hash/node.ts';
import * as browserUtf8 from '../src/utf8/browser.ts';
import * as nodeUtf8 from '../src/utf8/node.ts';
import { BASE, makeClient, useServer } from './helpers.ts';

const server = useServer();

describe('platform variants', () => {
  it('base64: browser and Node codecs agree, also past the browser chunk size', () => {
    for (const size of [0, 1, 2, 3, 100, 0x8000 + 7, 100_000]) {
      const bytes = new Uint8Array(randomBytes(size));
      const text = node64.bytesToBase64(bytes);
      expect(browser64.bytesToBase64(bytes)).toBe(text);
      expect(browser64.base64ToBytes(text)).toEqual(bytes);
      expect(node64.base64ToBytes(text)).toEqual(bytes);
    }
  });

  it('sha256 and HMAC: browser and Node implementations agree', async () => {
    const data = randomBytes(5000);
    for (const secret of [undefined, 'key']) {
      const a = new NodeSha256(secret);
      const b = new BrowserSha256(secret);
      a.update(data);
      b.update(data);
      expect(await a.digest()).toEqual(await b.digest());
    }
  });

  it('utf8Length: browser and Node variants match the bytes TextEncoder writes', () => {
    for (const text of ['', 'ascii', 'é', '€', '😀', 'a😀b€é', '\ud800', 'x\udc00y', '\ud800\ud800']) {
      const bytes = new TextEncoder().encode(text).length;
      expect(browserUtf8.utf8Length(text)).toBe(bytes);
      expect(nodeUtf8.utf8Length(text)).toBe(bytes);
    }
  });
});

describe('default credential chain (Node)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('signs with credentials from the environment when none are given', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFROMENV');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-from-env');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token-from-env');
    let authorization: string | null = null;
    let token: string | null = null;
    server.use(
      http.get(`${BASE}/streams`, ({ request }) => {
        authorization = request.headers.get('authorization');
        token = request.headers.get('x-amz-security-token');
        return HttpResponse.json({ StreamNames: [], HasMoreStreams: false });
      }),
    );
    const { client } = makeClient({ auth: { type: 'sigv4' } });
    await client.listStreams();
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFROMENV\/20260115\/eu-west-1\/execute-api\/aws4_request/,
    );
    expect(token).toBe('token-from-env');
  });
});
