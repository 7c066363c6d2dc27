/**
 * `linkages synth`: build the county, then the families in blocks (on worker
 * threads for large counties, parallel.ts), writing each block's rows to the
 * files in family order (memory stays flat whatever the size).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildCounty } from './county.js';
import { renderAllBlocks, synthThreads } from './parallel.js';
import { renderFamilies, type RenderedBlock } from './block.js';
import type { County, Family } from './model.js';
import { CsvSink } from './csvSink.js';
import { CALWORKS_COLUMNS, CONTACTS_COLUMNS, CWS_COLUMNS, TRUTH_COLUMNS, TRUTH_PERSONS_COLUMNS, WORKERS_COLUMNS, contactRows, workerRows } from './render.js';
import { readmeText } from './readme.js';
import { convertExtract, type ExtractFormat } from './formats.js';
import { writeFileAtomic } from '../runtime/files.js';

export const DEFAULT_EXTRACT_DATE = '2026-11-20';
/** Ids are bijections on fixed-width spaces sized for this many families (see ids.ts). */
export const MAX_FAMILIES = 2_000_000;

export interface SynthOptions {
  families: number;
  seed: number;
  out: string;
  extractDate?: string;
  format?: ExtractFormat;
  /** Worker threads (default: synthThreads(families)); the output is the same for any number. */
  threads?: number;
}

export interface SynthSummary {
  families: number;
  seed: number;
  extractDate: string;
  format: ExtractFormat;
  rows: Record<'calworks' | 'cws' | 'workers' | 'contacts' | 'truth' | 'truth_persons', number>;
  files: string[];
  /** Families by kind, for the README. */
  kinds: Record<string, number>;
  truthParentPairs: number;
}

/**
 * The files of one night, written block by block: the two extracts and the
 * truth files stream; the rosters are written when it is closed.
 */
export class CountyWriter {
  private readonly sinks: Record<'calworks' | 'cws' | 'truth' | 'truth_persons', CsvSink>;
  readonly kinds: Record<string, number> = { CALWORKS_ONLY: 0, CWS_ONLY: 0, MUTUAL: 0 };
  truthParentPairs = 0;

  constructor(readonly out: string) {
    mkdirSync(out, { recursive: true, mode: 0o700 });
    this.sinks = {
      calworks: new CsvSink(join(out, 'calworks.csv'), CALWORKS_COLUMNS),
      cws: new CsvSink(join(out, 'cws.csv'), CWS_COLUMNS),
      truth: new CsvSink(join(out, 'truth.csv'), TRUTH_COLUMNS),
      truth_persons: new CsvSink(join(out, 'truth_persons.csv'), TRUTH_PERSONS_COLUMNS),
    };
  }

  block(b: RenderedBlock): void {
    this.sinks.calworks.write(b.calworks, b.rows.calworks);
    this.sinks.cws.write(b.cws, b.rows.cws);
    this.sinks.truth.write(b.truth, b.rows.truth);
    this.sinks.truth_persons.write(b.truthPersons, b.rows.truthPersons);
    for (const k of Object.keys(this.kinds)) this.kinds[k]! += b.kinds[k] ?? 0;
    this.truthParentPairs += b.truthParentPairs;
  }

  /** Finish the streamed files, write workers.csv and contacts.csv; row counts per file. */
  close(county: County): SynthSummary['rows'] {
    for (const s of Object.values(this.sinks)) s.close();
    const workers = new CsvSink(join(this.out, 'workers.csv'), WORKERS_COLUMNS);
    for (const r of workerRows(county)) workers.row(r);
    workers.close();
    const contacts = new CsvSink(join(this.out, 'contacts.csv'), CONTACTS_COLUMNS);
    for (const r of contactRows(county)) contacts.row(r);
    contacts.close();
    return {
      calworks: this.sinks.calworks.rows,
      cws: this.sinks.cws.rows,
      workers: workers.rows,
      contacts: contacts.rows,
      truth: this.sinks.truth.rows,
      truth_persons: this.sinks.truth_persons.rows,
    };
  }

  abort(): void {
    for (const s of Object.values(this.sinks)) s.abort();
  }
}

/**
 * Write a county's families as they are now (for a second night: build the
 * families, change them, then write them with the night's `extractDate` in
 * `county`). CSV only; no README.txt.
 */
export function writeFamilies(county: County, families: Iterable<Family>, out: string): SynthSummary['rows'] {
  const writer = new CountyWriter(out);
  try {
    writer.block(renderFamilies(county, families));
    return writer.close(county);
  } catch (err) {
    writer.abort();
    throw err;
  }
}

export async function generate(o: SynthOptions): Promise<SynthSummary> {
  const extractDate = o.extractDate ?? DEFAULT_EXTRACT_DATE;
  const format = o.format ?? 'csv';
  const countyOptions = { seed: o.seed, families: o.families, extractDate };
  const county = buildCounty(countyOptions);
  const writer = new CountyWriter(o.out);
  let rows: SynthSummary['rows'];
  try {
    await renderAllBlocks(countyOptions, o.threads ?? synthThreads(o.families), (b) => writer.block(b));
    rows = writer.close(county);
  } catch (err) {
    writer.abort();
    throw err;
  }

  const files = ['calworks.csv', 'cws.csv', 'workers.csv', 'contacts.csv', 'truth.csv', 'truth_persons.csv', 'README.txt'];
  if (format !== 'csv') {
    for (const name of ['calworks', 'cws']) {
      const csv = join(o.out, `${name}.csv`);
      await convertExtract(csv, join(o.out, `${name}.${format}`), format);
      rmSync(csv);
      files[files.indexOf(`${name}.csv`)] = `${name}.${format}`;
    }
  }

  const summary: SynthSummary = {
    families: o.families,
    seed: o.seed,
    extractDate,
    format,
    rows,
    files,
    kinds: writer.kinds,
    truthParentPairs: writer.truthParentPairs,
  };
  writeFileAtomic(join(o.out, 'README.txt'), readmeText(summary));
  return summary;
}
