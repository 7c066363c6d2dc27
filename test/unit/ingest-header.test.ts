import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/runtime/errors.js';
import { checkColumnMapping, planHeader } from '../../src/ingest/header.js';
import { INPUT_SPECS } from '../../src/ingest/inputs.js';

const spec = INPUT_SPECS.contacts; // office*, contact_name*, contact_email, contact_phone

function error(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return err as CliError;
  }
  throw new Error('expected a CliError');
}

describe('header mapping', () => {
  it('matches names case-insensitively after trimming, BOM included', () => {
    const plan = planHeader(spec, ['\ufeff OFFICE ', 'Contact_Name', 'contact_email'], {}, 'c.csv');
    expect([...plan.fieldPosition]).toEqual([
      ['office', 0],
      ['contact_name', 1],
      ['contact_email', 2],
    ]);
    expect(plan.extras).toEqual([]);
  });

  it('keeps unknown columns as extras, naming empty headers by position', () => {
    const plan = planHeader(spec, ['office', 'Notes', 'contact_name', ''], {}, 'c.csv');
    expect(plan.extras.map((c) => [c.header, c.position])).toEqual([
      ['Notes', 1],
      ['column_4', 3],
    ]);
  });

  it("maps a county's own headers onto canonical names through the config", () => {
    const plan = planHeader(spec, ['Region Code', 'Coordinator'], { office: 'region code', contact_name: 'COORDINATOR' }, 'c.csv');
    expect(plan.fieldPosition.get('office')).toBe(0);
    expect(plan.fieldPosition.get('contact_name')).toBe(1);
  });

  it('names every missing required column and the file, in one line', () => {
    const e = error(() => planHeader(spec, ['contact_email'], {}, '/x/contacts.csv'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('/x/contacts.csv');
    expect(e.message).toContain('office, contact_name');
    expect(e.message).not.toContain('\n');
  });

  it('says which county header a missing mapped column was looked for under', () => {
    const e = error(() => planHeader(spec, ['office'], { contact_name: 'Coordinator' }, 'c.csv'));
    expect(e.message).toContain('contact_name (mapped to "Coordinator")');
  });

  it('refuses duplicate header names, whatever their case', () => {
    const e = error(() => planHeader(spec, ['office', 'contact_name', 'Office '], {}, 'c.csv'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('duplicate column');
  });

  it('refuses a mapping key that is not a column of the extract', () => {
    expect(error(() => checkColumnMapping(spec, { ofice: 'Region' })).message).toContain('"ofice" is not a column');
    expect(error(() => checkColumnMapping(spec, { office: 'X', contact_name: 'x' })).message).toContain('mapped to both');
  });
});
