/** `linkages synth`: synthetic county extracts with ground truth (src/synth/). */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { dateFlag, intFlag, requireStr, str } from './args.js';
import type { Command } from './command.js';
import { usageError } from '../runtime/errors.js';
import { exactMatchBaseline, formatBaseline } from '../synth/baseline.js';
import { EXTRACT_FORMATS, type ExtractFormat } from '../synth/formats.js';
import { DEFAULT_EXTRACT_DATE, MAX_FAMILIES, generate } from '../synth/generate.js';
import { MAX_NIGHTS, writeNights } from '../synth/nights.js';

const usage = `Usage: linkages synth --families N --seed S --out DIR [options]

Writes a synthetic county into DIR: calworks.csv and cws.csv (the two extracts,
with realistic recording errors), workers.csv and contacts.csv (rosters),
truth.csv and truth_persons.csv (which records are the same real person), and
README.txt (what was generated and at which rates). The same flags always
write the same bytes.

  --families N           number of families (1 to ${MAX_FAMILIES})
  --seed S               random seed (a whole number)
  --out DIR              output folder (created when missing; files are replaced)
  --extract-date DATE    YYYY-MM-DD written as extract_date (default ${DEFAULT_EXTRACT_DATE})
  --format FORMAT        csv | parquet | arrow for the two extracts (default csv)
  --baseline             also print the exact-match baseline (SSN or name+DOB) against truth
  --nights N             also later nights (1 to ${MAX_NIGHTS}): night 1 in DIR as usual, night k in
                         DIR/night-k/ (next day's extract_date) with known changes (removals, cases
                         opened and closed, discontinuances, moves, new babies, new referrals,
                         unrelated churn); every night gets truth_tiers.csv and truth_events.csv,
                         later nights truth_changes.csv (CSV only)

Large counties are rendered on worker threads (up to 2 from 20,000 families; set
LINKAGES_SYNTH_THREADS=N to choose); the files are the same for any number.
LINKAGES_SYNTH_LOOKALIKES=K writes K times as many look-alike families (twins,
juniors, namesakes, adult siblings), most of them at one address: a harder county
for benchmarks.`;

export const synthCommand: Command = {
  verb: 'synth',
  usage,
  options: {
    families: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'extract-date': { type: 'string' },
    format: { type: 'string' },
    baseline: { type: 'boolean' },
    nights: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  async run({ values, positionals }) {
    if (positionals.length) throw usageError(`synth: unexpected argument "${positionals[0]}" (see linkages synth --help)`);
    const families = intFlag(requireStr(values, 'families', 'synth'), 'families', 1)!;
    if (families > MAX_FAMILIES) throw usageError(`--families must be at most ${MAX_FAMILIES}, got ${families}`);
    const seed = intFlag(requireStr(values, 'seed', 'synth'), 'seed', 0)!;
    if (!Number.isSafeInteger(seed)) throw usageError(`--seed must be a whole number below 2^53, got "${str(values, 'seed')}"`);
    const out = resolve(requireStr(values, 'out', 'synth'));
    if (existsSync(out) && !statSync(out).isDirectory()) throw usageError(`--out must be a folder, but ${out} is a file`);
    const extractDate = dateFlag(str(values, 'extract-date'), 'extract-date') ?? DEFAULT_EXTRACT_DATE;
    const format = (str(values, 'format') ?? 'csv').toLowerCase();
    if (!EXTRACT_FORMATS.includes(format as ExtractFormat)) {
      throw usageError(`--format must be one of ${EXTRACT_FORMATS.join(', ')}, got "${format}"`);
    }
    const nights = intFlag(str(values, 'nights'), 'nights', 1);
    if (nights !== undefined && nights > MAX_NIGHTS) throw usageError(`--nights must be at most ${MAX_NIGHTS}, got ${nights}`);
    if (nights !== undefined && format !== 'csv') throw usageError('--nights needs --format csv');
    const s = await generate({ families, seed, out, extractDate, format: format as ExtractFormat });
    const r = s.rows;
    process.stdout.write(
      `synth: ${s.families} families (seed ${s.seed}) -> ${out}: calworks ${r.calworks} rows, cws ${r.cws} rows, ` +
        `workers ${r.workers}, contacts ${r.contacts}, truth ${r.truth} pairs (${s.truthParentPairs} parent), ` +
        `truth_persons ${r.truth_persons}\n`,
    );
    if (nights !== undefined) {
      for (const n of writeNights({ families, seed, out, extractDate, nights })) {
        const changes = Object.entries(n.changes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        const events = Object.entries(n.events)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        process.stdout.write(
          `synth: night ${n.night} (${n.extractDate}) -> ${n.dir}${changes ? `: changes ${changes}` : ''}; true events ${events || 'none'}\n`,
        );
      }
    }
    if (values.baseline === true) {
      if (format !== 'csv') throw usageError('--baseline needs --format csv');
      process.stdout.write(`${formatBaseline(await exactMatchBaseline(out))}\n`);
    }
  },
};
