// Typed failures of the LL2 client. Each carries what a person (or the quota governor) needs.

export abstract class Ll2Error extends Error {
  abstract readonly kind: 'http' | 'quota' | 'body' | 'network';
  constructor(
    message: string,
    readonly method: string,
    readonly url: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Ll2HttpError extends Ll2Error {
  readonly kind = 'http';
  constructor(method: string, url: string, readonly status: number, readonly body: string) {
    super(`LL2 answered HTTP ${status} for ${method} ${url}`, method, url);
  }
}

export class Ll2QuotaError extends Ll2Error {
  readonly kind = 'quota';
  /** local = our own governor refused to send it; upstream = LL2 answered 429; store = the shared quota ledger could not be read, so nothing is sent. */
  constructor(method: string, url: string, readonly retryAfterSecs: number, readonly origin: 'upstream' | 'local' | 'store') {
    super(`LL2 quota exhausted (${origin}); available again in ${retryAfterSecs} s`, method, url);
  }
}

export class Ll2BodyError extends Ll2Error {
  readonly kind = 'body';
  constructor(method: string, url: string, readonly issues: string) {
    super(`LL2 sent a body we cannot read for ${method} ${url}: ${issues}`, method, url);
  }
}

/** Failures that prove the request never reached the server (so LL2 did not count it). */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if ('code' in e && typeof e.code === 'string' && NEVER_SENT.has(e.code)) return e.code;
  }
  return undefined;
}

export class Ll2NetworkError extends Ll2Error {
  readonly kind = 'network';
  /** True when the connection was never made: the request cannot have counted against the quota. */
  readonly neverSent: boolean;
  constructor(method: string, url: string, readonly reason: 'timeout' | 'unreachable', cause: unknown) {
    super(`LL2 ${reason === 'timeout' ? 'timed out' : 'is unreachable'} for ${method} ${url}`, method, url);
    this.cause = cause;
    this.neverSent = errorCode(cause) !== undefined;
  }
}
