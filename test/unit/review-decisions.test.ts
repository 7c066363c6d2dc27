/**
 * Reading and judging a coordinator's decisions file: what Excel does to a
 * CSV is undone, every bad row gets its own message with its line, good rows
 * still count, and nothing is recorded twice.
 */
import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, detectDelimiter, parseDecisionsCsv } from '../../src/review/decisionsFile.js';
import { canonicalDecision, pairKey, validateDecisions, type Decision } from '../../src/review/validate.js';

const known = {
  calworks: new Set(['P1', 'P2', 'P3', 'P4', '00123']),
  cws: new Set(['C1', 'C2', 'C3', 'C4']),
};

describe('decisions file', () => {
  it('reads an Excel re-save: BOM, CRLF, semicolons, header case and spacing', () => {
    const bytes = Buffer.from('\uFEFFPair_ID; CalWORKs_Person_ID ;CWS_Client_ID;Decision\r\nRQ-1;P1;C1;MATCH\r\nRQ-2;P2;C2;NO_MATCH\r\n', 'utf8');
    const f = parseDecisionsCsv(decodeCsvBytes(bytes), 'x.csv');
    expect(f.delimiter).toBe(';');
    expect(f.rows).toEqual([
      { line: 2, calworksPersonId: 'P1', cwsClientId: 'C1', decision: 'MATCH' },
      { line: 3, calworksPersonId: 'P2', cwsClientId: 'C2', decision: 'NO_MATCH' },
    ]);
  });

  it('reads Windows-1252 (Excel "CSV") without failing on accented names', () => {
    const bytes = Buffer.concat([
      Buffer.from('calworks_person_id,cws_client_id,decision,cws_last_name\nP1,C1,MATCH,'),
      Buffer.from([0x4e, 0xfa, 0xf1, 0x65, 0x7a]),
      Buffer.from('\n'),
    ]);
    const f = parseDecisionsCsv(decodeCsvBytes(bytes), 'x.csv');
    expect(f.rows).toHaveLength(1);
    expect(f.rows[0]!.decision).toBe('MATCH');
  });

  it('reads UTF-16 with or without its byte-order mark, little- or big-endian (Excel "Unicode Text")', () => {
    const text = 'calworks_person_id\tcws_client_id\tdecision\r\nP1\tC1\tMATCH\r\n';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), le, Buffer.concat([Buffer.from([0xfe, 0xff]), be]), be]) {
      const f = parseDecisionsCsv(decodeCsvBytes(bytes), 'x.txt');
      expect(f.delimiter).toBe('\t');
      expect(f.rows).toEqual([{ line: 2, calworksPersonId: 'P1', cwsClientId: 'C1', decision: 'MATCH' }]);
    }
  });

  it('gives each record the physical line it starts on, past multi-line cells', () => {
    const text = 'calworks_person_id,cws_client_id,notes,decision\nP1,C1,"two\nlines",MATCH\n\nP2,C2,x,NO_MATCH\n,,,\n';
    const f = parseDecisionsCsv(text, 'x.csv');
    expect(f.rows.map((r) => r.line)).toEqual([2, 5]);
  });

  it('reverses the spreadsheet escaping of our CSVs', () => {
    const f = parseDecisionsCsv(`calworks_person_id,cws_client_id,decision\n'-00123,'=C1,MATCH\n`, 'x.csv');
    expect(f.rows[0]).toMatchObject({ calworksPersonId: '-00123', cwsClientId: '=C1' });
  });

  it('names the missing columns (a usage error, exit 2)', () => {
    expect(() => parseDecisionsCsv('calworks_person_id,decision\nP1,MATCH\n', 'mine.csv')).toThrow(/mine\.csv has no cws_client_id column/);
    expect(() => parseDecisionsCsv('  \n', 'mine.csv')).toThrow(/empty/);
  });

  it('detects the separator from the header only', () => {
    expect(detectDelimiter('a;b;c\n1,2,3')).toBe(';');
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('"a;x",b,c')).toBe(',');
  });
});

describe('judging decisions', () => {
  const row = (line: number, l: string, r: string, decision: string) => ({ line, calworksPersonId: l, cwsClientId: r, decision });

  it('accepts the spellings a person types', () => {
    for (const s of ['MATCH', 'match', ' Match ']) expect(canonicalDecision(s)).toBe('MATCH');
    for (const s of ['NO_MATCH', 'no match', 'No-Match', 'NOMATCH']) expect(canonicalDecision(s)).toBe('NO_MATCH');
    expect(canonicalDecision('')).toBe('BLANK');
    expect(canonicalDecision('AUTO')).toBe('LINK');
    expect(canonicalDecision('CONFIRMED')).toBe('LINK');
    expect(canonicalDecision('yes')).toBeNull();
  });

  it('reports every bad row with its line and still applies the good ones', () => {
    const v = validateDecisions(
      [
        row(2, 'P1', 'C1', 'MATCH'),
        row(3, 'P2', 'C2', 'NO_MATCH'),
        row(4, 'P9', 'C1', 'MATCH'), // unknown CalWORKs id
        row(5, 'C3', 'P3', 'MATCH'), // columns swapped
        row(6, 'P3', 'C3', 'perhaps'), // unknown decision
        row(7, 'P4', 'C4', 'MATCH'),
        row(8, 'P4', 'C4', 'NO_MATCH'), // conflicts with line 7
        row(9, 'P1', 'C1', 'match'), // duplicate of line 2
        row(10, 'P3', 'C3', ''), // not reviewed
        row(11, 'P3', 'C4', 'AUTO'), // a links.csv row left as it was
        row(12, '', 'C4', 'NO_MATCH'), // missing id
        row(13, '123', 'C4', 'MATCH'), // lost its leading zeros in Excel
      ],
      known,
      new Map(),
    );
    expect(v.accepted.map((a) => [a.line, a.decision])).toEqual([
      [2, 'MATCH'],
      [3, 'NO_MATCH'],
    ]);
    const byLine = Object.fromEntries(v.problems.map((p) => [p.line, p.message]));
    expect(byLine[4]).toMatch(/unknown calworks_person_id "P9"/);
    expect(byLine[5]).toMatch(/swapped/);
    expect(byLine[6]).toMatch(/"perhaps" is not MATCH or NO_MATCH/);
    expect(byLine[7]).toMatch(/NO_MATCH on line 8; neither applied/);
    expect(byLine[8]).toMatch(/MATCH on line 7; neither applied/);
    expect(byLine[9]).toMatch(/duplicate of line 2/);
    expect(byLine[12]).toMatch(/calworks_person_id is empty/);
    expect(byLine[13]).toMatch(/leading zeros/);
    expect(v.counts).toEqual({
      rows: 12,
      applied: 2,
      match: 1,
      no_match: 1,
      unchanged: 0,
      skipped_blank: 1,
      skipped_link_rows: 1,
      duplicates: 1,
      rejected: 7,
    });
  });

  it('records nothing for a decision already in force, and a changed mind as a new decision', () => {
    const inForce = new Map<string, Decision>([
      [pairKey('P1', 'C1'), 'MATCH'],
      [pairKey('P2', 'C2'), 'MATCH'],
    ]);
    const v = validateDecisions([row(2, 'P1', 'C1', 'MATCH'), row(3, 'P2', 'C2', 'NO_MATCH')], known, inForce);
    expect(v.counts.unchanged).toBe(1);
    expect(v.accepted).toEqual([{ line: 3, calworksPersonId: 'P2', cwsClientId: 'C2', decision: 'NO_MATCH' }]);
  });
});
