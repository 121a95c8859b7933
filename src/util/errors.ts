// Errors that the CLI turns into a one-line message and an exit code.

/** Bad usage or bad input: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The job itself failed (a build, git am, …): exit code 1. */
export class JobError extends Error {
  override readonly name = 'JobError';
}
