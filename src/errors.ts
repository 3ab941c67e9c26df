// Errors a person should read (shown ephemerally, as is) versus bugs (logged, generic reply).

export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** LL2 cannot answer now and nothing stored can stand in. */
export class UpstreamUnavailableError extends UserError {
  constructor(
    message: string,
    readonly retryAfterSecs: number | null,
  ) {
    super(message);
  }
}

export class NotFoundError extends UserError {}

/** A button or menu whose stored list is gone. */
export class ExpiredListError extends UserError {
  constructor() {
    super('This list expired — run the command again.');
  }
}
