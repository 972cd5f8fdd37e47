/** What a figure was measured on: printed with every table so results from different runs compare. */
import { cpus, loadavg, totalmem } from 'node:os';

export interface RunInfo {
  readonly quick: boolean;
  /** The command a reader can type to reproduce the table. */
  readonly command: string;
}

export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}`;
}

/**
 * The one-minute load average at the start of a benchmark. It decays slowly, so within one `pnpm bench`
 * it still counts the previous benchmark's own work; only a figure above the core count says that
 * something else was competing for the machine.
 */
export function loadLine(): string {
  const [one] = loadavg();
  const busy = (one ?? 0) >= cpus().length;
  return `load average ${one?.toFixed(2)} at start (the previous benchmark of the run counts in it)${busy ? ' — **measured under load**' : ''}`;
}

export function header(run: RunInfo): string {
  return [
    `- machine: ${machineLine()}`,
    `- date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}; ${loadLine()}`,
    `- command: \`${run.command}\` (${run.quick ? '**quick** mode' : 'full mode'})`,
  ].join('\n');
}
