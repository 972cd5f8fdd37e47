import { randomUUID } from 'node:crypto';
import { awsShape } from '../../core/aws-shape.ts';
import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';
import { readAll, readFileBytes } from '../../core/read-input.ts';

export const putRecordCommand = defineCommand({
  command: 'put-record',
  describe: 'Write one record (text, a file or stdin; binary-safe)',
  description: `Writes one record. The data is the text of --data, the bytes of --data-file, or the bytes
of stdin with --data - (binary-safe). With --base64 the given data is base64 and the decoded bytes are
stored. Without --partition-key a random UUID is used. Prints the shard id and sequence number;
--output json prints what \`aws kinesis put-record\` prints ({"ShardId": …, "SequenceNumber": …}).`,
  examples: [
    ["kproxy put-record demo --data 'hello, kinesis' --partition-key greeting", 'text data'],
    ['echo hi | kproxy put-record demo --data -', 'data from stdin (the newline is kept)'],
    ['kproxy put-record demo --data-file ./package.json --partition-key files', 'the bytes of a file'],
    ['kproxy put-record demo --data AAEC/w== --base64', 'binary data given as base64'],
    [
      'kproxy put-record --stream-name demo --data hi --partition-key k --output json',
      'aws kinesis style: {"ShardId": …, "SequenceNumber": …}',
    ],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: {
    data: {
      type: 'string',
      describe: 'Data as text; - reads stdin; fileb://FILE reads a file',
    },
    'data-file': { type: 'string', describe: 'Read the record data from this file' },
    base64: { type: 'boolean', describe: 'The data is base64: store the decoded bytes' },
    'partition-key': { type: 'string', alias: 'k', describe: 'Partition key (default: a random UUID)' },
    'explicit-hash-key': { type: 'string', describe: 'Explicit hash key (decimal 128-bit integer)' },
  },
  async handler(args, ctx) {
    if ((args.data === undefined) === (args.dataFile === undefined)) {
      throw new UsageError(
        'Give the record data with exactly one of --data TEXT, --data - (stdin) or --data-file FILE.',
      );
    }
    // `aws kinesis put-record --data fileb://x` reads a file: the same habit here, not the text "fileb://x".
    const dataFile = args.dataFile ?? /^fileb?:\/\/(.+)$/.exec(args.data ?? '')?.[1];
    let data: string | Uint8Array =
      dataFile !== undefined
        ? await readFileBytes(ctx.cwd, dataFile)
        : args.data === '-'
          ? await readAll(ctx.io.stdin)
          : args.data!;
    if (args.base64) {
      const { BASE64_PATTERN } = await import('@kproxy/contract');
      const text = (typeof data === 'string' ? data : Buffer.from(data).toString('utf8')).trim();
      if (!BASE64_PATTERN.test(text))
        throw new UsageError('--base64 was given but the data is not valid base64.');
      data = new Uint8Array(Buffer.from(text, 'base64'));
    }
    const client = await ctx.client();
    const result = await client.putRecord(
      {
        streamName: args.name,
        data,
        partitionKey: args.partitionKey ?? randomUUID(),
        ...(args.explicitHashKey !== undefined ? { explicitHashKey: args.explicitHashKey } : {}),
      },
      { signal: ctx.signal },
    );
    ctx.out.result(awsShape(result), () => `${result.shardId}\t${result.sequenceNumber}`);
  },
});
