import { afterAll, beforeAll } from 'vitest';
import { type LocalProxy, startLocalProxy } from '../src/index.ts';
import { coreSuite } from './support/core-suite.ts';

let proxy: LocalProxy;
beforeAll(async () => {
  proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
});
afterAll(() => proxy.close());

coreSuite('embedded kinesalite', () => proxy.url);
