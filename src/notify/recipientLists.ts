/**
 * Cutting the CSV of every recipient's rows (written by DuckDB, sorted by recipient, the
 * recipient's file name as the first field) into one list per recipient: the header and each
 * record without that first field, byte for byte as DuckDB wrote them. Read as a stream and handed
 * on list by list, so neither the file nor the lists are ever held whole (a statewide night's are
 * tens of megabytes).
 */
import { createReadStream } from 'node:fs';

/** Name of the first column of the combined file: the recipient's list file, without `.csv`. */
export const RECIPIENT_FIELD = 'lk_part';

export interface RecipientList {
  file: string;
  text: string;
}

/** A record's first field (unquoted) and the rest of the record after its comma. */
export function splitFirstField(record: string): { first: string; rest: string } {
  if (record.startsWith('"')) {
    let i = 1;
    for (;;) {
      const q = record.indexOf('"', i);
      if (q < 0) throw new Error('recipient lists: unterminated quoted field');
      if (record.charCodeAt(q + 1) === 34) {
        i = q + 2;
        continue;
      }
      return { first: record.slice(1, q).replaceAll('""', '"'), rest: record.slice(q + 2) };
    }
  }
  const comma = record.indexOf(',');
  return comma < 0 ? { first: record, rest: '' } : { first: record.slice(0, comma), rest: record.slice(comma + 1) };
}

const quotes = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
};

/**
 * The CSV records of a text in chunks, as written (LF-ended lines; a quoted field may hold line
 * breaks, so a record ends at the first line end where its quotes are balanced), each without its
 * final LF. Only for DuckDB's own output, which is well formed: an extract is read by
 * src/ingest/csvRecords.ts, which parses fields and survives stray quotes.
 */
export async function* rawRecords(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let carry = '';
  let record = '';
  let open = false;
  for await (const chunk of chunks) {
    const text = carry + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl);
      start = nl + 1;
      record = open ? `${record}\n${line}` : line;
      if (quotes(line) % 2 === 1) open = !open;
      if (!open) yield record;
    }
    carry = text.slice(start);
  }
  if (carry || open) yield open ? `${record}\n${carry}` : carry;
}

/**
 * The lists in the combined file at `path` (see the module comment), in file order, each handed to
 * `onList` as soon as it is complete (awaited: one list is held at a time, however big the county).
 */
export async function splitRecipientLists(path: string, onList: (list: RecipientList) => Promise<void>): Promise<number> {
  let header: string | null = null;
  let file = '';
  let lines: string[] = [];
  let lists = 0;
  const flush = async () => {
    if (!lines.length) return;
    lists++;
    await onList({ file, text: `${header}\n${lines.join('\n')}\n` });
  };
  for await (const record of rawRecords(createReadStream(path, { encoding: 'utf8' }))) {
    const { first, rest } = splitFirstField(record);
    if (header === null) {
      if (first !== RECIPIENT_FIELD) throw new Error(`recipient lists: the first column is ${first}, not ${RECIPIENT_FIELD}`);
      header = rest;
      continue;
    }
    // Names come from lk_slug (role prefix and [A-Za-z0-9_-]); anything else would leave the folder.
    if (!/^[A-Za-z0-9_-]+$/.test(first)) throw new Error('recipient lists: a recipient file name that is not a slug');
    if (first !== file) {
      await flush();
      file = first;
      lines = [];
    }
    lines.push(rest);
  }
  await flush();
  return lists;
}
