/**
 * The browser example in headless Chromium (Debian's `chromium` package, driven by playwright-core):
 * the page gets credentials from its provider function, signs with SigV4 and puts a record through
 * its same-origin server into an emulator that requires IAM auth.
 */
import { existsSync } from 'node:fs';
import { KproxyClient } from '@kproxy/client';
import { type LocalProxy, startLocalProxy } from '@kproxy/local';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, serveBrowserExample } from '../browser/serve.ts';
import { createStream, readAll } from './support.ts';

const CHROMIUM = '/usr/bin/chromium';
// Skipped only on a developer machine without Chromium; CI installs it and must run this.
const missing = !existsSync(CHROMIUM) && !process.env.CI;
if (missing)
  console.warn(`browser example test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const credentials = { accessKeyId: 'AKIDBROWSER', secretAccessKey: 'browser-secret' };

describe.skipIf(missing)('browser example (headless Chromium)', () => {
  let proxy: LocalProxy;
  let page: RunningServer;
  let wrongKey: RunningServer;
  let browser: Browser;
  let client: KproxyClient;

  beforeAll(async () => {
    proxy = await startLocalProxy({
      port: 0,
      inMemory: true,
      quiet: true,
      auth: 'iam',
      credentials: [credentials],
    });
    client = new KproxyClient({ endpoint: proxy.url, auth: { type: 'sigv4', credentials } });
    await createStream(client, 'browser-demo', 1);
    page = await serveBrowserExample({ upstream: proxy.url, credentials, port: 0 });
    wrongKey = await serveBrowserExample({
      upstream: proxy.url,
      credentials: { ...credentials, secretAccessKey: 'not-the-secret' },
      port: 0,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await page?.close();
    await wrongKey?.close();
    await proxy?.close();
  });

  it('puts a signed record and shows where it was stored', async () => {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(page.url);
    await tab.locator('body[data-ready="true"]').waitFor();
    await tab.fill('input[name="partitionKey"]', 'from-chromium');
    await tab.fill('textarea[name="data"]', 'signed in a browser ✓');
    await tab.click('button[type="submit"]');

    const result = tab.locator('#result');
    await expect
      .poll(() => result.textContent())
      .toMatch(/^Stored in shardId-000000000000\nsequence number \d+$/);
    expect(errors).toEqual([]);
    const sequenceNumber = (await result.textContent())!.split(' ').at(-1);

    const stored = await readAll(client, 'browser-demo');
    expect(stored.map((r) => [r.partitionKey, r.sequenceNumber, Buffer.from(r.data).toString()])).toEqual([
      ['from-chromium', sequenceNumber, 'signed in a browser ✓'],
    ]);
    await tab.close();
  });

  it('shows the API refusing a signature made with the wrong secret', async () => {
    const tab = await browser.newPage();
    await tab.goto(wrongKey.url);
    await tab.locator('body[data-ready="true"]').waitFor();
    await tab.click('button[type="submit"]');
    const result = tab.locator('#result.error');
    await expect.poll(() => result.textContent()).toMatch(/^AuthError: .*signature/i);
    await tab.close();
  });
});
