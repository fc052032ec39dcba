// What a failed database call tells about what happened to the work it carried. A statement
// the server refused (a constraint, a timeout it enforced) was rolled back. A connection that
// could not be made or was already gone carried nothing. But a statement sent on a connection
// that then dropped or went silent may have been applied before its answer was lost: only
// asking again (by the write's idempotency key) tells.
import pg from 'pg';

/**
 * A statement was sent and its answer never came (the connection reset or went silent past its
 * time limit). Outside a transaction, or for a COMMIT, its work may have been applied.
 */
export class AnswerLost extends Error {
  override name = 'AnswerLost';
  readonly code: string | undefined;
  constructor(cause: Error & { code?: string }) {
    super(`The database's answer was lost: ${cause.message}`, { cause });
    this.code = cause.code;
  }
}

/** Failures of the connection itself, whatever the statement was. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof AnswerLost) return true;
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(code ?? '') ||
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|PGlite is closed|driver has already been destroyed/i.test(
      message,
    )
  );
}

/**
 * Whether a statement that failed with `error` after being sent lost its answer: the server did
 * not answer with an error of its own, and the connection was not already known to be gone.
 */
export function lostAnswer(error: unknown): error is Error {
  if (!(error instanceof Error) || error instanceof pg.DatabaseError) return false;
  return isDatabaseUnavailable(error) && !/not queryable/i.test(error.message);
}
