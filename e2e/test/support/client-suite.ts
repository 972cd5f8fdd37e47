/**
 * The client's core, end to end through the emulator: every operation, typed errors, bulk put and the
 * stream reader across several shards. Run on each engine behind the emulator.
 */
import {
  AuthError,
  ConflictError,
  isNotFoundError,
  type KproxyClient,
  NotFoundError,
  type ServerError,
  type ValidationError,
} from '@kproxy/client';
import { expandPath, operations } from '@kproxy/contract';
import { describe, expect, it } from 'vitest';

export interface SuiteOptions {
  /** Records for the bulk put / read test; kinesis-local is slow, so it gets fewer. */
  readonly bulkRecords: number;
  /**
   * What a malformed shard iterator raises: Kinesis (and kinesalite) answer 400 InvalidArgument;
   * kinesis-local fails with a 500.
   */
  readonly badIteratorError: typeof ValidationError | typeof ServerError;
}

/** Waits until a new stream accepts records (engines take a moment to leave CREATING). */
export async function waitForActive(client: KproxyClient, streamName: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const description = await client.describeStream({ streamName }).catch((error: unknown) => {
      if (isNotFoundError(error)) return undefined;
      throw error;
    });
    if (description?.streamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${streamName} did not become ACTIVE`);
}

export function clientSuite(engine: string, getClient: () => KproxyClient, options: SuiteOptions) {
  const prefix = `e2e-${engine.replace(/\W/g, '')}`;

  describe(`@kproxy/client on ${engine}`, () => {
    it('creates, lists, describes and deletes streams', async () => {
      const client = getClient();
      const streamName = `${prefix}-lifecycle`;
      await client.createStream({ streamName, shardCount: 2 });
      await waitForActive(client, streamName);

      const names: string[] = [];
      for await (const name of client.listStreams({ limit: 1 })) names.push(name);
      expect(names).toContain(streamName);

      const description = await client.describeStream({ streamName });
      expect(description.streamName).toBe(streamName);
      const shards: string[] = [];
      for await (const shard of client.describeStream({ streamName, limit: 1 })) shards.push(shard.shardId);
      expect(shards).toEqual(['shardId-000000000000', 'shardId-000000000001']);

      await client.deleteStream({ streamName });
      for (let i = 0; i < 100; i++) {
        const still = await client.describeStream({ streamName }).catch(() => undefined);
        if (!still) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await expect(client.describeStream({ streamName })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('puts and gets records: text, bytes and JSON come back exactly', async () => {
      const client = getClient();
      const streamName = `${prefix}-records`;
      await client.createStream({ streamName, shardCount: 1 });
      await waitForActive(client, streamName);

      const text = 'héllo "wörld" \\ 🎉\n';
      const bytes = new Uint8Array([0, 1, 127, 128, 254, 255]);
      const first = await client.putRecord({ streamName, data: text, partitionKey: 'p"1' });
      expect(first.shardId).toBe('shardId-000000000000');
      expect(first.sequenceNumber).toMatch(/^\d+$/);
      const batch = await client.putRecords({
        streamName,
        records: [
          { data: bytes, partitionKey: 'p2' },
          { data: { order: 7, items: ['a', 'b'] }, partitionKey: 'p3' },
        ],
      });
      expect(batch.failedRecordCount).toBe(0);
      expect(batch.records).toHaveLength(2);

      const { shardIterator } = await client.getShardIterator({
        streamName,
        shardId: 'shardId-000000000000',
      });
      const read = await client.getRecords({ streamName, shardIterator });
      expect(read.records.map((r) => r.partitionKey)).toEqual(['p"1', 'p2', 'p3']);
      expect(read.records[0]!.text()).toBe(text);
      expect([...read.records[1]!.data]).toEqual([...bytes]);
      expect(read.records[2]!.json()).toEqual({ order: 7, items: ['a', 'b'] });
      expect(read.records[0]!.sequenceNumber).toBe(first.sequenceNumber);
      expect(typeof read.nextShardIterator).toBe('string');

      const after = await client.getShardIterator({
        streamName,
        shardId: 'shardId-000000000000',
        type: 'AFTER_SEQUENCE_NUMBER',
        startingSequenceNumber: first.sequenceNumber,
      });
      const rest = await client.getRecords({ streamName, shardIterator: after.shardIterator, limit: 1 });
      expect(rest.records.map((r) => r.partitionKey)).toEqual(['p2']);
    });

    it('raises the error class the status calls for', async () => {
      const client = getClient();
      const missing = await client
        .putRecord({ streamName: `${prefix}-missing`, data: 'x', partitionKey: 'k' })
        .catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(NotFoundError);
      expect(missing).toMatchObject({
        status: 404,
        kinesisType: expect.stringMatching(/ResourceNotFoundException$/),
      });

      const streamName = `${prefix}-errors`;
      await client.createStream({ streamName, shardCount: 1 });
      await waitForActive(client, streamName);
      const duplicate = await client
        .createStream({ streamName, shardCount: 1 })
        .catch((error: unknown) => error);
      expect(duplicate).toBeInstanceOf(ConflictError);
      expect(duplicate).toMatchObject({ status: 409 });

      const badIterator = await client
        .getRecords({ streamName, shardIterator: 'bm90IGFuIGl0ZXJhdG9y' })
        .catch((error: unknown) => error);
      expect(badIterator).toBeInstanceOf(options.badIteratorError);
      expect(badIterator).not.toBeInstanceOf(AuthError);
    });

    it('bulk-puts across several shards and reads everything back with readStream', async () => {
      const client = getClient();
      const streamName = `${prefix}-bulk`;
      await client.createStream({ streamName, shardCount: 3 });
      await waitForActive(client, streamName);

      const count = options.bulkRecords;
      async function* source() {
        for (let i = 0; i < count; i++) yield { data: `record ${i}`, partitionKey: `key-${i % 37}` };
      }
      const result = await client.bulkPut({ streamName, records: source(), concurrency: 2 });
      expect(result).toMatchObject({ succeeded: count, failed: 0 });

      const numbers: number[] = [];
      const sequences = new Map<string, bigint[]>();
      const reader = client.readStream({ streamName, from: 'trim-horizon', follow: false });
      for await (const record of reader) {
        numbers.push(Number(record.text().slice('record '.length)));
        const shard = sequences.get(record.shardId) ?? [];
        shard.push(BigInt(record.sequenceNumber));
        sequences.set(record.shardId, shard);
      }
      expect(sequences.size).toBe(3);
      expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
      // Each shard is read in the order it stored its records. (Not input order per key: bulkPut's
      // concurrent batches may store one key's records out of input order, as the client documents.)
      for (const shard of sequences.values()) {
        expect(shard.every((n, i) => i === 0 || n > shard[i - 1]!)).toBe(true);
      }

      // A saved position resumes after the last record: nothing is left to read.
      const resumed = client.readStream({ streamName, from: { position: reader.position() }, follow: false });
      const again: unknown[] = [];
      for await (const record of resumed) again.push(record);
      expect(again).toEqual([]);
    });

    it('counts a partition key as the contract does: in UTF-16 units (128 emoji stored, 129 refused)', async () => {
      const client = getClient();
      const streamName = `${prefix}-key-length`;
      await client.createStream({ streamName, shardCount: 1 });
      await waitForActive(client, streamName);
      // Straight to the API, past the client's own check: the engine decides.
      const put = (partitionKey: string) =>
        fetch(client.endpoint + expandPath(operations.putRecord.path, { 'stream-name': streamName }), {
          method: operations.putRecord.method,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ Data: 'x', PartitionKey: partitionKey }),
        });
      expect((await put('😀'.repeat(128))).status).toBe(200);
      expect((await put('😀'.repeat(129))).status).toBe(400);
      // The client refuses the same key before sending.
      await expect(
        client.putRecord({ streamName, data: 'x', partitionKey: '😀'.repeat(129) }),
      ).rejects.toMatchObject({ name: 'InputError', field: 'partitionKey' });
    });
  });
}
