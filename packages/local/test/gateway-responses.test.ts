/** The emulator's own answers are the contract's GATEWAY_ERRORS, so the client recognises each one. */
import { findGatewayError, GATEWAY_ERRORS } from '@kproxy/contract';
import { describe, expect, it } from 'vitest';
import { type GatewayResponse, gatewayResponses } from '../src/index.ts';

const answers: Record<string, GatewayResponse> = {
  ...Object.fromEntries(
    Object.entries(gatewayResponses).filter(
      (entry): entry is [string, GatewayResponse] => typeof entry[1] !== 'function',
    ),
  ),
  signatureExpired: gatewayResponses.signatureExpired('20250101T000000Z is now earlier than …'),
  signatureNotYetCurrent: gatewayResponses.signatureNotYetCurrent('20250101T000000Z is still later than …'),
  incompleteSignature: gatewayResponses.incompleteSignature(
    "Authorization header requires 'Credential' parameter.",
  ),
  wrongScope: gatewayResponses.wrongScope("a valid region, not 'eu-west-1'. "),
  missingParameters: gatewayResponses.missingParameters(['shard-id']),
};

describe('gateway responses', () => {
  it.each(Object.entries(answers))('%s is the contract table entry of that name', (id, answer) => {
    const spec = GATEWAY_ERRORS[id as keyof typeof GATEWAY_ERRORS];
    expect(answer.status).toBe(spec.status);
    expect(answer.errorType).toBe(spec.errorType);
    expect(answer.message.startsWith(spec.message)).toBe(true);
    if (!spec.messageIsPrefix) expect(answer.message).toBe(spec.message);
    expect(findGatewayError(answer.status, answer.message, answer.errorType)).toBe(spec);
  });

  it('writes the missing parameters as API Gateway does', () => {
    expect(gatewayResponses.missingParameters(['shard-id', 'Shard-Iterator']).message).toBe(
      'Missing required request parameters: [shard-id, Shard-Iterator]',
    );
  });
});
