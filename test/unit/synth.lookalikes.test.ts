import { describe, expect, it } from 'vitest';
import { ageOn } from '../../src/synth/corrupt/dates.js';
import type { Person } from '../../src/synth/model.js';
import { families } from './synthHelpers.js';

const model = families(2000, 77);
const persons = model.flatMap((f) => f.persons);
const byEntity = new Map(persons.map((p) => [p.entityId, p]));
const lookalikes = (kind: string) => persons.filter((p) => p.lookalike?.kind === kind);
const family = (p: Person) => model[p.family]!;
const inBothSystems = (p: Person) => {
  const f = family(p);
  return f.calworksRecords.some((r) => r.entityId === p.entityId) && f.cwsRecords.some((r) => r.entityId === p.entityId);
};

describe('hard non-matches: different people who look alike', () => {
  it('twins: same surname, DOB, address and parents; another first name', () => {
    const twins = lookalikes('TWIN');
    expect(twins.length).toBeGreaterThan(5);
    for (const b of twins) {
      const a = byEntity.get(b.lookalike!.of)!;
      expect(b.family).toBe(a.family);
      expect(b.dob).toBe(a.dob);
      expect(b.surnames).toEqual(a.surnames);
      expect(b.first).not.toBe(a.first);
    }
    expect(twins.some(inBothSystems)).toBe(true);
  });

  it("juniors: a son with his father's name, 16+ years younger, same address", () => {
    const juniors = lookalikes('JUNIOR');
    expect(juniors.length).toBeGreaterThan(5);
    for (const son of juniors) {
      const father = byEntity.get(son.lookalike!.of)!;
      expect(son.family).toBe(father.family);
      expect([son.first, son.surnames]).toEqual([father.first, father.surnames]);
      expect(son.suffix).toBe('JR');
      expect(ageOn(father.dob, son.dob)).toBeGreaterThanOrEqual(15);
    }
  });

  it('same-name elders in the household, 18-32 years older', () => {
    const elders = lookalikes('NAMESAKE_ELDER');
    expect(elders.length).toBeGreaterThan(5);
    for (const e of elders) {
      const head = byEntity.get(e.lookalike!.of)!;
      expect(e.first).toBe(head.first);
      expect(ageOn(e.dob, head.dob)).toBeGreaterThanOrEqual(17);
    }
  });

  it('namesakes and siblings heading other families, on the other side of the systems', () => {
    const namesakes = lookalikes('NAMESAKE');
    expect(namesakes.length).toBeGreaterThan(10);
    for (const n of namesakes) {
      const src = byEntity.get(n.lookalike!.of)!;
      expect(n.family).not.toBe(src.family);
      expect([n.first, n.middle, n.surnames]).toEqual([src.first, src.middle, src.surnames]);
      expect(Math.abs(Date.parse(n.dob) - Date.parse(src.dob)) / 86_400_000).toBeLessThanOrEqual(700);
    }
    expect(namesakes.some((n) => n.dob === byEntity.get(n.lookalike!.of)!.dob)).toBe(true);
    // Namesake pairs where one is known to CWS and the other to CalWORKs.
    const cross = namesakes.filter((n) => {
      const src = byEntity.get(n.lookalike!.of)!;
      const f = family(n);
      const g = family(src);
      return (
        (f.cwsRecords.some((r) => r.entityId === n.entityId) && g.calworksRecords.some((r) => r.entityId === src.entityId)) ||
        (f.calworksRecords.some((r) => r.entityId === n.entityId) && g.cwsRecords.some((r) => r.entityId === src.entityId))
      );
    });
    expect(cross.length).toBeGreaterThan(5);
    const siblings = lookalikes('SIBLING');
    expect(siblings.length).toBeGreaterThan(5);
    for (const s of siblings) {
      const src = byEntity.get(s.lookalike!.of)!;
      expect(s.maidenSurnames ?? s.surnames).toEqual(src.maidenSurnames ?? src.surnames);
    }
  });

  it('adult twins heading another family: same birth date and birth surname, another given name, often the same home', () => {
    const twins = lookalikes('ADULT_TWIN');
    expect(twins.length).toBeGreaterThan(3);
    for (const t of twins) {
      const src = byEntity.get(t.lookalike!.of)!;
      expect(t.family).not.toBe(src.family);
      expect(t.dob).toBe(src.dob);
      expect(t.maidenSurnames ?? t.surnames).toEqual(src.maidenSurnames ?? src.surnames);
      expect(t.first).not.toBe(src.first);
    }
    const sameHome = twins.filter((t) => family(t).address.street === family(byEntity.get(t.lookalike!.of)!).address.street);
    expect(sameHome.length).toBeGreaterThan(0);
  });

  it('adults named after a parent heading another family: same names, a generation apart, another birthday', () => {
    const named = lookalikes('NAMED_AFTER_PARENT');
    expect(named.length).toBeGreaterThan(3);
    for (const n of named) {
      const src = byEntity.get(n.lookalike!.of)!;
      expect([n.first, n.middle, n.surnames, n.sex]).toEqual([src.first, src.middle, src.surnames, src.sex]);
      expect(Math.max(ageOn(n.dob, src.dob), ageOn(src.dob, n.dob))).toBeGreaterThanOrEqual(17);
      expect(n.dob.slice(5)).not.toBe(src.dob.slice(5));
    }
  });

  it('people with several records: duplicate CWS client ids and CalWORKs person ids', () => {
    const dupCws = model.flatMap((f) => f.persons.filter((p) => f.cwsRecords.filter((r) => r.entityId === p.entityId).length > 1));
    const dupCw = model.flatMap((f) => f.persons.filter((p) => f.calworksRecords.filter((r) => r.entityId === p.entityId).length > 1));
    expect(dupCws.length).toBeGreaterThan(10);
    expect(dupCw.length).toBeGreaterThan(3);
  });
});
