/** Every error kind: API Gateway's own answers and Kinesis error bodies, whatever their status. */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthError,
  ConflictError,
  ConnectionError,
  ExpiredIteratorError,
  isApiError,
  isAuthError,
  isConnectionError,
  isKproxyError,
  isNotFoundError,
  isThrottledError,
  isTimeoutError,
  KproxyError,
  NotFoundError,
  PayloadTooLargeError,
  ResourceInUseError,
  ResponseValidationError,
  ServerError,
  ThrottledError,
  TimeoutError,
  ValidationError,
} from '../src/index.ts';
import { BASE, kinesisError, makeClient, useServer } from './helpers.ts';

const server = useServer();

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  let calls = 0;
  server.use(
    http.all(`${BASE}/*`, () => {
      calls++;
      return typeof body === 'string'
        ? new HttpResponse(body, { status, headers })
        : HttpResponse.json(body as object, { status, headers });
    }),
  );
  return () => calls;
}

const listStreams = () =>
  makeClient()
    .client.listStreams()
    .then(() => undefined);

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe("API Gateway's own errors", () => {
  it('403 Missing Authentication Token: AuthError explaining stage/path and unsigned requests', async () => {
    const calls = answer(
      403,
      { message: 'Missing Authentication Token' },
      {
        'x-amzn-ErrorType': 'MissingAuthenticationTokenException',
        'x-amzn-RequestId': 'req-1',
      },
    );
    const error = await caught(listStreams());
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(KproxyError);
    expect(error.message).toMatch(/Missing Authentication Token/);
    expect(error.message).toMatch(/stage/);
    expect(error.message).toMatch(/SigV4/);
    expect((error as AuthError).hint).toMatch(/stage.*SigV4/);
    expect(error.message).toContain((error as AuthError).hint);
    expect(error).toMatchObject({
      name: 'AuthError',
      status: 403,
      requestId: 'req-1',
      gatewayErrorType: 'MissingAuthenticationTokenException',
      kinesisType: undefined,
      body: { message: 'Missing Authentication Token' },
    });
    expect(calls()).toBe(1);
  });

  it('403 Forbidden: AuthError pointing at the API key', async () => {
    answer(403, { message: 'Forbidden' });
    const error = await caught(listStreams());
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(/API key/);
  });

  it('429 Too Many Requests: ThrottledError, retried', async () => {
    const calls = answer(429, { message: 'Too Many Requests' });
    const error = await caught(listStreams());
    expect(error).toBeInstanceOf(ThrottledError);
    expect(calls()).toBe(4);
  });

  it('413: PayloadTooLargeError, not retried', async () => {
    const calls = answer(413, { message: 'Request Too Long' });
    const error = await caught(listStreams());
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error.message).toMatch(/10 MB/);
    expect(calls()).toBe(1);
  });

  it('400 Invalid request body: ValidationError', async () => {
    answer(400, { message: 'Invalid request body' });
    const error = await caught(listStreams());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/Invalid request body/);
  });

  it('502 with a non-JSON body: ServerError keeping the text', async () => {
    const calls = answer(502, '<html>Bad gateway</html>', { 'content-type': 'text/html' });
    const error = await caught(listStreams());
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ApiError).body).toBe('<html>Bad gateway</html>');
    expect(calls()).toBe(4);
  });
});

describe('Kinesis error bodies', () => {
  it.each([
    [400, 'InvalidArgumentException', ValidationError, 1],
    [404, 'ResourceNotFoundException', NotFoundError, 1],
    [409, 'ResourceInUseException', ConflictError, 1],
    [429, 'ProvisionedThroughputExceededException', ThrottledError, 4],
    [429, 'LimitExceededException', ThrottledError, 4],
    [400, 'ExpiredIteratorException', ExpiredIteratorError, 1],
    [403, 'AccessDeniedException', AuthError, 1],
    [500, 'InternalFailure', ServerError, 4],
    [503, 'ServiceUnavailableException', ServerError, 4],
  ])('HTTP %i %s → %o after %i attempt(s)', async (status, type, ErrorClass, attempts) => {
    const calls = answer(status, kinesisError(`com.amazonaws.kinesis.v20131202#${type}`), {
      'x-amzn-RequestId': 'r2',
    });
    const error = await caught(listStreams());
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status, kinesisType: type, requestId: 'r2' });
    expect(error.message).toContain(type);
    expect(calls()).toBe(attempts);
  });

  it.each([
    ['ResourceNotFoundException', NotFoundError, 1],
    ['ResourceInUseException', ConflictError, 1],
    ['ProvisionedThroughputExceededException', ThrottledError, 4],
    ['InternalFailure', ServerError, 4],
    ['SomethingNewException', ValidationError, 1],
  ])('a %s body at HTTP 200 (tutorial deployments) is still an error', async (type, ErrorClass, attempts) => {
    const calls = answer(200, kinesisError(type));
    const error = await caught(listStreams());
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({ status: 200, kinesisType: type });
    expect(calls()).toBe(attempts);
  });

  it('ResourceInUseError is ConflictError under Kinesis’s name', async () => {
    answer(409, kinesisError('ResourceInUseException'));
    expect(await caught(listStreams())).toBeInstanceOf(ResourceInUseError);
  });
});

describe('other failures', () => {
  it('a 200 whose body does not match the output schema: ResponseValidationError with issues', async () => {
    answer(200, { StreamNames: 'not-an-array', HasMoreStreams: false });
    const error = await caught(listStreams());
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues[0]!.path).toEqual(['StreamNames']);
  });

  it('a 200 that is not JSON: ResponseValidationError', async () => {
    answer(200, '<html>login page</html>');
    expect(await caught(listStreams())).toBeInstanceOf(ResponseValidationError);
  });

  it('a network failure: ConnectionError with cause, retried', async () => {
    let calls = 0;
    server.use(
      http.all(`${BASE}/*`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const error = await caught(listStreams());
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.cause).toBeDefined();
    expect(calls).toBe(4);
  });

  it('no answer within the timeout: TimeoutError (a ConnectionError), retried', async () => {
    let calls = 0;
    const { client } = makeClient({
      maxRetries: 1,
      timeout: 5,
      // Never answers; only the timeout's abort ends it.
      fetch: (input) => {
        calls++;
        const signal = input instanceof Request ? input.signal : undefined;
        return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
      },
    });
    const error = await caught(client.listStreams().then(() => undefined));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(isTimeoutError(error) && isConnectionError(error)).toBe(true);
    expect(calls).toBe(2);
  });

  it("the caller's abort rejects with its reason and is not retried", async () => {
    let calls = 0;
    server.use(
      http.all(`${BASE}/*`, () => {
        calls++;
        return new Promise<Response>(() => {});
      }),
    );
    const controller = new AbortController();
    const { client } = makeClient();
    const pending = client.listStreams({}, { signal: controller.signal }).then(() => undefined);
    setTimeout(() => controller.abort(new Error('user stop')), 5);
    const error = await caught(pending);
    expect(error.message).toBe('user stop');
    expect(calls).toBe(1);
  });
});

describe('type guards', () => {
  it('recognise errors by brand and name, also from another copy of the package', () => {
    const error = new NotFoundError({
      message: 'x',
      status: 404,
      body: {},
      headers: {},
      method: 'GET',
      url: BASE,
    });
    expect(isKproxyError(error) && isApiError(error) && isNotFoundError(error)).toBe(true);
    expect(isThrottledError(error)).toBe(false);
    // What an error of another realm or copy looks like: the same registered symbols, another prototype.
    const foreign = Object.assign(new Error('x'), {
      name: 'AuthError',
      [Symbol.for('@kproxy/client.KproxyError')]: true,
      [Symbol.for('@kproxy/client.ApiError')]: true,
    });
    expect(foreign).not.toBeInstanceOf(KproxyError);
    expect(isKproxyError(foreign) && isApiError(foreign) && isAuthError(foreign)).toBe(true);
    expect(isKproxyError(new Error('plain'))).toBe(false);
    expect(isKproxyError(null)).toBe(false);
  });
});
