/** Where the emulator sends the Kinesis requests that API Gateway would send to AWS. */

export interface KinesisCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface KinesisBackend {
  /** Short description for the startup banner: `embedded (kinesalite, ./data)`. */
  readonly description: string;
  /** The Kinesis endpoint, e.g. `http://127.0.0.1:45123`. */
  readonly endpoint: URL;
  readonly region: string;
  /** Credentials to sign each request with (resolved per request; providers cache and refresh). */
  readonly credentials: () => Promise<KinesisCredentials>;
  close(): Promise<void>;
}

/** Credentials for engines that do not check signatures (they still require a well-formed one). */
export const LOCAL_ENGINE_CREDENTIALS: KinesisCredentials = {
  accessKeyId: 'AKIDLOCALKPROXY',
  secretAccessKey: 'local-emulator-secret',
};
