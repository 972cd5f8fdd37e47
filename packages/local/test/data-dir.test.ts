/** Two emulators on one data directory: the second is refused with an error that names the directory. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirInUseError, startLocalProxy } from '../src/index.ts';
import { memoryLogger } from './helpers.ts';

describe('a data directory another emulator holds', () => {
  it('is refused with DataDirInUseError, and usable again once the holder closes', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'kproxy-lock-')), 'data');
    const first = await startLocalProxy({ port: 0, dataDir, logger: memoryLogger() });
    try {
      const error = await startLocalProxy({ port: 0, dataDir, logger: memoryLogger() }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DataDirInUseError);
      expect(error).toMatchObject({ code: 'EDATADIRINUSE', directory: dataDir });
      expect((error as Error).message).toBe(
        `The data directory ${dataDir} is in use by another emulator (its LevelDB lock is held): stop that one, or give this one another dataDir, or inMemory: true`,
      );
    } finally {
      await first.close();
    }
    const again = await startLocalProxy({ port: 0, dataDir, logger: memoryLogger() });
    await again.close();
  });
});
