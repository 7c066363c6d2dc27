/**
 * `linkages`: the one executable. This file is the single top-level handler:
 * it picks the verb, and turns every failure into an exit code and one line on
 * stderr (never a stack trace). Exit codes: 0 ok, 1 run failed, 2 usage or
 * configuration, 3 database held by another run, 4 night held by an input check.
 */
import { parseFlags } from '../commands/args.js';
import type { Command } from '../commands/command.js';
import { CliError, ExitCode } from '../runtime/errors.js';
import { redact } from '../runtime/logger.js';
import { SOFTWARE_VERSION } from '../runtime/version.js';

/**
 * The verbs. A verb's module (and everything it imports: DuckDB, arrow, the
 * pipeline) is loaded only when that verb runs, so `linkages search` starts
 * fast and `--help` loads nothing heavy.
 */
interface VerbEntry {
  verb: string;
  summary: string;
  load(): Promise<Command>;
}

const commands: VerbEntry[] = [
  {
    verb: 'run',
    summary: 'the nightly batch: every stage, then the output files into OUT/<run-date>/',
    load: async () => (await import('../commands/run.js')).runCommand,
  },
  {
    verb: 'review',
    summary: "coordinators' decisions in (review import FILE), the queue out (review export), the review page (review serve)",
    load: async () => (await import('../commands/review.js')).reviewCommand,
  },
  {
    verb: 'search',
    summary: 'find a person across both systems, typo- and nickname-tolerant',
    load: async () => (await import('../commands/search.js')).searchCommand,
  },
  {
    verb: 'metrics',
    summary: "evaluators' tables (runs, identification, outcomes) and report.html",
    load: async () => (await import('../commands/metrics.js')).metricsCommand,
  },
  {
    verb: 'notify',
    summary: "notify send: e-mail a published night's notifications, one message per recipient (--dry-run: .eml files)",
    load: async () => (await import('../commands/notify.js')).notifyCommand,
  },
  {
    verb: 'status',
    summary: 'the latest nights (published, failed and why, held and why), inputs, versions',
    load: async () => (await import('../commands/status.js')).statusCommand,
  },
  {
    verb: 'synth',
    summary: 'synthetic extracts with ground truth, for demos, tests and benchmarks',
    load: async () => (await import('../commands/synth.js')).synthCommand,
  },
];

function mainUsage(): string {
  const width = Math.max(...commands.map((c) => c.verb.length));
  return [
    'linkages: find mutual clients across CalWORKs and Child Welfare Services extracts',
    '',
    'Usage: linkages <verb> [options]',
    '',
    ...commands.map((c) => `  ${c.verb.padEnd(width)}  ${c.summary}`),
    '',
    'Run `linkages <verb> --help` for the options of a verb.',
    'Exit codes: 0 ok, 1 run failed, 2 bad usage or configuration, 3 database held by another run, 4 night held by an input check.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    if (!verb) throw new CliError(`no verb given; expected one of ${commands.map((c) => c.verb).join(', ')} (see linkages --help)`);
    process.stdout.write(`${mainUsage()}\n`);
    return ExitCode.OK;
  }
  if (verb === '--version') {
    process.stdout.write(`linkages ${SOFTWARE_VERSION}\n`);
    return ExitCode.OK;
  }
  const entry = commands.find((c) => c.verb === verb);
  if (!entry) throw new CliError(`unknown verb "${verb}"; expected one of ${commands.map((c) => c.verb).join(', ')}`);
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return ExitCode.OK;
  }
  await command.run(parseFlags(rest, command.options, verb));
  return ExitCode.OK;
}

function oneLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

export async function cli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`linkages: ${oneLine(err.message)}\n`);
      for (const line of err.details) process.stderr.write(`linkages: ${oneLine(line)}\n`);
      process.exitCode = err.exitCode;
    } else {
      // Unexpected: a bug or the environment (disk full, ...). The message may quote data, so redact it.
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`linkages: run failed: ${redact(oneLine(message))}\n`);
      if (process.env.LINKAGES_DEBUG_STACK === '1' && err instanceof Error) process.stderr.write(`${redact(err.stack ?? '')}\n`);
      process.exitCode = ExitCode.RUN_FAILED;
    }
  }
}
