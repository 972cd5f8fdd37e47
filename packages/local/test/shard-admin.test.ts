/**
 * What the emulator adds to kinesalite: ListShards pages and filters, UpdateShardCount over
 * SplitShard/MergeShards with Kinesis's checks. Through the emulator's routes (the contract's templates)
 * where a route can show it, on the adapter directly where the test needs a small shard limit or a slow
 * engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProxy, startLocalProxy } from '../src/index.ts';
import { createKinesisCaller } from '../src/kinesis/call.ts';
import { startEmbeddedEngine } from '../src/kinesis/embedded.ts';
import { withShardAdministration } from '../src/kinesis/shard-admin/index.ts';
import {
  encodeNextToken,
  filterShards,
  KinesisError,
  type ListedShard,
  parseListShards,
  type ShardTimes,
} from '../src/kinesis/shard-admin/list-shards.ts';
import { memoryLogger, request } from './helpers.ts';

let proxy: LocalProxy;
let url: string;
beforeAll(async () => {
  proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
  url = proxy.url;
});
afterAll(() => proxy.close());

type Shard = ListedShard;

async function create(name: string, shards: number): Promise<void> {
  const created = await request(`${url}/streams/${name}`, { method: 'POST', body: { ShardCount: shards } });
  expect(created.status).toBe(200);
}

/** Polls the summary until the stream is ACTIVE with `open` open shards. */
async function settled(name: string, open: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const summary = (await request(`${url}/streams/${name}/summary`)).body.StreamDescriptionSummary;
    if (summary.StreamStatus === 'ACTIVE' && summary.OpenShardCount === open) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${name} did not settle at ${open} open shards`);
}

async function shardsOf(name: string, query = ''): Promise<Shard[]> {
  const listed = await request(`${url}/streams/${name}/shards${query}`);
  expect(listed.status, listed.text).toBe(200);
  return listed.body.Shards;
}

const ranges = (shards: Shard[]) =>
  shards
    .filter((s) => !s.SequenceNumberRange.EndingSequenceNumber)
    .map((s) => [s.HashKeyRange.StartingHashKey, s.HashKeyRange.EndingHashKey]);

describe('DescribeStreamSummary', () => {
  it('describes the stream without its shards, with the open shard count', async () => {
    await create('summary', 3);
    const described = await request(`${url}/streams/summary/summary`);
    expect(described.status).toBe(200);
    expect(described.body.StreamDescriptionSummary).toMatchObject({
      StreamName: 'summary',
      StreamStatus: 'ACTIVE',
      OpenShardCount: 3,
      RetentionPeriodHours: 24,
    });
    expect(described.body.StreamDescriptionSummary.Shards).toBeUndefined();
    expect((await request(`${url}/streams/nope/summary`)).status).toBe(404);
  });
});

describe('ListShards on the embedded engine', () => {
  it('pages with max-results and next-token, each page after the last', async () => {
    await create('paged', 5);
    const first = await request(`${url}/streams/paged/shards?max-results=2`);
    expect(first.body.Shards.map((s: Shard) => s.ShardId)).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
    ]);
    expect(typeof first.body.NextToken).toBe('string');
    const second = await request(
      `${url}/streams/paged/shards?max-results=2&next-token=${encodeURIComponent(first.body.NextToken)}`,
    );
    expect(second.body.Shards.map((s: Shard) => s.ShardId)).toEqual([
      'shardId-000000000002',
      'shardId-000000000003',
    ]);
    const last = await request(
      `${url}/streams/paged/shards?next-token=${encodeURIComponent(second.body.NextToken)}`,
    );
    expect(last.body.Shards.map((s: Shard) => s.ShardId)).toEqual(['shardId-000000000004']);
    expect(last.body.NextToken).toBeUndefined();
    // Without max-results one call lists up to 10,000 shards.
    expect(await shardsOf('paged')).toHaveLength(5);
    expect((await shardsOf('paged', '?exclusive-start-shard-id=shardId-000000000002')).length).toBe(2);
  });

  it('filters: AT_LATEST the open shards, AFTER_SHARD_ID, and the filter goes on with the token', async () => {
    await create('filtered', 2);
    const updated = await request(`${url}/streams/filtered/shard-count`, {
      method: 'PUT',
      body: { TargetShardCount: 4 },
    });
    expect(updated.status, updated.text).toBe(200);
    await settled('filtered', 4);
    expect(await shardsOf('filtered')).toHaveLength(6);
    const open = await shardsOf('filtered', '?shard-filter-type=AT_LATEST');
    expect(open.map((s) => s.ShardId)).toEqual([
      'shardId-000000000002',
      'shardId-000000000003',
      'shardId-000000000004',
      'shardId-000000000005',
    ]);
    const page = await request(`${url}/streams/filtered/shards?shard-filter-type=AT_LATEST&max-results=3`);
    const rest = await request(
      `${url}/streams/filtered/shards?next-token=${encodeURIComponent(page.body.NextToken)}`,
    );
    expect(rest.body.Shards.map((s: Shard) => s.ShardId)).toEqual(['shardId-000000000005']);
    const after = await shardsOf(
      'filtered',
      '?shard-filter-type=AFTER_SHARD_ID&shard-filter-shard-id=shardId-000000000003',
    );
    expect(after.map((s) => s.ShardId)).toEqual(['shardId-000000000004', 'shardId-000000000005']);
    // Far in the future every open shard is open, and only they; FROM_TIMESTAMP likewise.
    const later = String(Math.floor(Date.now() / 1000) + 3600);
    expect(
      await shardsOf('filtered', `?shard-filter-type=AT_TIMESTAMP&shard-filter-timestamp=${later}`),
    ).toEqual(open);
    expect(
      await shardsOf('filtered', `?shard-filter-type=FROM_TIMESTAMP&shard-filter-timestamp=${later}`),
    ).toEqual(open);
    // Before the stream existed no shard was open.
    expect(await shardsOf('filtered', '?shard-filter-type=AT_TIMESTAMP&shard-filter-timestamp=1000')).toEqual(
      [],
    );
    // At the trim horizon of a young stream: its first shards.
    const horizon = await shardsOf('filtered', '?shard-filter-type=AT_TRIM_HORIZON');
    expect(horizon.map((s) => s.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
  });

  it("refuses what Kinesis refuses, with Kinesis's error types", async () => {
    await create('refusals', 1);
    const bad = async (query: string, type: string) => {
      const answered = await request(`${url}/streams/refusals/shards${query}`);
      expect(answered.status, query).toBe(400);
      expect(answered.body.__type, query).toBe(type);
    };
    await bad('?next-token=bm90IGEgdG9rZW4%3D', 'InvalidArgumentException');
    await bad('?shard-filter-type=AFTER_SHARD_ID', 'InvalidArgumentException');
    await bad('?shard-filter-type=AT_TIMESTAMP', 'InvalidArgumentException');
    await bad('?shard-filter-type=AT_LATEST&shard-filter-timestamp=5', 'InvalidArgumentException');
    await bad('?shard-filter-type=SOMETIMES', 'ValidationException');
    await bad('?max-results=0', 'ValidationException');
    expect((await request(`${url}/streams/nope/shards`)).status).toBe(404);
  });

  it('a token expires after 300 seconds', () => {
    const token = encodeNextToken({ s: 'orders', a: 'shardId-000000000001', t: 1_000_000 });
    expect(parseListShards({ NextToken: token }, 1_000_000 + 299_000)).toMatchObject({
      kind: 'next',
      streamName: 'orders',
      after: 'shardId-000000000001',
    });
    expect(() => parseListShards({ NextToken: token }, 1_000_000 + 301_000)).toThrow(
      expect.objectContaining({ type: 'ExpiredNextTokenException' }),
    );
    expect(() => parseListShards({ NextToken: token, StreamName: 'orders' }, 1_000_000)).toThrow(
      KinesisError,
    );
    expect(() => parseListShards({ NextToken: `${token}x` }, 1_000_000)).toThrow(/Invalid NextToken/);
  });
});

describe('ShardFilter over shard times', () => {
  const shard = (id: number, parents: number[] = []): Shard => ({
    ShardId: `shardId-${String(id).padStart(12, '0')}`,
    ...(parents[0] !== undefined ? { ParentShardId: `shardId-${String(parents[0]).padStart(12, '0')}` } : {}),
    HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' },
    SequenceNumberRange: { StartingSequenceNumber: '1' },
  });
  // 0 and 1 open at 1000 s; 0 closes at 2000 s into 2 and 3; 2 closes at 3000 s into 4.
  const times: Record<string, ShardTimes> = {
    'shardId-000000000000': { openedAt: 1_000_000, closedAt: 2_000_000 },
    'shardId-000000000001': { openedAt: 1_000_000, closedAt: undefined },
    'shardId-000000000002': { openedAt: 2_000_000, closedAt: 3_000_000 },
    'shardId-000000000003': { openedAt: 2_000_000, closedAt: undefined },
    'shardId-000000000004': { openedAt: 3_000_000, closedAt: undefined },
  };
  const all = [shard(4, [2]), shard(0), shard(1), shard(2, [0]), shard(3, [0])];
  const ids = (type: string, extra: object = {}, now = 4_000_000, retentionMs = 24 * 3_600_000) =>
    filterShards(all, { Type: type as never, ...extra }, (s) => times[s.ShardId]!, now, retentionMs).map(
      (s) => Number(s.ShardId.slice(-2)),
    );

  it('selects per type, in shard id order', () => {
    expect(ids('FROM_TRIM_HORIZON')).toEqual([0, 1, 2, 3, 4]);
    expect(ids('AT_LATEST')).toEqual([1, 3, 4]);
    expect(ids('AT_TIMESTAMP', { Timestamp: 1500 })).toEqual([0, 1]);
    expect(ids('AT_TIMESTAMP', { Timestamp: 2500 })).toEqual([1, 2, 3]);
    expect(ids('FROM_TIMESTAMP', { Timestamp: 2500 })).toEqual([1, 2, 3, 4]);
    expect(ids('AT_TRIM_HORIZON')).toEqual([0, 1]);
    expect(ids('AFTER_SHARD_ID', { ShardId: 'shardId-000000000002' })).toEqual([3, 4]);
  });

  it('leaves out shards closed before the retention period (expired), and moves the trim horizon', () => {
    // One hour of retention, now 2500 s + 1 h: the trim horizon is at 2500 s, shard 0 (closed at 2000 s)
    // has expired.
    const now = 2_500_000 + 3_600_000;
    expect(ids('FROM_TRIM_HORIZON', {}, now, 3_600_000)).toEqual([1, 2, 3, 4]);
    expect(ids('AT_TRIM_HORIZON', {}, now, 3_600_000)).toEqual([1, 2, 3]);
    expect(ids('FROM_TIMESTAMP', { Timestamp: 0 }, now, 3_600_000)).toEqual([1, 2, 3, 4]);
    expect(ids('AT_LATEST', {}, now, 3_600_000)).toEqual([1, 3, 4]);
  });
});

describe('UpdateShardCount on the embedded engine', () => {
  it('2 → 4 → 3 while writing: uniform ranges as CreateStream gives them, every record kept', async () => {
    await create('resharded', 2);
    await create('three', 3);
    const put = (i: number) =>
      request(`${url}/streams/resharded/record`, {
        method: 'PUT',
        body: { Data: `r${i}`, PartitionKey: `k${i % 17}` },
      });
    let written = 0;
    const writes: Promise<unknown>[] = [];
    const writeSome = async () => {
      for (let i = 0; i < 20; i++) writes.push(put(written++).then((r) => expect(r.status).toBe(200)));
      await Promise.all(writes);
    };
    await writeSome();
    const up = await request(`${url}/streams/resharded/shard-count`, {
      method: 'PUT',
      body: { TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' },
    });
    expect(up.status, up.text).toBe(200);
    expect(up.body).toMatchObject({ StreamName: 'resharded', CurrentShardCount: 2, TargetShardCount: 4 });
    await writeSome();
    await settled('resharded', 4);
    await writeSome();
    const down = await request(`${url}/streams/resharded/shard-count`, {
      method: 'PUT',
      body: { TargetShardCount: 3 },
    });
    expect(down.body).toMatchObject({ CurrentShardCount: 4, TargetShardCount: 3 });
    await writeSome();
    await settled('resharded', 3);

    const shards = await shardsOf('resharded');
    expect(ranges(shards)).toEqual(ranges(await shardsOf('three')));
    // Every shard but the first two has its parents in the stream.
    const known = new Set(shards.map((s) => s.ShardId));
    for (const s of shards.slice(2)) {
      expect(known.has(s.ParentShardId!)).toBe(true);
      if (s.AdjacentParentShardId) expect(known.has(s.AdjacentParentShardId)).toBe(true);
    }
    // Every record is in exactly one shard.
    const data: string[] = [];
    for (const s of shards) {
      const iterator = await request(`${url}/streams/resharded/sharditerator?shard-id=${s.ShardId}`);
      let next: string | undefined = iterator.body.ShardIterator;
      for (let reads = 0; next && reads < 20; reads++) {
        const read = await request(`${url}/streams/resharded/records`, {
          headers: { 'Shard-Iterator': next },
        });
        for (const r of read.body.Records) data.push(Buffer.from(r.Data, 'base64').toString());
        next =
          read.body.Records.length === 0 && !s.SequenceNumberRange.EndingSequenceNumber
            ? undefined
            : read.body.NextShardIterator;
      }
    }
    expect(data.sort()).toEqual(Array.from({ length: written }, (_, i) => `r${i}`).sort());
  });

  it("refuses what Kinesis refuses: more than double, less than half, a stream that isn't there", async () => {
    await create('limits', 4);
    const update = (name: string, body: unknown) =>
      request(`${url}/streams/${name}/shard-count`, { method: 'PUT', body });
    for (const target of [9, 1]) {
      const refused = await update('limits', { TargetShardCount: target });
      expect(refused.status).toBe(429);
      expect(refused.body.__type).toBe('LimitExceededException');
      expect(refused.body.message).toMatch(/would exceed/);
    }
    expect((await update('nope', { TargetShardCount: 2 })).status).toBe(404);
    // The request model: API Gateway refuses these before Kinesis sees them.
    expect((await update('limits', { TargetShardCount: 0 })).status).toBe(400);
    expect((await update('limits', { TargetShardCount: 2, ScalingType: 'OTHER' })).status).toBe(400);
    expect((await update('limits', {})).body).toEqual({ message: 'Invalid request body' });
  });

  it('two at once: one goes ahead, the other gets ResourceInUseException; 10 scalings a day at most', async () => {
    const engine = await startEmbeddedEngine({ dataDir: undefined, region: 'us-east-1' });
    const direct = createKinesisCaller(engine);
    // The first split waits for the test's go: the reshard is certainly under way meanwhile.
    let go!: () => void;
    const gate = new Promise<void>((resolve) => (go = resolve));
    const admin = withShardAdministration(
      async (action, body) => {
        if (action === 'SplitShard') await gate;
        return direct(action, body);
      },
      { shardLimit: 100, logger: memoryLogger() },
    );
    try {
      const call = async (action: string, body: object) => {
        const response = await admin.callKinesis(action, JSON.stringify(body));
        return { status: response.status, body: JSON.parse(response.body || '{}') };
      };
      const summary = async () =>
        (await call('DescribeStreamSummary', { StreamName: 'twice' })).body.StreamDescriptionSummary;
      const waitFor = async (open: number) => {
        for (let i = 0; i < 400; i++) {
          const now = await summary();
          if (now.StreamStatus === 'ACTIVE' && now.OpenShardCount === open) return;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        throw new Error(`not ${open}`);
      };
      await call('CreateStream', { StreamName: 'twice', ShardCount: 1 });
      const update = (target: number) =>
        call('UpdateShardCount', {
          StreamName: 'twice',
          TargetShardCount: target,
          ScalingType: 'UNIFORM_SCALING',
        });
      const [first, second] = await Promise.all([update(2), update(2)]);
      expect(first.status).toBe(200);
      expect(second.body.__type).toBe('ResourceInUseException');
      // Until the reshard is done the stream reports UPDATING (kinesalite itself says ACTIVE here).
      expect(await summary()).toMatchObject({ StreamStatus: 'UPDATING', OpenShardCount: 1 });
      expect(
        (await call('DescribeStream', { StreamName: 'twice' })).body.StreamDescription.StreamStatus,
      ).toBe('UPDATING');
      expect((await update(2)).body.__type).toBe('ResourceInUseException');
      go();
      await waitFor(2);
      for (let i = 1; i < 10; i++) {
        expect((await update(i % 2 === 0 ? 2 : 1)).status).toBe(200);
        await waitFor(i % 2 === 0 ? 2 : 1);
      }
      const eleventh = await update(2);
      expect(eleventh.body.__type).toBe('LimitExceededException');
      expect(eleventh.body.message).toMatch(/10 scalings .* per rolling 24 hours/);
    } finally {
      await admin.close();
      await engine.close();
    }
  });

  it('counts the short-lived shards of a reshard against the account shard limit', async () => {
    const engine = await startEmbeddedEngine({ dataDir: undefined, region: 'us-east-1', shardLimit: 5 });
    const admin = withShardAdministration(createKinesisCaller(engine), {
      shardLimit: 5,
      logger: memoryLogger(),
    });
    try {
      await admin.callKinesis('CreateStream', JSON.stringify({ StreamName: 'full', ShardCount: 4 }));
      // 4 → 3 needs a fifth shard for a moment: allowed at 5; 4 → 5 is not even possible at a limit of 4.
      const fits = await admin.callKinesis(
        'UpdateShardCount',
        JSON.stringify({ StreamName: 'full', TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }),
      );
      expect(fits.status).toBe(200);
      await admin.close();
      const other = withShardAdministration(createKinesisCaller(engine), {
        shardLimit: 4,
        logger: memoryLogger(),
      });
      const refused = await other.callKinesis(
        'UpdateShardCount',
        JSON.stringify({ StreamName: 'full', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }),
      );
      expect(JSON.parse(refused.body)).toMatchObject({
        __type: 'LimitExceededException',
        message: expect.stringMatching(/shard limit for the account/),
      });
    } finally {
      await engine.close();
    }
  });

  it('refuses a stream that is not ACTIVE yet', async () => {
    const engine = await startEmbeddedEngine({ dataDir: undefined, region: 'us-east-1', transitionMs: 300 });
    const admin = withShardAdministration(createKinesisCaller(engine), {
      shardLimit: 50,
      logger: memoryLogger(),
    });
    try {
      await admin.callKinesis('CreateStream', JSON.stringify({ StreamName: 'young', ShardCount: 1 }));
      const refused = await admin.callKinesis(
        'UpdateShardCount',
        JSON.stringify({ StreamName: 'young', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }),
      );
      expect(JSON.parse(refused.body)).toMatchObject({
        __type: 'ResourceInUseException',
        message: 'Stream young is not ACTIVE, it is CREATING.',
      });
    } finally {
      await admin.close();
      await engine.close();
    }
  });
});

describe('routes', () => {
  it('a proxy with only the seed routes answers 403 Missing Authentication Token for the additions', async () => {
    const seedOnly = await startLocalProxy({
      port: 0,
      inMemory: true,
      quiet: true,
      routes: [
        'listStreams',
        'createStream',
        'describeStream',
        'deleteStream',
        'putRecord',
        'putRecords',
        'getShardIterator',
        'getRecords',
      ],
    });
    try {
      const answered = await request(`${seedOnly.url}/streams/any/shards`);
      expect(answered.status).toBe(403);
      expect(answered.body).toEqual({ message: 'Missing Authentication Token' });
      expect((await request(`${seedOnly.url}/streams`)).status).toBe(200);
    } finally {
      await seedOnly.close();
    }
    await expect(startLocalProxy({ routes: ['nope' as never] })).rejects.toThrow(/routes: "nope"/);
  });
});
