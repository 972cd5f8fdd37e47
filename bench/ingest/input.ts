/** JSON Lines inputs for `kproxy put-records`, written in chunks so that a 1 GiB file needs no 1 GiB string. */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** `{"data":"<n> xxx…","partitionKey":"key-<n>"}` lines with `dataBytes` of data each; returns the line count. */
export async function writeRecords(
  file: string,
  target: { records: number } | { bytes: number },
  dataBytes: number,
): Promise<number> {
  const out = createWriteStream(file);
  const line = (n: number) => {
    const prefix = `${n} `;
    return `${JSON.stringify({ data: prefix + 'x'.repeat(Math.max(0, dataBytes - prefix.length)), partitionKey: `key-${n}` })}\n`;
  };
  let written = 0;
  let n = 0;
  const done = () => ('records' in target ? n >= target.records : written >= target.bytes);
  while (!done()) {
    let chunk = '';
    for (let i = 0; i < 1000 && !done(); i++) {
      const text = line(n++);
      chunk += text;
      written += text.length;
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return n;
}
