/** listStreams and describeStream page to the end with `for await`. */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { FakeKinesis } from './fake-kinesis.ts';
import { BASE, makeClient, useServer } from './helpers.ts';

const server = useServer();

describe('listStreams', () => {
  it('iterates every stream name across pages, starting each page after the last name', async () => {
    const all = ['a', 'b', 'c', 'd', 'e'];
    const starts: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/streams`, ({ request }) => {
        const url = new URL(request.url);
        const start = url.searchParams.get('exclusive-start-stream-name');
        starts.push(start);
        const from = start ? all.indexOf(start) + 1 : 0;
        const names = all.slice(from, from + 2);
        return HttpResponse.json({ StreamNames: names, HasMoreStreams: from + 2 < all.length });
      }),
    );
    const { client } = makeClient();
    const names: string[] = [];
    for await (const name of client.listStreams({ limit: 2 })) names.push(name);
    expect(names).toEqual(all);
    expect(starts).toEqual([null, 'b', 'd']);
  });

  it('shares the first page between await and iteration', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/streams`, () => {
        calls++;
        return HttpResponse.json({ StreamNames: ['only'], HasMoreStreams: false });
      }),
    );
    const { client } = makeClient();
    const list = client.listStreams();
    expect((await list).streamNames).toEqual(['only']);
    const names: string[] = [];
    for await (const name of list) names.push(name);
    expect(names).toEqual(['only']);
    expect(calls).toBe(1);
  });
});

describe('describeStream', () => {
  it('iterates every shard across pages', async () => {
    const fake = new FakeKinesis(
      'orders',
      Array.from({ length: 5 }, (_, i) => ({ id: `shardId-00000000000${i}`, records: [] })),
    );
    server.use(...fake.handlers());
    const { client } = makeClient();
    const ids: string[] = [];
    for await (const shard of client.describeStream({ streamName: 'orders', limit: 2 }))
      ids.push(shard.shardId);
    expect(ids).toEqual(fake.shards.map((s) => s.id));
    expect(fake.calls).toEqual([
      'describe ?limit=2',
      'describe ?limit=2&exclusive-start-shard-id=shardId-000000000001',
      'describe ?limit=2&exclusive-start-shard-id=shardId-000000000003',
    ]);
    const pages = [];
    for await (const page of client.describeStream({ streamName: 'orders', limit: 2 }).pages())
      pages.push(page.shards.length);
    expect(pages).toEqual([2, 2, 1]);
  });
});
