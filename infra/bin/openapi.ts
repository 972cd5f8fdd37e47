#!/usr/bin/env node
/**
 * `pnpm openapi [--auth iam|api-key|none] [--region R] [--role-arn ARN] [--stage v1] [--out FILE]`
 *
 * Writes the OpenAPI 3.0 export of the API (default `openapi.json` beside this package) after checking
 * it with an OpenAPI validator. Without `--region` / `--role-arn` the document keeps `${…}`
 * placeholders for CloudFormation's `Fn::Sub`; give both to import it with
 * `aws apigateway import-rest-api`.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AUTH_MODES, isAuthMode } from '../lib/auth-mode.ts';
import { buildOpenApiDocument } from '../lib/openapi.ts';
import { validateOpenApi } from '../lib/validate-openapi.ts';

const { values } = parseArgs({
  options: {
    auth: { type: 'string' },
    region: { type: 'string' },
    'role-arn': { type: 'string' },
    stage: { type: 'string' },
    out: { type: 'string', default: resolve(import.meta.dirname, '..', 'openapi.json') },
  },
});

// Options left out take buildOpenApiDocument's defaults, which are the construct's.
if (values.auth !== undefined && !isAuthMode(values.auth)) {
  console.error(`--auth must be one of ${AUTH_MODES.join(', ')}`);
  process.exit(2);
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

await writeFile(values.out, `${JSON.stringify(document, null, 2)}\n`);
console.error(
  `Wrote ${values.out} (OpenAPI ${document.openapi}, ${Object.keys(document.paths).length} paths)`,
);
