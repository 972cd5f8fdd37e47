/**
 * Text API Gateway would alter is never sent as text: data with DEL beside an escaped character goes
 * base64 (stored exactly), and unpaired surrogates and such partition keys are refused before sending.
 * (`conformance/test/gateway-text.test.ts` finds these cases with API Gateway's own Java stack and holds
 * the client to them; this file pins the behaviour without Java.)
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { type InputError, isInputError } from '../src/index.ts';
import { BASE, makeClient, useServer } from './helpers.ts';

const server = useServer();

interface Body {
  records?: { data: string; encoding?: string }[];
  Data?: string;
  Encoding?: string;
}

function capture() {
  const bodies: Body[] = [];
  server.use(
    http.put(`${BASE}/streams/:name/records`, async ({ request }) => {
      const body = (await request.json()) as Body;
      bodies.push(body);
      const Records = body.records!.map(() => ({ SequenceNumber: '1', ShardId: 'shardId-0' }));
      return HttpResponse.json({ FailedRecordCount: 0, Records });
    }),
    http.put(`${BASE}/streams/:name/record`, async ({ request }) => {
      bodies.push((await request.json()) as Body);
      return HttpResponse.json({ SequenceNumber: '1', ShardId: 'shardId-0' });
    }),
  );
  return bodies;
}

async function inputError(promise: PromiseLike<unknown>): Promise<InputError> {
  const error = await Promise.resolve(promise).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (isInputError(error)) return error;
  throw new Error(`expected an InputError, got ${String(error)}`);
}

describe('text API Gateway would alter', () => {
  it('sends data with DEL beside an escaped character as base64 of its UTF-8 bytes; DEL alone as text', async () => {
    const bodies = capture();
    const { client } = makeClient();
    const texts = ['del\u007f"quoted"', 'a\u007f\nb', '\u007f\\', 'plain del\u007f', 'no del "here"'];
    await client.putRecords({ streamName: 's', records: texts.map((data) => ({ data, partitionKey: 'k' })) });
    const sent = bodies[0]!.records!;
    expect(sent.map((r) => r.encoding)).toEqual(['base64', 'base64', 'base64', undefined, undefined]);
    expect(sent.map((r) => (r.encoding ? Buffer.from(r.data, 'base64').toString('utf8') : r.data))).toEqual(
      texts,
    );

    await client.putRecord({ streamName: 's', data: { note: 'del\u007f' }, partitionKey: 'k' });
    expect(bodies[1]).toMatchObject({ Encoding: 'base64' });
    expect(Buffer.from(bodies[1]!.Data!, 'base64').toString('utf8')).toBe('{"note":"del\u007f"}');
  });

  it('refuses data with an unpaired surrogate, naming the record, the index and the fix', async () => {
    capture();
    const { client } = makeClient();
    const error = await inputError(
      client.putRecords({
        streamName: 's',
        records: [
          { data: 'ok', partitionKey: 'k' },
          { data: 'ab\ud800c', partitionKey: 'k' },
        ],
      }),
    );
    expect(error.field).toBe('records[1].data');
    expect(error.message).toBe(
      'records[1].data contains an unpaired UTF-16 surrogate at index 2, which is not text: API Gateway would store "?" in its place. Pass the bytes you mean as a Uint8Array, or fix the string',
    );
    // A well-formed pair is text.
    await client.putRecord({ streamName: 's', data: '🎉', partitionKey: '🎉' });
  });

  it('refuses partition keys API Gateway would change', async () => {
    capture();
    const { client } = makeClient();
    const surrogate = await inputError(
      client.putRecord({ streamName: 's', data: 'd', partitionKey: 'k\udfff' }),
    );
    expect(surrogate.message).toMatch(
      /^partitionKey contains an unpaired UTF-16 surrogate at index 1.+a partition key must be text$/,
    );
    const del = await inputError(
      client.putRecords({ streamName: 's', records: [{ data: 'd', partitionKey: 'k\u007f"' }] }),
    );
    expect(del.field).toBe('records[0].partitionKey');
    expect(del.message).toMatch(/DEL \(U\+007F\).+drops DEL.+Remove the DEL, or the other character$/);
    await client.putRecord({ streamName: 's', data: 'd', partitionKey: 'k\u007f' });
  });
});
