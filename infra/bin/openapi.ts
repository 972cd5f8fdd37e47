#!/usr/bin/env node
/**
 * `pnpm openapi [--auth iam|api-key|none] [--region R] [--role-arn ARN] [--stage v1] [--out FILE]`
 *
 * Writes the OpenAPI 3.0 export of the API (default `openapi.json` beside this package) after checking
 * it with an OpenAPI validator. Without `--region` / `--role-arn` the document keeps `${…}`
 * placeholders for CloudFormation's `Fn::Sub`; give both to import it with
 * `aws apigateway import-rest-api`.
 *
 * A relative `--out` is relative to the directory the command was typed in: pnpm runs this script in
 * infra/, and says where it was called from in `INIT_CWD`.
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AUTH_MODES, isAuthMode } from '../lib/auth-mode.ts';
import { buildOpenApiDocument } from '../lib/openapi.ts';
import { validateOpenApi } from '../lib/validate-openapi.ts';

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

const USAGE = `usage: pnpm --filter @kproxy/infra openapi [--auth ${AUTH_MODES.join('|')}] [--region R] [--role-arn ARN] [--stage v1] [--out FILE]

Writes the API's OpenAPI 3.0 export (default infra/openapi.json), checked by an OpenAPI validator.
Give --region and --role-arn to import it with \`aws apigateway import-rest-api\`; without them it keeps
\${…} placeholders for CloudFormation's Fn::Sub. A relative --out is relative to where you typed it.`;

/** A usage mistake: one line and the usage, exit 2 (no stack trace). */
function usageError(message: string): never {
  console.error(`error: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: {
  auth?: string;
  region?: string;
  'role-arn'?: string;
  stage?: string;
  out?: string;
  help?: boolean;
};
try {
  ({ values } = parseArgs({
    options: {
      auth: { type: 'string' },
      region: { type: 'string' },
      'role-arn': { type: 'string' },
      stage: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  usageError((error as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

// Options left out take buildOpenApiDocument's defaults, which are the construct's.
if (values.auth !== undefined && !isAuthMode(values.auth)) {
  usageError(`--auth must be one of ${AUTH_MODES.join(', ')} (got "${values.auth}")`);
}

const document = buildOpenApiDocument({
  authMode: values.auth,
  region: values.region,
  integrationRoleArn: values['role-arn'],
  stageName: values.stage,
});

const validation = await validateOpenApi(document);
if (!validation.valid) {
  console.error(`The generated OpenAPI document is invalid:\n${validation.errors}`);
  process.exit(1);
}

const callerDir = process.env.INIT_CWD || process.cwd();
const out =
  values.out === undefined
    ? resolve(import.meta.dirname, '..', 'openapi.json')
    : resolve(callerDir, values.out);
const text = `${JSON.stringify(document, null, 2)}\n`;
try {
  await writeFile(out, text);
} catch (error) {
  const { code, message } = error as NodeJS.ErrnoException;
  console.error(
    `error: cannot write ${out} (${code ?? message})\nhint: --out needs a directory that exists and that you can write to.`,
  );
  process.exit(1);
}

const paths = Object.values(document.paths);
const operations = paths.reduce(
  (count, item) => count + Object.keys(item).filter((key) => HTTP_METHODS.has(key)).length,
  0,
);
const shown = relative(callerDir, out);
console.error(
  `Wrote ${shown.startsWith('..') || isAbsolute(shown) ? out : shown}: OpenAPI ${document.openapi}, ` +
    `${operations} operations on ${paths.length} paths, ${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB`,
);
