/**
 * A second, independent county generator for `make bench-accuracy`: written
 * straight into interface CSVs by this one file, sharing no code, name list
 * or rate with `src/synth` (the project's generator), so that a matcher tuned
 * on one generator's habits is checked on another's.
 *
 * What it makes, per family (mother, sometimes a father, 1-4 children, one
 * home): 55% known to CalWORKs only, 20% to child welfare only, 25% to both.
 * Names are drawn with Zipf weights from short lists of common names, so
 * namesakes (same given name, surname and often birth date) grow with the
 * square of the county as real ones do. Look-alikes living together, on the
 * other system than their relative:
 *   - an adult twin sister heading her own family (same surname and birth
 *     date, another given name, a quarter of them carrying the sister's name
 *     as a middle name), 60% at the same address, a third of those on the same phone;
 *   - a grandfather or grandmother of the same name (JR/SR, mother and
 *     daughter) heading a family, 20-35 years older, half at the same address;
 *   - a brother or sister born 1-3 years apart, half at the same address.
 * Each look-alike is drawn for 1% of families. Records are then written with
 * their own noise: typing errors, nicknames, another surname for 12% of
 * mothers on child welfare, missing, mistyped or day/month-swapped birth
 * dates, missing and mistyped SSNs, address spellings, missing phones.
 *
 * Usage: node dist/src/bench/secondCounty.js --families N --seed S --out DIR
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calworksFields } from '../../schemas/calworks.js';
import { cwsFields } from '../../schemas/cws.js';

const GIVEN_F = [
  'MARIA',
  'JESSICA',
  'ASHLEY',
  'JENNIFER',
  'BRITTANY',
  'AMANDA',
  'STEPHANIE',
  'ELIZABETH',
  'MELISSA',
  'SARAH',
  'CRYSTAL',
  'VANESSA',
  'JASMINE',
  'MICHELLE',
  'ANA',
  'ROSA',
  'GUADALUPE',
  'KIMBERLY',
  'NICOLE',
  'DESIREE',
  'TIFFANY',
  'LAN',
  'MAI',
  'LINH',
  'JACQUELINE',
  'VERONICA',
  'ANGELICA',
  'DIANA',
  'LETICIA',
  'KAYLA',
  'TANISHA',
  'KEISHA',
  'MONIQUE',
  'YESENIA',
  'CLAUDIA',
  'ERICA',
  'HEATHER',
  'AMBER',
  'DANIELLE',
  'SAMANTHA',
];
const GIVEN_M = [
  'JOSE',
  'MICHAEL',
  'CHRISTOPHER',
  'DAVID',
  'JUAN',
  'DANIEL',
  'ANTHONY',
  'JAMES',
  'ROBERT',
  'CARLOS',
  'LUIS',
  'JESUS',
  'MIGUEL',
  'JOSHUA',
  'ANDREW',
  'BRANDON',
  'JUSTIN',
  'KEVIN',
  'RICARDO',
  'FRANCISCO',
  'ANTONIO',
  'MARCUS',
  'DEANDRE',
  'TERRELL',
  'MINH',
  'TUAN',
  'HUNG',
  'ERIC',
  'RAYMOND',
  'MARIO',
  'VICTOR',
  'EDGAR',
  'OSCAR',
  'RAFAEL',
  'JORGE',
  'DEREK',
  'TYRONE',
  'JAMAL',
  'ANDRE',
  'BRIAN',
];
const SURNAMES = [
  'GARCIA',
  'HERNANDEZ',
  'LOPEZ',
  'MARTINEZ',
  'RODRIGUEZ',
  'GONZALEZ',
  'PEREZ',
  'SANCHEZ',
  'RAMIREZ',
  'TORRES',
  'NGUYEN',
  'TRAN',
  'LE',
  'PHAM',
  'SMITH',
  'JOHNSON',
  'WILLIAMS',
  'BROWN',
  'JONES',
  'DAVIS',
  'MILLER',
  'WILSON',
  'MOORE',
  'TAYLOR',
  'ANDERSON',
  'THOMAS',
  'JACKSON',
  'WHITE',
  'HARRIS',
  'MARTIN',
  'THOMPSON',
  'ROBINSON',
  'CLARK',
  'LEWIS',
  'WALKER',
  'YOUNG',
  'ALLEN',
  'KING',
  'WRIGHT',
  'SCOTT',
  'FLORES',
  'RIVERA',
  'GOMEZ',
  'DIAZ',
  'REYES',
  'MORALES',
  'CRUZ',
  'ORTIZ',
  'GUTIERREZ',
  'CHAVEZ',
  'RAMOS',
  'RUIZ',
  'ALVAREZ',
  'MENDOZA',
  'CASTILLO',
  'JIMENEZ',
  'VASQUEZ',
  'MORENO',
  'HERRERA',
  'MEDINA',
  'WONG',
  'CHEN',
  'LEE',
  'CHAN',
  'SANTOS',
  'REYES',
  'CRUZ',
  'BAUTISTA',
  'OCAMPO',
  'DELACRUZ',
];
const NICK: Record<string, string> = {
  JENNIFER: 'JENNY',
  ELIZABETH: 'LIZ',
  MICHAEL: 'MIKE',
  CHRISTOPHER: 'CHRIS',
  DAVID: 'DAVE',
  DANIEL: 'DANNY',
  ANTHONY: 'TONY',
  JAMES: 'JIM',
  ROBERT: 'BOB',
  JOSHUA: 'JOSH',
  ANDREW: 'ANDY',
  FRANCISCO: 'PANCHO',
  GUADALUPE: 'LUPE',
  JOSE: 'PEPE',
  SAMANTHA: 'SAM',
  KIMBERLY: 'KIM',
  STEPHANIE: 'STEPH',
};
const STREETS = [
  'MAIN',
  'OAK',
  'PINE',
  'MAPLE',
  'CEDAR',
  'ELM',
  'WASHINGTON',
  'LINCOLN',
  'INTERNATIONAL',
  'FOOTHILL',
  'MACARTHUR',
  'BANCROFT',
  'HESPERIAN',
  'MISSION',
  'FRUITVALE',
  'HIGH',
  'SEMINARY',
  'CAMPUS',
  'TENNYSON',
  'WINTON',
];
const CITIES: [string, string][] = [
  ['OAKLAND', '94601'],
  ['OAKLAND', '94621'],
  ['HAYWARD', '94541'],
  ['HAYWARD', '94544'],
  ['FREMONT', '94538'],
  ['SAN LEANDRO', '94577'],
  ['BERKELEY', '94702'],
  ['UNION CITY', '94587'],
  ['LIVERMORE', '94550'],
  ['NEWARK', '94560'],
];
const EXTRACT_DATE = '2026-11-20';

/** mulberry32: small, fast, deterministic. */
function rngOf(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const zipf = <T>(list: T[]): T => {
    // weight 1/(rank+1): the head of the list much more common than its tail
    const h = list.length;
    const total = Array.from({ length: h }, (_, i) => 1 / (i + 1)).reduce((x, y) => x + y, 0);
    let x = next() * total;
    for (let i = 0; i < h; i++) {
      x -= 1 / (i + 1);
      if (x <= 0) return list[i]!;
    }
    return list[h - 1]!;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(list: T[]): T => list[Math.floor(next() * list.length)]!,
    zipf,
  };
}
type Rng = ReturnType<typeof rngOf>;

interface Human {
  id: number;
  first: string;
  middle: string;
  last: string;
  suffix: string;
  sex: 'F' | 'M';
  dob: string;
  ssn: string;
  role: 'PARENT' | 'CHILD';
}

interface Home {
  street: string;
  city: string;
  zip: string;
  phone: string;
}

interface Household {
  members: Human[];
  home: Home;
  onCalworks: boolean;
  onCws: boolean;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const isoDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function makeHome(r: Rng): Home {
  const [city, zip] = r.pick(CITIES);
  return {
    street: `${r.int(100, 9999)} ${r.pick(STREETS)} ${r.pick(['ST', 'AVE', 'BLVD', 'WAY'])}${r.chance(0.4) ? ` APT ${r.int(1, 30)}` : ''}`,
    city,
    zip,
    phone: `510${r.int(2000000, 9999999)}`,
  };
}

/** Record noise, one system's habits. */
function noisyName(r: Rng, name: string, typo: number, nick: number): string {
  if (name && NICK[name] && r.chance(nick)) return NICK[name]!;
  if (name.length > 3 && r.chance(typo)) {
    const i = r.int(1, name.length - 2);
    return r.chance(0.5) ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2) : name.slice(0, i) + name.slice(i + 1);
  }
  return name;
}

function noisyAddress(r: Rng, street: string): string {
  let s = street;
  if (r.chance(0.3)) s = s.replace(/ ST\b/, ' STREET').replace(/ AVE\b/, ' AVENUE');
  if (r.chance(0.2)) s = s.replace(' APT ', ' #');
  return r.chance(0.3) ? s.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase()) : s;
}

function recordOf(r: Rng, h: Human, home: Home, sys: 'CALWORKS' | 'CWS'): Record<string, string> {
  const cw = sys === 'CALWORKS';
  let dob = h.dob;
  if (r.chance(cw ? 0.003 : 0.03)) dob = '';
  else if (r.chance(cw ? 0.004 : 0.012)) dob = isoDays(dob, r.chance(0.5) ? 1 : 365);
  let ssn = h.ssn;
  if (r.chance(cw ? 0.05 : 0.5)) ssn = '';
  else if (ssn && r.chance(0.01)) ssn = ssn.slice(0, 8) + String((Number(ssn[8]) + 1) % 10);
  else if (dob && r.chance(cw ? 0.002 : 0.015) && Number(dob.slice(8)) <= 12) dob = `${dob.slice(0, 5)}${dob.slice(8)}-${dob.slice(5, 7)}`;
  // a woman recorded under another surname (married, or her maiden name) on one system
  const last = !cw && h.sex === 'F' && h.role === 'PARENT' && r.chance(0.12) ? r.zipf(SURNAMES) : h.last;
  return {
    first_name: noisyName(r, h.first, cw ? 0.01 : 0.05, cw ? 0.01 : 0.08),
    last_name: noisyName(r, last, cw ? 0.01 : 0.05, 0),
    middle_name: r.chance(cw ? 0.3 : 0.5) ? '' : h.middle,
    name_suffix: r.chance(0.5) ? h.suffix : '',
    dob,
    sex: h.sex,
    ssn: ssn ? `${ssn.slice(0, 3)}-${ssn.slice(3, 5)}-${ssn.slice(5)}` : '',
    street_address: r.chance(cw ? 0.01 : 0.05) ? '' : noisyAddress(r, home.street),
    city: home.city,
    zip: home.zip,
    phone: r.chance(cw ? 0.15 : 0.4) ? '' : home.phone,
  };
}

export function generateSecondCounty(
  families: number,
  seed: number,
): { calworks: Record<string, string>[]; cws: Record<string, string>[]; truth: [string, string][] } {
  const r = rngOf(seed);
  let nextId = 1;
  const human = (sex: 'F' | 'M', age: number, last: string, role: Human['role']): Human => ({
    id: nextId++,
    first: r.zipf(sex === 'F' ? GIVEN_F : GIVEN_M),
    middle: r.chance(0.4) ? r.pick(sex === 'F' ? GIVEN_F : GIVEN_M) : '',
    last,
    suffix: '',
    sex,
    dob: isoDays(EXTRACT_DATE, -Math.round((age + r.next()) * 365.25)),
    ssn: r.chance(0.1) ? '' : `${r.int(100, 665)}${pad(r.int(1, 99), 2)}${pad(r.int(1, 9999), 4)}`,
    role,
  });
  const kids = (mother: Human, last: string): Human[] =>
    Array.from({ length: r.int(1, 4) }, () =>
      human(r.chance(0.5) ? 'F' : 'M', r.int(0, Math.min(17, 2026 - Number(mother.dob.slice(0, 4)) - 17)), last, 'CHILD'),
    );
  const systems = (): [boolean, boolean] => {
    const x = r.next();
    return x < 0.55 ? [true, false] : x < 0.75 ? [false, true] : [true, true];
  };
  const households: Household[] = [];
  for (let f = 0; f < families; f++) {
    const last = r.zipf(SURNAMES);
    const mother = human('F', r.int(18, 45), last, 'PARENT');
    const members = [mother];
    if (r.chance(0.35)) members.push(human('M', Number(EXTRACT_DATE.slice(0, 4)) - Number(mother.dob.slice(0, 4)) + r.int(-2, 6), last, 'PARENT'));
    members.push(...kids(mother, last));
    const home = makeHome(r);
    const [onCalworks, onCws] = systems();
    households.push({ members, home, onCalworks, onCws });

    // Look-alikes: a relative heading a family on the other system (when this one is on just one).
    if (onCalworks === onCws) continue;
    const other = { onCalworks: !onCalworks, onCws: !onCws };
    const x = r.next();
    if (x < 0.01) {
      // adult twin sister
      const twin = human('F', 30, last, 'PARENT');
      twin.dob = mother.dob;
      while (twin.first === mother.first) twin.first = r.zipf(GIVEN_F);
      if (r.chance(0.25)) twin.middle = mother.first;
      const shared = r.chance(0.6);
      const twinHome = shared ? { ...home, phone: r.chance(0.33) ? home.phone : makeHome(r).phone } : makeHome(r);
      households.push({ members: [twin, ...kids(twin, last)], home: twinHome, ...other });
    } else if (x < 0.02) {
      // a parent of the same name, a generation older (SR, or the mother of the same name)
      const elder = members.find((m) => m.role === 'PARENT' && m.sex === 'M') ?? mother;
      const sr = human(elder.sex, 50, elder.last, 'PARENT');
      Object.assign(sr, { first: elder.first, middle: elder.middle, dob: isoDays(elder.dob, -r.int(20 * 365, 35 * 365)) });
      if (elder.sex === 'M' && r.chance(0.4)) [elder.suffix, sr.suffix] = ['JR', 'SR'];
      const srKids = kids(sr, elder.last).map((k) => ({ ...k, dob: isoDays(k.dob, -365 * 20) }));
      households.push({ members: [sr, ...srKids], home: r.chance(0.5) ? home : makeHome(r), ...other });
    } else if (x < 0.03) {
      // a sister born 1-3 years apart
      const sis = human('F', 30, last, 'PARENT');
      sis.dob = isoDays(mother.dob, (r.chance(0.5) ? 1 : -1) * r.int(365, 3 * 365));
      households.push({ members: [sis, ...kids(sis, last)], home: r.chance(0.5) ? home : makeHome(r), ...other });
    }
  }

  const calworks: Record<string, string>[] = [];
  const cws: Record<string, string>[] = [];
  const truth: [string, string][] = [];
  households.forEach((h, i) => {
    const caseNumber = `S${pad(i, 8)}`;
    const referral = `SR${pad(i, 8)}`;
    for (const m of h.members) {
      const pid = `SP${pad(m.id, 9)}`;
      const cid = `SC${pad(m.id, 9)}`;
      if (h.onCalworks) {
        calworks.push({
          extract_date: EXTRACT_DATE,
          case_number: caseNumber,
          person_id: pid,
          person_role: m.role,
          case_status: 'ACTIVE',
          office: 'OAKLAND',
          ...recordOf(r, m, h.home, 'CALWORKS'),
        });
      }
      if (h.onCws) {
        cws.push({
          extract_date: EXTRACT_DATE,
          client_id: cid,
          referral_id: referral,
          client_role: m.role,
          referral_date: isoDays(EXTRACT_DATE, -r.int(1, 700)),
          office: 'OAKLAND',
          sensitivity: 'NONE',
          ...recordOf(r, m, h.home, 'CWS'),
        });
      }
      if (h.onCalworks && h.onCws && m.role === 'PARENT') truth.push([pid, cid]);
    }
  });
  return { calworks, cws, truth };
}

const csvCell = (v: string | undefined) => (v === undefined || v === '' ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const toCsv = (fields: string[], rows: Record<string, string>[]) =>
  `${fields.join(',')}\n${rows.map((row) => fields.map((f) => csvCell(row[f])).join(',')).join('\n')}\n`;

/** Writes calworks.csv, cws.csv and truth.csv (calworks_person_id, cws_client_id, role) into dir. */
export function writeSecondCounty(dir: string, families: number, seed: number): void {
  const { calworks, cws, truth } = generateSecondCounty(families, seed);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'calworks.csv'),
    toCsv(
      calworksFields.map((f) => f.name),
      calworks,
    ),
  );
  writeFileSync(
    join(dir, 'cws.csv'),
    toCsv(
      cwsFields.map((f) => f.name),
      cws,
    ),
  );
  writeFileSync(join(dir, 'truth.csv'), `calworks_person_id,cws_client_id,role\n${truth.map(([a, b]) => `${a},${b},PARENT`).join('\n')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string, d: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : d;
  };
  writeSecondCounty(arg('out', 'second-county'), Number(arg('families', '5000')), Number(arg('seed', '7')));
}
