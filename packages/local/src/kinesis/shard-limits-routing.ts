/**
 * Which shard a record goes to, as Kinesis decides it: the MD5 of the partition key (its UTF-8 bytes)
 * read as an unsigned 128-bit integer, or the ExplicitHashKey when given, falls in exactly one open
 * shard's [StartingHashKey, EndingHashKey]. The shard map comes from the engine itself (ListShards),
 * cached per stream until it is invalidated (a stream created, deleted or resharded).
 */
import { createHash } from 'node:crypto';
import type { KinesisCaller } from './call.ts';

export interface OpenShard {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

/** The 128-bit hash key a record is routed by. */
export function hashKeyOf(partitionKey: string, explicitHashKey?: string): bigint {
  if (explicitHashKey !== undefined) return BigInt(explicitHashKey);
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** The open shard whose hash-key range holds `hashKey`; undefined when the map has a gap there. */
export function shardFor(shards: readonly OpenShard[], hashKey: bigint): OpenShard | undefined {
  return shards.find((s) => s.startingHashKey <= hashKey && hashKey <= s.endingHashKey);
}

interface ListedShard {
  ShardId: string;
  HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
  SequenceNumberRange?: { EndingSequenceNumber?: string | null };
}

/** The stream's open shards by ListShards (every page); undefined when the engine refuses (no such stream…). */
export async function listOpenShards(
  callKinesis: KinesisCaller,
  stream: { StreamName?: string; StreamARN?: string },
): Promise<OpenShard[] | undefined> {
  const shards: OpenShard[] = [];
  let request: Record<string, unknown> = { ...stream };
  for (;;) {
    const response = await callKinesis('ListShards', JSON.stringify(request));
    if (response.status !== 200) return undefined;
    const page = JSON.parse(response.body) as { Shards?: ListedShard[]; NextToken?: string | null };
    for (const shard of page.Shards ?? []) {
      // A closed shard (split or merged away) has an ending sequence number and takes no more writes.
      if (shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      shards.push({
        shardId: shard.ShardId,
        startingHashKey: BigInt(shard.HashKeyRange.StartingHashKey),
        endingHashKey: BigInt(shard.HashKeyRange.EndingHashKey),
      });
    }
    if (!page.NextToken) return shards;
    // A page token replaces the stream name (Kinesis refuses both together).
    request = { NextToken: page.NextToken };
  }
}
