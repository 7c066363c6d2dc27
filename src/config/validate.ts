/**
 * The configuration judged as a whole, and against the files of the night,
 * before any work (exit 2, one line): what zod's per-key schema cannot see.
 *
 *   - contradictory settings: a review threshold above the link threshold;
 *   - a column mapping whose header is in neither form in the file (a mapped
 *     optional column would otherwise be silently absent);
 *   - a CSV extract that is not what the interface says (UTF-8, ','): a
 *     UTF-16 file or one separated by ';', tabs or '|' is named as such,
 *     instead of "missing columns".
 *
 * Calendar dates (holidays) are checked by the schema itself.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { usageError } from '../runtime/errors.js';
import { Db } from '../db/database.js';
import type { RunInputs } from '../pipeline/stage.js';
import type { Config } from '../../schemas/config.js';
import { arrowHeader } from '../ingest/arrowReader.js';
import { readCsvHeader } from '../ingest/csvReader.js';
import { formatOf } from '../ingest/format.js';
import { checkColumnMapping } from '../ingest/header.js';
import { INPUT_NAMES, INPUT_SPECS } from '../ingest/inputs.js';
import { parquetColumns } from '../ingest/parquetReader.js';

/** Settings that contradict each other. */
export function checkConfigConsistency(config: Config, source = 'config'): void {
  const { link_threshold: link, review_threshold: review } = config.match;
  if (review > link) {
    throw usageError(
      `${source}: match.review_threshold (${review}) is above match.link_threshold (${link}): no pair could be sent to review; make review_threshold at most link_threshold`,
    );
  }
  const coordinator = config.notify.coordinator.email;
  if (coordinator && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(coordinator)) {
    throw usageError(`${source}: notify.coordinator.email "${coordinator}" is not an email address`);
  }
}

/** The first bytes of a file, for sniffing its encoding and separator. */
function head(path: string, bytes = 64 * 1024): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

const SEPARATORS: [string, string][] = [
  [';', "';'"],
  ['\t', 'tabs'],
  ['|', "'|'"],
];

/**
 * What is wrong with a CSV file's encoding or separator, as the end of a
 * sentence ("this file is UTF-16"), or null when it looks like UTF-8 with ','.
 */
export function sniffCsv(bytes: Buffer): string | null {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'this file is UTF-16 (save it as UTF-8)';
  // UTF-16 without a byte-order mark: every other byte of ASCII text is NUL.
  const sample = bytes.subarray(0, 4096);
  const nuls = sample.reduce((n, b) => n + (b === 0 ? 1 : 0), 0);
  if (sample.length >= 16 && nuls > sample.length / 4) return 'this file is UTF-16 (save it as UTF-8)';
  const text = bytes.toString('latin1');
  const firstLine = (text.split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const commas = firstLine.split(',').length - 1;
  for (const [sep, name] of SEPARATORS) {
    const n = firstLine.split(sep).length - 1;
    if (n >= 2 && n > commas) return `this file is separated by ${name}, not ',' (export it as CSV with commas)`;
  }
  return null;
}

/** The header of each input, read without loading the file. */
async function headers(inputs: RunInputs, encoding: Config['input']['encoding']): Promise<Map<string, { path: string; header: string[] }>> {
  const out = new Map<string, { path: string; header: string[] }>();
  let scratch: Db | undefined;
  try {
    for (const name of INPUT_NAMES) {
      const path = inputs[name];
      if (!path) continue;
      const spec = INPUT_SPECS[name];
      let format;
      try {
        format = formatOf(path, spec.flag);
      } catch {
        continue; // the preflight names an unknown file type
      }
      if (format === 'csv') {
        const problem = sniffCsv(head(path));
        if (problem) throw usageError(`${spec.flag} ${path}: ${problem}`);
        const header = await readCsvHeader(path, encoding).catch(() => null);
        if (header) out.set(name, { path, header });
      } else if (format === 'parquet') {
        if (!scratch) {
          const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
          scratch = new Db(instance, await instance.connect(), ':memory:');
        }
        const columns = await parquetColumns(scratch, spec, path).catch(() => null);
        if (columns) out.set(name, { path, header: columns.map((c) => c.name) });
      } else {
        const header = await arrowHeader(spec.flag, path).catch(() => null);
        if (header) out.set(name, { path, header });
      }
    }
  } finally {
    scratch?.close();
  }
  return out;
}

/**
 * The config against tonight's files: encoding and separator of each CSV,
 * then every column mapping to a header present in its file. Problems the
 * ingest preflight reports better (a missing or empty file, an unknown file
 * type, an unreadable Parquet file) are left to it.
 */
export async function checkConfigAgainstInputs(config: Config, inputs: RunInputs): Promise<void> {
  // Mapping keys that are no column of their extract, or two columns on one header: the whole config first.
  for (const name of INPUT_NAMES) checkColumnMapping(INPUT_SPECS[name], config.input.columns[name] ?? {});
  const found = await headers(inputs, config.input.encoding);
  for (const [name, { path, header }] of found) {
    const mapping = config.input.columns[name as keyof typeof config.input.columns] ?? {};
    // A mapped column present in neither its county name nor its canonical one.
    const present = new Set(header.map((h) => h.trim().toLowerCase()));
    for (const [canonical, county] of Object.entries(mapping)) {
      if (!present.has(county.trim().toLowerCase()) && !present.has(canonical.toLowerCase())) {
        throw usageError(`config input.columns.${name}.${canonical}: the header "${county}" is not in ${path} (nor "${canonical}")`);
      }
    }
  }
}
