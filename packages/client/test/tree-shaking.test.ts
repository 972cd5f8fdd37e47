/**
 * What a browser bundle carries: an app built on `KproxyCore` gets the operations and none of
 * the helpers; a standalone operation or helper on a `KproxyConnection` brings only itself. Bundled with
 * esbuild as `pnpm bench bundle` does (the sizes are measured there, not here).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** The files (the client's own, and packages') that put code into a browser bundle of `source`. */
async function bundledInputs(source: string): Promise<string[]> {
  const result = await build({
    stdin: { contents: source, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = Object.values(result.metafile.outputs);
  return Object.entries(output!.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
}

const app = (imports: string, body: string) => `import { ${imports} } from ${JSON.stringify(entry)};
const client = new KproxyCore({ endpoint: 'https://abc.execute-api.us-east-1.amazonaws.com/v1' });
${body}`;

describe('tree-shaking', () => {
  it('an app that calls only putRecords carries neither bulkPut nor readStream', async () => {
    const inputs = await bundledInputs(
      app(
        'KproxyCore',
        "await client.putRecords({ streamName: 's', records: [{ data: 'x', partitionKey: 'k' }] });",
      ),
    );
    expect(inputs.some((path) => path.endsWith('src/resources/records.ts'))).toBe(true);
    expect(inputs.filter((path) => path.includes('src/helpers/'))).toEqual([]);
    // Hashing is the browser's Web Crypto; requests go through fetch.
    expect(inputs.filter((path) => /@aws-crypto|\/ky\/|hash\/node\.ts/.test(path))).toEqual([]);
  });

  it('a standalone operation on a connection brings only itself', async () => {
    const inputs = await bundledInputs(`import { KproxyConnection, putRecords } from ${JSON.stringify(entry)};
const client = new KproxyConnection({ endpoint: 'https://abc.execute-api.us-east-1.amazonaws.com/v1' });
await putRecords(client, { streamName: 's', records: [{ data: 'x', partitionKey: 'k' }] });`);
    expect(inputs.some((path) => path.endsWith('src/resources/records.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('src/resources/streams.ts'))).toBe(false);
    expect(inputs.some((path) => path.endsWith('src/core-client.ts'))).toBe(false);
    expect(inputs.filter((path) => path.includes('src/helpers/'))).toEqual([]);
  });

  it('a standalone helper brings itself and not the other one', async () => {
    const withBulkPut = await bundledInputs(
      app('bulkPut, KproxyCore', "await bulkPut(client, { streamName: 's', records: [] });"),
    );
    expect(withBulkPut.some((path) => path.endsWith('src/helpers/bulk-put.ts'))).toBe(true);
    expect(withBulkPut.some((path) => path.endsWith('src/helpers/stream-reader.ts'))).toBe(false);
    const withReader = await bundledInputs(
      app(
        'KproxyCore, readStream',
        "for await (const r of readStream(client, { streamName: 's' })) console.log(r);",
      ),
    );
    expect(withReader.some((path) => path.endsWith('src/helpers/stream-reader.ts'))).toBe(true);
    expect(withReader.some((path) => path.endsWith('src/helpers/bulk-put.ts'))).toBe(false);
  });

  it('KproxyClient, the class with both helpers as methods, carries both', async () => {
    const inputs = await bundledInputs(
      `import { KproxyClient } from ${JSON.stringify(entry)};
new KproxyClient({ endpoint: 'https://abc.execute-api.us-east-1.amazonaws.com/v1' }).putRecords({ streamName: 's', records: [] });`,
    );
    expect(inputs.some((path) => path.endsWith('src/helpers/bulk-put.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('src/helpers/stream-reader.ts'))).toBe(true);
  });
});
