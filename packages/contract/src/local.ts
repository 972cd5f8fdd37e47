/**
 * Where the local emulator (`kproxy local`) listens unless told otherwise. The CLI falls back to this
 * endpoint without loading the emulator, so the value lives here, beside the API it serves.
 */
import { DEFAULTS } from './deployment.ts';

export const LOCAL_DEFAULTS = {
  host: '127.0.0.1',
  port: 4600,
  stage: DEFAULTS.stage,
  region: DEFAULTS.region,
} as const;

/** `http://127.0.0.1:4600/v1`: the stage URL of a local emulator started with default options. */
export const LOCAL_DEFAULT_ENDPOINT = `http://${LOCAL_DEFAULTS.host}:${LOCAL_DEFAULTS.port}/${LOCAL_DEFAULTS.stage}`;
