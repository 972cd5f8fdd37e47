/**
 * A small development server for the browser example: it builds the bundle, serves the page, hands out
 * credentials at /credentials (the stand-in for Cognito), and forwards /v1/… to the API, so the page
 * and the API share one origin and the browser needs no CORS.
 *
 * Run it against the quick-start emulator started with IAM auth, from the repository root:
 *
 *   pnpm kproxy local --auth iam --credentials AKIDLOCAL:local-secret      # terminal 1
 *   pnpm kproxy --auth iam create-stream browser-demo --shard-count 1      # once (uses AWS_* keys below)
 *   cd examples && node --import tsx browser/serve.ts                      # terminal 2
 *
 * then open http://127.0.0.1:4700/ and press "Put record"; `pnpm kproxy tail browser-demo` shows it.
 * For the create-stream line export AWS_ACCESS_KEY_ID=AKIDLOCAL AWS_SECRET_ACCESS_KEY=local-secret.
 *
 * Environment: KPROXY_ENDPOINT (default http://127.0.0.1:4600/v1) is where /v1 goes; the credentials
 * handed to the page are AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (default AKIDLOCAL / local-secret);
 * PORT (default 4700).
 *
 * Forwarding keeps the request's Host header: the page signs for the host it talks to (this server),
 * and the API checks the signature against the Host it receives.
 */
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildBrowserExample } from './build.ts';

export interface ServeOptions {
  /** The API's stage URL, e.g. http://127.0.0.1:4600/v1; requests under its path are forwarded. */
  upstream: string;
  /** What /credentials hands to the page. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Port to listen on; 0 picks a free one. @default 4700 */
  port?: number;
}

export interface RunningServer {
  /** The page's URL. */
  url: string;
  close(): Promise<void>;
}

const files: Record<string, { path: string; type: string }> = {
  '/': { path: './index.html', type: 'text/html; charset=utf-8' },
  '/dist/main.js': { path: './dist/main.js', type: 'text/javascript; charset=utf-8' },
  '/dist/main.js.map': { path: './dist/main.js.map', type: 'application/json' },
};

function forward(req: IncomingMessage, res: ServerResponse, upstream: URL): void {
  const proxied = httpRequest(
    {
      hostname: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers, // Host included: it is part of the signature
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  proxied.on('error', (error) => {
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `API unreachable: ${error.message}` }));
  });
  req.pipe(proxied);
}

export async function serveBrowserExample(options: ServeOptions): Promise<RunningServer> {
  await buildBrowserExample();
  const upstream = new URL(options.upstream);
  const apiPath = `${upstream.pathname.replace(/\/$/, '')}/`;

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith(apiPath)) return forward(req, res, upstream);
    if (path === '/credentials') {
      // Temporary credentials carry an expiration; the client asks again 5 minutes before it.
      const expiration = new Date(Date.now() + 15 * 60 * 1000).toISOString();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify({ ...options.credentials, expiration }));
    }
    const file = files[path];
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    const body = await readFile(fileURLToPath(new URL(file.path, import.meta.url)));
    res.writeHead(200, { 'content-type': file.type });
    res.end(body);
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 4700, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await serveBrowserExample({
    upstream: process.env.KPROXY_ENDPOINT || 'http://127.0.0.1:4600/v1',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID || 'AKIDLOCAL',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || 'local-secret',
    },
    port: Number(process.env.PORT || 4700),
  });
  console.log(`open ${url} (Ctrl-C to stop)`);
}
