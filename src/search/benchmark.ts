/**
 * Search benchmark: `node dist/src/search/benchmark.js --db FILE [--people N] [--cli N]`
 * over a database a nightly run has filled (e.g. 300,000 generated families).
 *
 * Draws N parents from the index (deterministic sample), and for each asks
 * what a coordinator would type: the name as recorded, a misspelled surname
 * (two letters swapped), first and last swapped, a nickname when the first
 * name has one, each with and without the DOB. Prints how often the parent
 * is in the top 20, and the time per search in-process (median, p95, max);
 * then the whole command as a user runs it (`linkages search ...`, new
 * process each time) next to the floor measured in the same run: the same
 * executable doing nothing (`linkages --help`). The time to build the index
 * is in each night's run_summary.json (stage export, step search_index).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/database.js';
import { currentSearchIndex } from './buildIndex.js';
import { searchPeople } from './searchPeople.js';

interface Args {
  db: string;
  people: number;
  cli: number;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const db = get('--db');
  if (!db) throw new Error('usage: benchmark.js --db FILE [--people N] [--cli N]');
  return { db, people: Number(get('--people') ?? 40), cli: Number(get('--cli') ?? 10) };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

interface Query {
  kind: string;
  name: string;
  dob?: string;
  expect: string;
}

function swapTwo(s: string): string {
  if (s.length < 5) return s;
  const i = Math.floor(s.length / 2) - 1;
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const db = await openDatabase(args.db, { threads: 2, memoryLimit: '2GB' });
  try {
    const info = await currentSearchIndex(db);
    if (!info) throw new Error('no search index: run a night first');
    const sample = await db.all<{ hit: string }>(
      `SELECT hit FROM search_persons
       WHERE (hit->>'role') = 'PARENT' AND (hit->>'dob') IS NOT NULL
         AND regexp_full_match(hit->>'first_name', '[A-Za-z]+') AND regexp_full_match(hit->>'last_name', '[A-Za-z]+')
       ORDER BY hash(sid, 7) LIMIT ${args.people}`,
    );
    await searchPeople(db, { name: 'WARM UP', limit: 20 }); // also loads normalize's nickname table
    const nick = new Map(
      (await db.all<{ formal: string; name: string }>(`SELECT formal, min(name) AS name FROM int_ref_nicknames WHERE name <> formal GROUP BY formal`)).map(
        (r) => [r.formal, r.name],
      ),
    );
    const queries: Query[] = [];
    for (const { hit } of sample) {
      const p = JSON.parse(hit) as { person_key: string; first_name: string; last_name: string; dob: string };
      const [f, l] = [p.first_name.toUpperCase(), p.last_name.toUpperCase()];
      const forms: [string, string][] = [
        ['as recorded', `${f} ${l}`],
        ['misspelled surname', `${f} ${swapTwo(l)}`],
        ['swapped', `${l}, ${f}`],
      ];
      if (nick.has(f)) forms.push(['nickname', `${nick.get(f)} ${l}`]);
      for (const [kind, name] of forms) {
        queries.push({ kind, name, expect: p.person_key });
        queries.push({ kind: `${kind} + DOB`, name, dob: p.dob, expect: p.person_key });
      }
    }
    const times: number[] = [];
    const found = new Map<string, [number, number]>();
    for (const q of queries) {
      const t = performance.now();
      const r = await searchPeople(db, { name: q.name, limit: 20, ...(q.dob ? { dob: q.dob } : {}) });
      times.push(performance.now() - t);
      const f = found.get(q.kind) ?? [0, 0];
      f[0] += r.hits.some((h) => h.person_id === q.expect) ? 1 : 0;
      f[1] += 1;
      found.set(q.kind, f);
    }
    console.log(`index: night ${info.run_date}, ${info.persons.toLocaleString('en-US')} persons; ${queries.length} searches for ${sample.length} parents`);
    for (const [kind, [hit, n]] of found) console.log(`  found in top 20: ${kind.padEnd(26)} ${hit}/${n}`);
    console.log(`  in-process search: median ${ms(quantile(times, 0.5))}, p95 ${ms(quantile(times, 0.95))}, max ${ms(Math.max(...times))}`);
  } finally {
    db.close();
  }

  // The command as a user runs it, next to the same executable doing nothing.
  const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  const timeCli = (argv: string[]) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [cli, ...argv], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`linkages ${argv.join(' ')}: ${r.stderr}`);
    return performance.now() - t;
  };
  const floor: number[] = [];
  const whole: number[] = [];
  const names = ['Maria Rodrigez Garcia', 'Smtih John', 'Bob Johnson', 'Nguyen Thi', 'Jose Luis Hernandez'];
  for (let i = 0; i < args.cli; i++) {
    floor.push(timeCli(['--help']));
    whole.push(timeCli(['search', names[i % names.length]!, '--db', args.db]));
  }
  const f = quantile(floor, 0.5);
  const w = quantile(whole, 0.5);
  console.log(`  linkages search (new process): median ${ms(w)}, max ${ms(Math.max(...whole))}`);
  console.log(`  floor, linkages --help:        median ${ms(f)} -> search itself ${ms(w - f)} (ratio ${(w / f).toFixed(2)})`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
