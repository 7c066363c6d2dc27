/**
 * The one error type the CLI shows to users. Everything else is a bug or an
 * environment failure and is reported by the top-level handler as a failed run.
 */
export const ExitCode = {
  OK: 0,
  /** The run failed; nothing half-written is left visible. */
  RUN_FAILED: 1,
  /** Bad usage or bad configuration. */
  USAGE: 2,
  /** Another run holds the database. */
  LOCKED: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.USAGE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, ExitCode.USAGE);
