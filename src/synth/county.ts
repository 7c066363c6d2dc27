/**
 * County-wide setup, fixed before any family: offices, the CalWORKs and CWS
 * workers who appear on rows, the Linkages roster (sized so that some offices
 * run short of capacity) and one regional contact per office.
 */
import type { County, LinkagesWorker, RegionalContact, Worker } from './model.js';
import { pools } from './pools.js';
import { rngFor, type Rng } from './random.js';
import { COMMUNITY_MIX, ROSTER, US_DATE_OFFICES } from './rates.js';
import { FAMILY_MIX } from './rates.js';

export interface CountyOptions {
  seed: number;
  families: number;
  extractDate: string;
}

function staffName(rng: Rng): { first: string; last: string } {
  const p = pools();
  const community = rng.choose(COMMUNITY_MIX);
  const sex = rng.chance(0.7) ? 'f' : 'm';
  const first = rng.weighted(p.given[community][`adult_${sex}`]);
  const last = rng.weighted(p.surnames[community]);
  return { first, last };
}

function title(s: string): string {
  return s.toLowerCase().replace(/(^|[ \-'])([a-z])/g, (_m, a: string, c: string) => a + c.toUpperCase());
}

function emailLocal(first: string, last: string): string {
  return `${first[0]}${last}`.toLowerCase().replace(/[^a-z]/g, '');
}

/** Unique e-mail addresses: a number is appended on a clash, in roster order. */
class EmailBook {
  private seen = new Set<string>();
  make(first: string, last: string, domain: string): string {
    const base = emailLocal(first, last);
    let local = base;
    for (let n = 2; this.seen.has(local); n++) local = `${base}${n}`;
    this.seen.add(local);
    return `${local}@${domain}`;
  }
}

function officePhone(rng: Rng, prefix: string): string {
  return `(510) ${prefix}-${String(rng.range(1000, 9999))}`;
}

function makeWorkers(
  seed: number,
  kind: 'calworks' | 'cws',
  perOffice: Record<string, number>,
  emails: EmailBook,
): { workers: Worker[]; byOffice: Record<string, number[]> } {
  const workers: Worker[] = [];
  const byOffice: Record<string, number[]> = {};
  const domain = kind === 'calworks' ? 'ssa.example.gov' : 'cfs.example.gov';
  const idPrefix = kind === 'calworks' ? 'EW' : 'SW';
  for (const [office, count] of Object.entries(perOffice)) {
    byOffice[office] = [];
    for (let k = 0; k < count; k++) {
      const rng = rngFor(seed, `${kind}-worker`, office, k);
      const { first, last } = staffName(rng);
      byOffice[office]!.push(workers.length);
      workers.push({
        id: `${idPrefix}${String(10001 + workers.length)}`,
        name: `${title(first)} ${title(last)}`,
        email: emails.make(first, last, domain),
        phone: officePhone(rng, kind === 'calworks' ? '268' : '259'),
        office,
      });
    }
  }
  return { workers, byOffice };
}

const ROSTER_LANGUAGES: Record<string, number> = { SPANISH: 0.6, CANTONESE: 0.12, MANDARIN: 0.08, VIETNAMESE: 0.12, TAGALOG: 0.08 };

export function buildCounty(o: CountyOptions): County {
  const p = pools();
  const offices = p.places.offices.map((x) => x.code);
  const share = Object.fromEntries(p.places.offices.map((x) => [x.code, x.share]));
  const calworksFamilies = o.families * (FAMILY_MIX.CALWORKS_ONLY + FAMILY_MIX.MUTUAL);
  const cwsFamilies = o.families * (FAMILY_MIX.CWS_ONLY + FAMILY_MIX.MUTUAL);
  // Caseloads: about 150 CalWORKs cases per eligibility worker, 60 CWS families per social worker.
  const cwPer = Object.fromEntries(offices.map((x) => [x, Math.max(2, Math.round((calworksFamilies * share[x]!) / 150))]));
  const cwsPer = Object.fromEntries(offices.map((x) => [x, Math.max(2, Math.round((cwsFamilies * share[x]!) / 60))]));
  const emails = new EmailBook();
  const cw = makeWorkers(o.seed, 'calworks', cwPer, emails);
  const cws = makeWorkers(o.seed, 'cws', cwsPer, emails);

  const linkagesWorkers: LinkagesWorker[] = [];
  const contacts: RegionalContact[] = [];
  for (const office of offices) {
    const rng = rngFor(o.seed, 'roster', office);
    const expected = o.families * ROSTER.mutualClientsPerFamily * share[office]!;
    const factor = ROSTER.capacityFactor[0]! + rng.next() * (ROSTER.capacityFactor[1]! - ROSTER.capacityFactor[0]!);
    const total = Math.round(expected * factor);
    // A full caseload is about ROSTER.caseload mutual clients; small counties still have two workers per office.
    const n = Math.max(ROSTER.minWorkersPerOffice, Math.round(total / ROSTER.caseload));
    let remaining = Math.max(n, total);
    for (let k = 0; k < n; k++) {
      const { first, last } = staffName(rng);
      const capacity = k === n - 1 ? remaining : Math.max(1, Math.round((remaining / (n - k)) * (0.7 + rng.next() * 0.6)));
      remaining = Math.max(1, remaining - capacity);
      const languages = ['ENGLISH'];
      if (rng.chance(ROSTER.secondLanguage)) languages.unshift(rng.choose(ROSTER_LANGUAGES));
      linkagesWorkers.push({
        id: `LW${String(1001 + linkagesWorkers.length)}`,
        name: `${title(first)} ${title(last)}`,
        email: emails.make(first, last, 'linkages.example.gov'),
        office,
        languages,
        capacity: Math.max(1, capacity),
      });
    }
    const c = staffName(rng);
    contacts.push({
      office,
      name: `${title(c.first)} ${title(c.last)}`,
      email: emails.make(c.first, c.last, 'ssa.example.gov'),
      phone: officePhone(rng, '268'),
    });
  }

  return {
    seed: o.seed,
    families: o.families,
    extractDate: o.extractDate,
    offices,
    usDateOffices: US_DATE_OFFICES,
    calworksWorkers: cw.workers,
    cwsWorkers: cws.workers,
    calworksWorkersByOffice: cw.byOffice,
    cwsWorkersByOffice: cws.byOffice,
    linkagesWorkers,
    contacts,
  };
}
