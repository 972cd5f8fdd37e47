/**
 * What a command handler gets besides its arguments: the output, the process surface, the resolved
 * settings and a client built from them. Settings and client are created on first use, so commands that
 * never call the API (`configure`, `completion`, `local`) never read credentials.
 */
import type { KproxyClient } from '@kproxy/client';
import type { Settings } from '../config/resolve.ts';
import type { Io } from './io.ts';
import type { Output } from './output.ts';

export interface CommandContext {
  readonly io: Io;
  readonly out: Output;
  /** Aborted on Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
  /** Directory relative paths are resolved from. */
  readonly cwd: string;
  settings(): Promise<Settings>;
  client(): Promise<KproxyClient>;
}

export function createContext(io: Io, out: Output, settings: () => Promise<Settings>): CommandContext {
  let client: Promise<KproxyClient> | undefined;
  return {
    io,
    out,
    signal: io.signal ?? new AbortController().signal,
    cwd: io.cwd ?? process.cwd(),
    settings,
    client() {
      // Imported on first use: the client, its signer and schemas stay out of `kproxy --help`'s start.
      client ??= Promise.all([settings(), import('./create-client.ts')]).then(([s, { createClient }]) =>
        createClient(s, out, io.env),
      );
      return client;
    },
  };
}
