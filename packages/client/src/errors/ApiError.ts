import { classifyStatus, type ErrorClassification } from '@kproxy/contract';
import { API_ERROR, KproxyError } from './KproxyError.ts';

/** What an `ApiError` was built from; also the constructor argument of every subclass. */
export interface ApiErrorInit {
  message: string;
  /**
   * HTTP status of the response (the tutorial's deployments answer some errors with 200); 0 when nothing
   * was sent (the credentials to sign with could not be had).
   */
  status: number;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  headers: Record<string, string>;
  /** Kinesis's error name (`__type` without namespace), when the body carried one. */
  kinesisType?: string | undefined;
  /** Why API Gateway gives this answer and what to do; already part of `message`. */
  hint?: string | undefined;
  /** Retryable, fatal for a bulk run: from the contract's error table. @default by `status` */
  classification?: ErrorClassification | undefined;
  method: string;
  url: string;
  /** The underlying error, when there is one (a credential provider's failure). */
  cause?: unknown;
}

/**
 * The API answered with an error: an HTTP error status, or a Kinesis error body (`__type`) whatever the
 * status. Subclasses name the kinds worth handling separately.
 */
export class ApiError extends KproxyError {
  override name: string = 'ApiError';
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  /** From `x-amzn-RequestId`; quote it when asking AWS support. */
  readonly requestId: string | undefined;
  /** Kinesis's error name, e.g. `ResourceNotFoundException`; undefined for API Gateway's own errors. */
  readonly kinesisType: string | undefined;
  /**
   * For API Gateway's puzzling answers (403 Missing Authentication Token, Forbidden, a signature
   * mismatch…): their usual causes and the fix, in the client's terms. Already part of `message`; kept
   * apart so that a tool with its own vocabulary (the CLI) can leave it out.
   */
  readonly hint: string | undefined;
  /** From the contract's error table: the class, whether a retry can succeed, whether a bulk run stops. */
  readonly classification: ErrorClassification;
  /** The same request, sent again later, can succeed. */
  get retryable(): boolean {
    return this.classification.retryable;
  }
  /** Every later request to the same stream would fail the same way: a bulk run stops. */
  get fatal(): boolean {
    return this.classification.fatal;
  }
  /** API Gateway's `x-amzn-ErrorType`, e.g. `MissingAuthenticationTokenException`. */
  readonly gatewayErrorType: string | undefined;
  readonly method: string;
  readonly url: string;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.body = init.body;
    this.headers = init.headers;
    this.kinesisType = init.kinesisType;
    this.hint = init.hint;
    this.classification = init.classification ?? classifyStatus(init.status);
    this.requestId = init.headers['x-amzn-requestid'];
    const errorType = init.headers['x-amzn-errortype'];
    this.gatewayErrorType = errorType ? errorType.split(':')[0] : undefined;
    this.method = init.method;
    this.url = init.url;
  }

  /** Brand read by `isApiError`. */
  get [API_ERROR](): true {
    return true;
  }
}
