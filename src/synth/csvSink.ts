/**
 * A streaming CSV file: RFC 4180 quoting, UTF-8, header row, spreadsheet
 * formula escaping (as src/db/csv.ts does), written in 1 MiB chunks to a
 * temporary name and renamed into place when closed.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { csvEscapeValue } from '../db/csv.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FLUSH_AT = 1 << 20;

export function csvCell(v: string): string {
  if (v === '') return '';
  const c = v.charCodeAt(0);
  // = + - @ tab CR: a spreadsheet would run it as a formula.
  const s = c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13 ? csvEscapeValue(v) : v;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly string[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + csvCell(values[i]!);
  return `${line}\n`;
}

export class CsvSink {
  private fd: number;
  private lines: string[] = [];
  private size = 0;
  private readonly tmp: string;
  rows = 0;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.tmp = join(dirname(path), `.${basename(path)}.tmp`);
    this.fd = openSync(this.tmp, 'w', 0o600);
    this.lines.push(csvLine(header));
  }

  row(values: readonly string[]): void {
    const line = csvLine(values);
    this.lines.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size >= FLUSH_AT) this.flush();
  }

  /** Append already-rendered lines (`rows` of them). */
  write(text: string, rows: number): void {
    if (!text) return;
    this.lines.push(text);
    this.size += text.length;
    this.rows += rows;
    if (this.size >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.lines.length) writeSync(this.fd, this.lines.join(''));
    this.lines = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
    rmSync(this.tmp, { force: true });
  }
}
