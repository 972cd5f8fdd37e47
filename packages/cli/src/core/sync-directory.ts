import { closeSync, fsyncSync, openSync } from 'node:fs';

/**
 * Makes a new or renamed file's directory entry durable (the checkpoint of `tail`, the journal of
 * `put-records`): without it a crash of the machine can lose the name though the data was synced.
 * Best effort: not every platform can open or sync a directory.
 */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot open or sync a directory.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
