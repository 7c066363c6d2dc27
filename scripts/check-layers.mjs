#!/usr/bin/env node
/**
 * The folders of src/ form layers that point one way: a folder imports only
 * from folders in layers below its own (never sideways within a layer, never
 * up), so the folder import graph has no cycle. The order is the one
 * src/README.md documents ("Layers"); this script fails (exit 1) and names
 * each import that breaks it. `make test` and `npm test` run it.
 *
 * One exception is a rule of its own: synth (the synthetic county and its
 * oracle) may import a stage's `rules.ts` (the constants of the rules it
 * must agree with) and nothing else of the stages, so the oracle's logic
 * stays independent of the pipeline's.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Lowest first. Folders on one line are peers: neither may import the other. */
export const LAYERS = [
  ['runtime'],
  ['db'],
  ['pipeline'],
  ['ingest', 'normalize'],
  ['checks', 'facts', 'match', 'assign'],
  ['classify'],
  ['search'],
  ['notify'],
  ['export', 'review', 'metrics', 'status', 'config'],
  ['synth'],
  ['commands'],
  ['cli'],
  ['bench'],
];

/** synth may import these folders, and of the stages only their rules.ts (the rule constants). */
const SYNTH_MAY_USE = new Set(['runtime', 'db']);
const RULES_FILE = /^src\/[a-z]+\/rules\.ts$/;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

function tsFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const rank = new Map();
LAYERS.forEach((folders, i) => folders.forEach((f) => rank.set(f, i)));
const folderOf = (file) => relative(src, file).split(sep)[0];
const IMPORT = /(?:^|\s)(?:import|export)\s[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

const problems = [];
const edges = new Map();
const folders = new Set(readdirSync(src).filter((n) => statSync(join(src, n)).isDirectory()));
for (const f of folders) if (!rank.has(f)) problems.push(`src/${f}/ is in no layer: add it to LAYERS in scripts/check-layers.mjs and to src/README.md`);

for (const file of tsFiles(src)) {
  const from = folderOf(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    if (!target.startsWith(src + sep)) continue; // schemas/, pipelines/: below every layer
    const to = folderOf(target);
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(to);
    const where = `${relative(root, file)} imports ${relative(root, target)}`;
    if (from === 'synth' && !SYNTH_MAY_USE.has(to) && !RULES_FILE.test(relative(root, target).split(sep).join('/'))) {
      problems.push(`synth imports pipeline logic: ${where} (the oracle may share the rules' constants, not their implementation)`);
    }
    const rf = rank.get(from);
    const rt = rank.get(to);
    if (rf === undefined || rt === undefined) continue;
    if (rt > rf) problems.push(`upward import: ${where} (${from} is below ${to})`);
    else if (rt === rf) problems.push(`sideways import: ${where} (${from} and ${to} are peers)`);
  }
}

// A cycle between folders (reported even if the layers above were bypassed).
const state = new Map();
let cycles = 0;
const stack = [];
function visit(n) {
  state.set(n, 1);
  stack.push(n);
  for (const m of edges.get(n) ?? []) {
    if (state.get(m) === 1 && cycles++ < 5) problems.push(`cycle between folders: ${[...stack.slice(stack.indexOf(m)), m].join(' -> ')}`);
    else if (!state.has(m)) visit(m);
  }
  stack.pop();
  state.set(n, 2);
}
for (const n of [...edges.keys()].sort()) if (!state.has(n)) visit(n);

if (problems.length) {
  for (const p of [...new Set(problems)]) console.error(`check-layers: ${p}`);
  process.exit(1);
}
console.log(`check-layers: ${folders.size} folders of src/ in ${LAYERS.length} layers, every import points down, no cycle`);
