/**
 * One system's record of one person: the person's truth passed through that
 * system's corruption rates, with a random stream keyed by the record id (so
 * the record is the same whatever else the generator did, night after night).
 */
import type { Family, Person, PersonRecord, RecordStyle, System } from '../model.js';
import type { Pools } from '../pools.js';
import { rngFor } from '../random.js';
import { RECORD_RATES } from '../rates.js';
import { ageOn, corruptDob } from './dates.js';
import { recordName } from './names.js';
import { corruptSsn } from './ssn.js';

export interface RecordInput {
  seed: number;
  system: System;
  recordId: string;
  cin: string;
  person: Person;
  family: Family;
  /** The day the record was made (first referral, or the extract date). */
  recordedOn: string;
  /** Someone else's SSN in the family, for the wrong-person mistake. */
  otherSsn: string | null;
}

/** `APT 4B` half the time, then `#4B`, `UNIT 4B`, `APT. 4B`. */
function unitStyle(x: number): RecordStyle['unitStyle'] {
  return x < 0.5 ? 0 : x < 0.8 ? 1 : x < 0.9 ? 2 : 3;
}

export function makeRecord(input: RecordInput, pools: Pools): PersonRecord {
  const { person: p, family, system } = input;
  const rates = RECORD_RATES[system];
  const rng = rngFor(input.seed, 'record', input.recordId);
  const kinds: string[] = [];

  const x = rng.next();
  const textCase = x < rates.titleCase ? 'TITLE' : x < rates.titleCase + rates.lowerCase ? 'LOWER' : 'UPPER';
  const style: RecordStyle = {
    longWords: rng.chance(rates.addressLongWords),
    unitStyle: unitStyle(rng.next()),
    periods: rng.chance(rates.addressPeriods),
    phoneStyle: rng.int(4) as 0 | 1 | 2 | 3,
    textCase,
  };

  const newborn = ageOn(p.dob, input.recordedOn) < 1;
  const name = recordName(p, rates, pools, { newborn, textCase }, rng);
  kinds.push(...name.kinds);

  const dob = corruptDob(p.dob, rates, rng);
  if (dob.kind) kinds.push(dob.kind);

  const ssn = corruptSsn(p.ssn, input.otherSsn, rates, rng);
  kinds.push(...ssn.kinds);

  let address: PersonRecord['address'] = 'CURRENT';
  if (rng.chance(rates.addressMissing)) {
    address = 'NONE';
    kinds.push('address_missing');
  } else if (family.previousAddress && rng.chance(rates.addressPrevious)) {
    address = 'PREVIOUS';
    kinds.push('address_moved');
  }
  let phone: PersonRecord['phone'] = 'CURRENT';
  if (rng.chance(rates.phoneMissing)) phone = 'NONE';
  else if (family.previousPhone && rng.chance(rates.phonePrevious)) {
    phone = 'PREVIOUS';
    kinds.push('phone_changed');
  }
  if (style.longWords || style.periods || style.unitStyle !== 0) kinds.push('address_format');

  let sex: string = p.sex;
  if (rng.chance(rates.sexMissing)) sex = rng.chance(0.5) ? '' : 'U';
  const language = rng.chance(rates.languageMissing) ? '' : family.language;

  return {
    system,
    recordId: input.recordId,
    entityId: p.entityId,
    slot: p.slot,
    role: p.role,
    first: name.first,
    middle: name.middle,
    last: name.last,
    suffix: name.suffix,
    sex,
    dob: dob.dob,
    ssn: ssn.ssn,
    cin: input.cin && rng.chance(0.95) ? input.cin : '',
    address,
    phone,
    style,
    language,
    corruptions: kinds,
  };
}
