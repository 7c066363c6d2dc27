/**
 * Fault injection for the crash tests (test/e2e/kill*): when the environment
 * variable LINKAGES_CRASH_AT names a point the run reaches, the process kills
 * itself with SIGKILL there, as a power cut or an OOM kill would. Points:
 *   after-stage:<stage>   the stage finished, the night's transaction still open
 *   after-file:<file>     export wrote that file into the hidden staging folder
 *   before-commit         everything written, COMMIT not yet run
 *   after-commit          the night is in the database, its files not yet published
 * Unset (always, in production) it costs one string comparison.
 */
export function crashPoint(point: string): void {
  if (process.env.LINKAGES_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}

/**
 * Failure injection for the tests of a failed night (test/e2e/run-failure*):
 * LINKAGES_FAIL_AT=stage:<stage> makes that stage throw an ordinary Error
 * with the text of LINKAGES_FAIL_MESSAGE, as DuckDB or the system would, so
 * the test can read what the log, stderr, the ledger and `status` make of it.
 */
export function failPoint(point: string): void {
  if (process.env.LINKAGES_FAIL_AT === point) {
    throw new Error(process.env.LINKAGES_FAIL_MESSAGE || `injected failure at ${point}`);
  }
}
