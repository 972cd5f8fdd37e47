/**
 * What `@kproxy/client` actually sends: every operation called through a client whose `fetch` records
 * the request (and answers `{}`, so the calls fail after sending, which does not matter here). Each
 * recorded request becomes a conformance case, so the suite covers the client's own encoding of data,
 * keys, numbers and parameters, not only what the corpus writes by hand.
 */
import { KproxyClient } from '@kproxy/client';
import { type OperationId, operations, ShardFilterType, ShardIteratorType } from '@kproxy/contract';
import { NON_STRINGS, STRINGS } from './corpus-values.ts';

export interface SentRequest {
  readonly op: OperationId;
  readonly name: string;
  readonly path: Record<string, string>;
  readonly querystring: Record<string, string>;
  readonly header: Record<string, string>;
  readonly body: string;
}

const ENDPOINT = 'http://kproxy.test/v1';

/** The operation a request is for, and its path parameters, by the contract's routes. */
function route(method: string, pathname: string): { op: OperationId; path: Record<string, string> } {
  const segments = pathname.split('/').slice(2);
  for (const [op, spec] of Object.entries(operations)) {
    const parts = spec.path.split('/').slice(1);
    if (spec.method !== method || parts.length !== segments.length) continue;
    const path: Record<string, string> = {};
    const matches = parts.every((part, i) => {
      const name = /^\{(.+)\}$/.exec(part)?.[1];
      if (name) path[name] = decodeURIComponent(segments[i]!);
      return name !== undefined || part === segments[i];
    });
    if (matches) return { op: op as OperationId, path };
  }
  throw new Error(`the client sent ${method} ${pathname}, which is no route of the contract`);
}

/** Calls every operation with ordinary and unusual inputs; returns each request the client sent. */
export async function clientRequests(): Promise<SentRequest[]> {
  const sent: SentRequest[] = [];
  let label = '';
  const client = new KproxyClient({
    endpoint: ENDPOINT,
    maxRetries: 0,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const { op, path } = route(request.method, url.pathname);
      const header: Record<string, string> = {};
      const iterator = request.headers.get('shard-iterator');
      if (iterator !== null) header['Shard-Iterator'] = iterator;
      sent.push({
        op,
        name: `client ${label}`,
        path,
        querystring: Object.fromEntries(url.searchParams),
        header,
        body: await request.text(),
      });
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  const call = async (name: string, send: () => PromiseLike<unknown>) => {
    label = name;
    try {
      await send();
    } catch {
      // The canned answer fails validation, or the client refused the input before sending: either way
      // what was sent (if anything) is recorded.
    }
  };

  await call('listStreams', () => client.listStreams({ limit: 5, exclusiveStartStreamName: 'a.b_c-1' }));
  await call('createStream with a count', () => client.createStream({ streamName: 's', shardCount: 3 }));
  await call('createStream ON_DEMAND', () =>
    client.createStream({ streamName: 's', streamMode: 'ON_DEMAND' }),
  );
  await call('describeStream', () =>
    client.describeStream({ streamName: 's', limit: 2, exclusiveStartShardId: 'shardId-000000000001' }),
  );
  await call('deleteStream', () => client.deleteStream({ streamName: 's' }));
  for (const type of ShardIteratorType.options) {
    await call(`getShardIterator ${type}`, () =>
      client.getShardIterator({
        streamName: 's',
        shardId: 'shardId-000000000000',
        type,
        ...(type.includes('SEQUENCE')
          ? { startingSequenceNumber: '49590338271490256608559692538361571095921575989136588898' }
          : {}),
        ...(type === 'AT_TIMESTAMP' ? { timestamp: new Date(1_700_000_000_500) } : {}),
      }),
    );
  }
  await call('getRecords', () =>
    client.getRecords({ streamName: 's', shardIterator: 'AAAA+/==', limit: 100 }),
  );
  // kproxy's additions.
  await call('listShards', () =>
    client.listShards({ streamName: 's', maxResults: 3, exclusiveStartShardId: 'shardId-000000000001' }),
  );
  for (const type of ShardFilterType.options) {
    await call(`listShards filter ${type}`, () =>
      client.listShards({
        streamName: 's',
        shardFilter: {
          type,
          ...(type === 'AFTER_SHARD_ID' ? { shardId: 'shardId-000000000002' } : {}),
          ...(type.endsWith('TIMESTAMP') ? { timestamp: new Date(1_700_000_000_250) } : {}),
        },
      }),
    );
  }
  await call('listShards next page', () =>
    client.listShards({ streamName: 's', maxResults: 2, nextToken: 'AAAA+/==eyJzIjoicyJ9' }),
  );
  await call('updateShardCount', () => client.updateShardCount({ streamName: 's', targetShardCount: 4 }));
  await call('updateShardCount with the scaling type', () =>
    client.updateShardCount({ streamName: 's', targetShardCount: 1, scalingType: 'UNIFORM_SCALING' }),
  );
  await call('describeStreamSummary', () => client.describeStreamSummary({ streamName: 's' }));

  const data: Record<string, unknown> = {
    ...STRINGS,
    ...Object.fromEntries(Object.entries(NON_STRINGS).filter(([, v]) => typeof v !== 'object' || v === null)),
    bytes: Uint8Array.from([0, 1, 127, 128, 255]),
    'an object': { text: 'x/y "q"', n: 1.5, list: [1, null] },
  };
  for (const [name, value] of Object.entries(data)) {
    await call(`putRecord data ${name}`, () =>
      client.putRecord({ streamName: 's', data: value as never, partitionKey: 'k' }),
    );
    await call(`putRecords data ${name}`, () =>
      client.putRecords({ streamName: 's', records: [{ data: value as never, partitionKey: 'k' }] }),
    );
  }
  for (const [name, key] of Object.entries(STRINGS)) {
    await call(`putRecord partitionKey ${name}`, () =>
      client.putRecord({ streamName: 's', data: 'd', partitionKey: key }),
    );
    await call(`putRecords partitionKey ${name}`, () =>
      client.putRecords({
        streamName: 's',
        records: [{ data: 'd', partitionKey: key, explicitHashKey: '42' }],
      }),
    );
  }
  await call('putRecord with every option', () =>
    client.putRecord({
      streamName: 's',
      data: 'd',
      partitionKey: 'k',
      explicitHashKey: '340282366920938463463374607431768211455',
      sequenceNumberForOrdering: '49590338271490256608559692538361571095921575989136588898',
    }),
  );
  return sent;
}
