/**
 * A mistake the person can fix. Its message is safe to show in Slack as it is and says
 * what to type instead. `field` names the modal block the mistake belongs to, if any.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/**
 * A failure after which Tally does not know whether the work was done (the database's answer
 * was lost and asking again did not get through). Not the person's mistake, but its message is
 * safe to show as it is and says how to find out.
 */
export class OutcomeUnknown extends Error {
  override name = 'OutcomeUnknown';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
