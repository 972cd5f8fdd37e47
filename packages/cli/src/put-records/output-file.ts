/**
 * What `put-records`' own files (`--failed-out`, `--checkpoint`) share: telling whether two paths are
 * the same file (device and inode, so a symlink or `./f` vs `f` cannot hide it), syncing only what can
 * be synced, and the error a write to one of them ends with.
 */
import { fstatSync, fsyncSync, type Stats, statSync } from 'node:fs';
import { CliError } from '../core/errors.ts';

/** A file's identity on this machine. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

export const sameFile = (a: FileIdentity | undefined, b: FileIdentity | undefined): boolean =>
  a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;

/** The file at `path` (symlinks followed), or undefined when there is none. */
export function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The open file behind `fd`, or undefined (a test's stream has no descriptor). */
export function fstatOf(fd: number | undefined): Stats | undefined {
  if (fd === undefined) return undefined;
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
}

/**
 * fsync for a regular file; nothing for a device, a pipe or a socket (`/dev/null`, `>(gzip > f.gz)`),
 * where fsync fails with EINVAL and there is nothing on a disk to make durable anyway.
 */
export function syncIfFile(fd: number, regular: boolean): void {
  if (regular) fsyncSync(fd);
}

/** Writing (or syncing) `--failed-out` / `--checkpoint` failed: a full disk, a closed pipe, a lost mount. */
export class OutputFileError extends CliError {
  override readonly name = 'OutputFileError';
  constructor(
    /** `--failed-out` or `--checkpoint`. */
    readonly flag: string,
    readonly path: string,
    cause: unknown,
    /** Of the write that failed, the bytes kept in the file (whole lines). */
    readonly keptBytes = 0,
  ) {
    const { code, message } = cause as NodeJS.ErrnoException;
    super(
      `Cannot write ${flag} ${path}: ${message ?? String(cause)}`,
      code === 'ENOSPC' || code === 'EDQUOT'
        ? `Free some disk space or pick another ${flag} path, then run again on what is left (below).`
        : code === 'EFBIG'
          ? `Raise the file size limit (ulimit -f) or pick another ${flag} path, then run again on what is left (below).`
          : `Check that ${path} can still be written, or pick another ${flag} path, then run again on what is left (below).`,
      undefined,
      { cause },
    );
  }
}
