/**
 * The browser apps the bundle benchmark builds. Each sends one PutRecords with explicit SigV4
 * credentials and reads the answer — the smallest real app for each library, and kproxy's two client
 * classes (every operation as a method; and with the bulk writer, the stream reader and
 * waitForStream) for comparison.
 */
/** kproxy's app: one standalone operation on a connection, or the method of one of the two classes. */
function kproxyApp(on: 'KproxyConnection' | 'KproxyCore' | 'KproxyClient'): string {
  const call = on === 'KproxyConnection' ? 'putRecords(client, {' : 'client.putRecords({';
  const imports = on === 'KproxyConnection' ? 'KproxyConnection, putRecords' : on;
  return `import { ${imports} } from '@kproxy/client';
const client = new ${on}({
  endpoint: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1',
  auth: { type: 'sigv4', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } },
});
const result = await ${call}
  streamName: 'clicks',
  records: [{ data: { page: location.pathname }, partitionKey: 'visitor-1' }],
});
console.log(result.failedRecordCount);
`;
}

export const APPS = {
  kproxy: {
    label: '`@kproxy/client` (`putRecords(connection, …)`: the standalone operation)',
    source: kproxyApp('KproxyConnection'),
  },
  kproxyCore: {
    label: '`@kproxy/client` (`KproxyCore.putRecords`: every operation as a method)',
    source: kproxyApp('KproxyCore'),
  },
  kproxyFull: {
    label: '`@kproxy/client` (`KproxyClient.putRecords`: the class with every helper)',
    source: kproxyApp('KproxyClient'),
  },
  sdk: {
    label: '`@aws-sdk/client-kinesis` (`PutRecordsCommand`)',
    source: `import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
const client = new KinesisClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const result = await client.send(new PutRecordsCommand({
  StreamName: 'clicks',
  Records: [{ Data: new TextEncoder().encode(JSON.stringify({ page: location.pathname })), PartitionKey: 'visitor-1' }],
}));
console.log(result.FailedRecordCount);
`,
  },
  aws4fetch: {
    label: '`aws4fetch` signing alone (hand-written request, no validation, no retries)',
    source: `import { AwsClient } from 'aws4fetch';
const aws = new AwsClient({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', service: 'execute-api', region: 'us-east-1' });
const response = await aws.fetch('https://abc123.execute-api.us-east-1.amazonaws.com/v1/streams/clicks/records', {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ records: [{ data: JSON.stringify({ page: location.pathname }), 'partition-key': 'visitor-1' }] }),
});
console.log((await response.json()).FailedRecordCount);
`,
  },
} as const;

export type AppName = keyof typeof APPS;
