/**
 * `pnpm bench reliability`: what kproxy's delivery guarantees hold under injected faults, measured with
 * the e2e fault proxy (`e2e/fault-proxy/`) between the client and `kproxy local`. One section of
 * RESULTS.md, made of parts: bulk writes now; the reader's outage figures are to join as a second part.
 */
import { header, type RunInfo } from '../lib/machine.ts';
import { bulkWrites } from './writes.ts';

type Part = (run: RunInfo) => Promise<string>;

/** The parts, in the order the section shows them. */
const PARTS: Part[] = [bulkWrites];

export async function reliability(run: RunInfo): Promise<string> {
  const parts: string[] = [];
  for (const part of PARTS) parts.push(await part(run));
  return `## 7. Reliability under injected faults

${header(run)}

Faults are injected by the project's fault proxy ([e2e/fault-proxy](../e2e/fault-proxy/README.md)),
seeded, between the writer and \`kproxy local\` (its own process, in memory). After each run the stream is
read back straight from the emulator and compared with the input and with what the writer reported failed
(\`--failed-out\`, \`onFailure\`).

${parts.join('\n\n')}
`;
}
