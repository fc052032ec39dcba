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
