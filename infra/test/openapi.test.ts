/**
 * The OpenAPI export: valid per a real OpenAPI validator, complete (every route, parameter, model,
 * response and integration), and carrying the contract's templates unchanged, `#foreach` included.
 */
import {
  INTEGRATION_RESPONSES,
  METHOD_RESPONSE_STATUSES,
  operations,
  requestTemplateOf,
} from '@kproxy/contract';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { AUTH_MODES } from '../lib/auth-mode.ts';
import { buildOpenApiDocument, type OpenApiOperation } from '../lib/openapi.ts';
import { validateOpenApi } from '../lib/validate-openapi.ts';

const all = Object.values(operations);
const document = buildOpenApiDocument({
  region: 'eu-west-1',
  integrationRoleArn: 'arn:aws:iam::123456789012:role/kproxy-integration',
});
const operation = (op: (typeof all)[number]) => document.paths[op.path]![op.method.toLowerCase()]!;

describe('OpenAPI export', () => {
  it.each(AUTH_MODES)('is a valid OpenAPI 3.0 document in auth mode %s', async (authMode) => {
    const result = await validateOpenApi(buildOpenApiDocument({ authMode }));
    expect(result.errors).toBe('');
    expect(result.valid).toBe(true);
  });

  it('is checked by a validator that does reject a broken document', async () => {
    const broken = structuredClone(document);
    delete (broken.paths['/streams']!.get as Partial<OpenApiOperation>).responses;
    const result = await validateOpenApi(broken);
    expect(result.valid).toBe(false);
    expect(result.errors).toMatch(/responses/);
  });

  it('has every route once, with its parameters and their required flags', () => {
    const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(all.map((op) => `${op.method} ${op.path}`).sort());
    for (const op of all) {
      expect(operation(op).operationId).toBe(op.id);
      expect(operation(op).parameters.map((p) => [p.name, p.in, p.required])).toEqual(
        op.params.map((p) => [p.name, p.in, p.required]),
      );
    }
  });

  it('carries every request template unchanged, #foreach lines included', () => {
    const json = JSON.stringify(document);
    const foreachLines = all
      .flatMap((op) => requestTemplateOf(op).split('\n'))
      .filter((l) => l.includes('#foreach'));
    expect(foreachLines.length).toBeGreaterThan(0);
    for (const line of foreachLines) expect(json).toContain(JSON.stringify(line).slice(1, -1));
    for (const op of all) {
      expect(operation(op)['x-amazon-apigateway-integration'].requestTemplates).toEqual({
        'application/json': requestTemplateOf(op),
      });
    }
  });

  it('describes each integration as API Gateway imports it', () => {
    for (const op of all) {
      const integration = operation(op)['x-amazon-apigateway-integration'];
      expect(integration).toMatchObject({
        type: 'aws',
        uri: `arn:aws:apigateway:eu-west-1:kinesis:action/${op.action}`,
        httpMethod: 'POST',
        credentials: 'arn:aws:iam::123456789012:role/kproxy-integration',
        passthroughBehavior: 'never',
        requestParameters: { 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" },
      });
      expect(Object.keys(integration.responses)).toEqual(
        INTEGRATION_RESPONSES.map((r) => r.selectionPattern ?? 'default'),
      );
      for (const r of INTEGRATION_RESPONSES) {
        expect(integration.responses[r.selectionPattern ?? 'default']).toEqual({
          statusCode: String(r.statusCode),
          ...(r.template && { responseTemplates: { 'application/json': r.template } }),
        });
      }
      expect(Object.keys(operation(op).responses)).toEqual(METHOD_RESPONSE_STATUSES.map(String));
      expect(operation(op)['x-amazon-apigateway-request-validator']).toBe('body-and-parameters');
    }
    expect(document['x-amazon-apigateway-request-validators']).toEqual({
      'body-and-parameters': { validateRequestBody: true, validateRequestParameters: true },
    });
  });

  it('uses the contract request models (draft-04, without the $schema key OpenAPI forbids)', () => {
    for (const op of all.filter((o) => o.body)) {
      const ref = (operation(op).requestBody as { content: Record<string, { schema: { $ref: string } }> })
        .content['application/json']!.schema.$ref;
      const { $schema: _, ...expected } = z.toJSONSchema(op.body!, { target: 'draft-04' });
      expect(document.components.schemas[ref.split('/').pop()!]).toEqual(expected);
      expect(operation(op).requestBody?.required, op.id).toBe(op.id !== 'createStream');
    }
  });

  it('declares the security scheme of each auth mode', () => {
    expect(document.components.securitySchemes).toEqual({
      sigv4: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      },
    });
    expect(operation(operations.putRecord).security).toEqual([{ sigv4: [] }]);

    const apiKey = buildOpenApiDocument({ authMode: 'api-key' });
    expect(apiKey.components.securitySchemes).toEqual({
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
    });
    expect(apiKey['x-amazon-apigateway-api-key-source']).toBe('HEADER');
    expect(apiKey.paths['/streams']!.get!.security).toEqual([{ api_key: [] }]);

    const none = buildOpenApiDocument({ authMode: 'none' });
    expect(none.components.securitySchemes).toBeUndefined();
    expect(none.paths['/streams']!.get!.security).toEqual([]);
  });

  it('leaves Fn::Sub placeholders when no region or role is given', () => {
    const integration = buildOpenApiDocument().paths['/streams']!.get!['x-amazon-apigateway-integration'];
    expect(integration.uri).toBe('arn:aws:apigateway:${AWS::Region}:kinesis:action/ListStreams');
    expect(integration.credentials).toBe('${KproxyIntegrationRoleArn}');
  });
});
