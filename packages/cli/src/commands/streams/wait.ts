import { setTimeout as sleep } from 'node:timers/promises';
import type { KproxyClient } from '@kproxy/client';

const POLL_MS = 1000;

/** Polls DescribeStream until the stream reaches `status`; returns it. */
export async function waitForStatus(
  client: KproxyClient,
  streamName: string,
  status: string,
  signal: AbortSignal,
): Promise<string> {
  for (;;) {
    const description = await client.describeStream({ streamName }, { signal });
    if (description.streamStatus === status) return status;
    await sleep(POLL_MS, undefined, { signal });
  }
}
