/**
 * The browser page's script: puts a record with `@kproxy/client`, signing with SigV4 in the browser.
 *
 * Credentials come from a provider function: the client calls it on first use and again shortly before
 * the credentials it returned expire. Here it asks the page's own server (serve.ts), which hands out the
 * emulator's demo key. In a real app the provider is Cognito, which trades a user's sign-in (or a guest
 * identity) for temporary credentials of an IAM role allowed to call the API:
 *
 *   import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
 *   const getCredentials = fromCognitoIdentityPool({
 *     identityPoolId: 'us-east-1:…',
 *     clientConfig: { region: 'us-east-1' },
 *   });
 *
 * Never put a long-lived secret key in a page: anyone can read it.
 *
 * Built into dist/main.js by build.ts (esbuild); see serve.ts for how to run it.
 */
import { type Credentials, isKproxyError, KproxyCore } from '@kproxy/client';

/** A credential provider: any async function returning credentials will do. */
async function getCredentials(): Promise<Credentials> {
  const response = await fetch('/credentials');
  if (!response.ok) throw new Error(`could not get credentials: HTTP ${response.status}`);
  const body = (await response.json()) as Credentials & { expiration?: string };
  return { ...body, expiration: body.expiration ? new Date(body.expiration) : undefined };
}

// The API is reached on the page's own origin: serve.ts forwards /v1 to it. A page on another origin
// than the API needs CORS enabled on the API (preflight OPTIONS answered, Authorization allowed).
const client = new KproxyCore({
  endpoint: new URL('/v1', window.location.href).href,
  region: 'us-east-1',
  auth: { type: 'sigv4', credentials: getCredentials },
});

const form = document.querySelector<HTMLFormElement>('#put-form')!;
const result = document.querySelector<HTMLOutputElement>('#result')!;

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = new FormData(form);
  result.className = '';
  result.textContent = 'Putting…';
  try {
    const { shardId, sequenceNumber } = await client.putRecord({
      streamName: String(fields.get('streamName')),
      partitionKey: String(fields.get('partitionKey')),
      data: String(fields.get('data')),
    });
    result.textContent = `Stored in ${shardId}\nsequence number ${sequenceNumber}`;
  } catch (error) {
    result.className = 'error';
    // Client errors have a name (AuthError, NotFoundError, ThrottledError, …) and a readable message.
    result.textContent = isKproxyError(error) ? `${error.name}: ${error.message}` : String(error);
  }
});

document.body.dataset.ready = 'true';
