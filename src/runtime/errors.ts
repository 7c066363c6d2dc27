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
  /** The night was held by an input check; nothing of it is published. */
  HELD: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.USAGE,
    /** Further lines for stderr after the first (one per reason), when one line cannot say it. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(message, ExitCode.USAGE);

/** A night held by the input checks (src/checks/): exit 4, one line per reason. */
export class NightHeld extends CliError {
  constructor(
    readonly runDate: string,
    readonly reasons: readonly string[],
    /** What the ledger keeps of the checks (src/checks/index.ts InputChecks). */
    readonly checks: unknown,
  ) {
    super(
      `night ${runDate} held by the input checks, nothing published; if the extracts are right after all, run it again with --accept-anomalies`,
      ExitCode.HELD,
      reasons.map((r) => `held: ${r}`),
    );
    this.name = 'NightHeld';
  }
}
