/**
 * Every rate of the synthetic county in one place: the family mix, the
 * case-level distributions, and the corruption rates per system. The exact-
 * match baseline (baseline.ts) is calibrated against these: with them, exact
 * valid SSN or exact first+last+DOB finds about 78% of the true parent pairs,
 * which is what counties report for their rules today. README.txt prints them.
 */
import type { Community, FamilyKind, System } from './model.js';

export const FAMILY_MIX: Record<FamilyKind, number> = { CALWORKS_ONLY: 0.62, CWS_ONLY: 0.18, MUTUAL: 0.2 };

export const COMMUNITY_MIX: Record<Community, number> = {
  hispanic: 0.4,
  black: 0.24,
  anglo: 0.17,
  vietnamese: 0.06,
  chinese: 0.06,
  filipino: 0.07,
};

/** Family structure. */
export const FAMILY = {
  twoParentsCalworks: 0.25,
  /** Children per family: 1..4. */
  children: { 1: 0.45, 2: 0.3, 3: 0.15, 4: 0.1 } as Record<string, number>,
  otherMemberOnCase: 0.06,
  /** Absent father known to CWS only (family with one parent on CalWORKs). */
  absentFatherNamedByCws: 0.4,
  /** Hispanic adults: compound surname (paternal + maternal), compound given name. */
  compoundSurname: 0.55,
  compoundGiven: 0.2,
  /** Adults of other communities with a middle name. */
  middleName: 0.6,
  childMiddleName: 0.5,
  /** Mother took the father's surname (two-parent families; some single mothers too). */
  marriedSurname: 0.5,
  movedRecently: 0.45,
  phoneChanged: 0.35,
  /** Persons with no SSN at all (adults by community, children). */
  noSsnHispanicAdult: 0.14,
  noSsnOtherAdult: 0.03,
  noSsnChild: 0.04,
  noSsnInfant: 0.4,
  priorCalworksCase: 0.05,
  /** A prior case whose parent got a second person_id (a duplicate record). */
  priorCaseDuplicatePerson: 0.2,
  /** A person named on a later referral under a second client_id. */
  cwsDuplicateClient: 0.07,
};

/**
 * LINKAGES_SYNTH_LOOKALIKES=K (for benchmarks): K times as many
 * look-alike families (twins, juniors, namesakes, siblings), and most of them at one address. An
 * environment variable, read once at load, so that the generator's worker threads see the same.
 */
const LOOKALIKE_FACTOR = Math.max(1, Number(process.env.LINKAGES_SYNTH_LOOKALIKES ?? 1) || 1);
const more = (rate: number) => Math.min(1, rate * LOOKALIKE_FACTOR);
const together = (share: number) => (LOOKALIKE_FACTOR > 1 ? Math.max(share, 0.8) : share);

/** Hard non-matches, per family. */
export const LOOKALIKES = {
  twins: more(0.03),
  /** A son named after his father (JR), in families with a father. */
  junior: more(0.08),
  /** A grandparent of the same name in the household (OTHER member). */
  namesakeElder: more(0.02),
  /** A parent with the same name as a parent of another family, DOB near. */
  namesake: more(0.02),
  namesakeSameDob: more(0.12),
  /** A parent who is an adult sibling of a parent of another family. */
  sibling: more(0.015),
  /** Of those siblings, the share living at the same address (doubled-up households are common on aid). */
  siblingSameAddress: together(0.45),
  /**
   * A head of household whose twin heads another family (one on each system).
   * Twins are about 3.1% of US births (CDC NVSS, 32.1 per 1,000 in 2019), so
   * about 6% of adults are a twin; that the co-twin is also a parent known to
   * the other system is rarer: 0.5% of families (about 250 twin pairs per
   * 50,000 families, more than a county would see, to stress the matcher).
   */
  adultTwin: more(0.005),
  /** Of adult twins: the same sex (identical twins, and half of fraternal ones: about 2/3). */
  adultTwinSameSex: 0.67,
  /** Of adult twins: one named after the other (the other's given name as her middle name). */
  adultTwinNamedAfter: 0.25,
  /** Of adult twins: living together, and sharing the household phone. */
  adultTwinSameAddress: together(0.6),
  adultTwinSamePhone: 0.35,
  /**
   * A head of household named after a parent who heads another family: a JR
   * and SR, or a mother and adult daughter of the same name (naming sons after
   * fathers is common: about 3-5% of US men carry JR; daughters after mothers
   * somewhat less). That the parent heads a family known to the other system
   * is rarer: 0.5% of families. Suffix recorded on a minority of records.
   */
  namedAfterParent: more(0.005),
  namedAfterParentSameAddress: together(0.5),
  namedAfterParentSamePhone: 0.3,
  namedAfterParentSuffix: 0.35,
};

export const CALWORKS_CASE = {
  status: { ACTIVE: 0.78, PENDING: 0.08, DISCONTINUED: 0.1, DENIED: 0.04 },
  workerUnknown: 0.05,
  wtw: { PARTICIPATING: 0.55, EXEMPT: 0.12, GOOD_CAUSE: 0.05, NONCOMPLIANCE: 0.1, SANCTIONED: 0.1, NOT_REQUIRED: 0.08 },
  familyStabilization: 0.08,
  homeless: 0.07,
  domesticAbuse: 0.05,
  /** Parents with a CWS case plan whose WTW hours were not reduced (over-scheduled). */
  uncoordinatedPlan: 0.45,
  /** CalWORKs knows the CWS case-plan hours of a parent with an open FM/FR case. */
  cfsHoursKnown: 0.75,
  /** FR parents receive CalWORKs FR services; their case is often discontinued. */
  frServices: 0.65,
  frCaseDiscontinued: 0.5,
};

export const CWS = {
  /** Referrals per family: 1..4. */
  referrals: { 1: 0.65, 2: 0.23, 3: 0.08, 4: 0.04 } as Record<string, number>,
  /** Referrals spread over the last this many days. */
  historyDays: 1095,
  disposition: { EVALUATED_OUT: 0.24, UNFOUNDED: 0.3, INCONCLUSIVE: 0.2, SUBSTANTIATED: 0.26 },
  pendingRecentDays: 30,
  pendingRecent: 0.7,
  drPath: 0.22,
  openCaseAfter: { SUBSTANTIATED: 0.6, INCONCLUSIVE: 0.18 } as Record<string, number>,
  component: { FM: 0.5, FR: 0.38, PP: 0.12 },
  closedCaseAfterDays: 240,
  closed: 0.55,
  childNamed: 0.85,
  fatherNamed: 0.85,
  otherOnReferral: 0.08,
  erComponentWithoutCase: 0.7,
  sensitivity: { NONE: 0.975, SENSITIVE: 0.02, SEALED: 0.005 },
};

/** Corruption rates of one system's records, relative to the truth. */
export interface RecordRates {
  // names
  nickname: number;
  spellingVariant: number;
  firstMiddleSwap: number;
  firstLastSwap: number;
  typoFirst: number;
  typoLast: number;
  diacritics: number;
  /** A married woman recorded under her maiden surname / maiden-married hyphenated. */
  maidenSurname: number;
  hyphenMarried: number;
  /** A compound surname written the person's usual way (else one of the other forms at random). */
  surnameHabit: number;
  /** Compound given name written joined in the first-name field / by the second name only. */
  compoundGivenJoined: number;
  goesBySecondName: number;
  middleMissing: number;
  middleInitial: number;
  particleSpacing: number;
  /** O'BRIEN/OBRIEN, MC DONALD/MCDONALD, a period after a middle initial. */
  punctuation: number;
  titleCase: number;
  lowerCase: number;
  doubleSpace: number;
  suffixDropped: number;
  newbornPlaceholder: number;
  // dates of birth
  dobDayMonthSwap: number;
  dobOffByDay: number;
  dobOffByYear: number;
  dobMissing: number;
  dobEstimated: number;
  // SSN
  ssnMissing: number;
  ssnPlaceholder: number;
  ssnTransposed: number;
  ssnDigit: number;
  ssnOtherPerson: number;
  ssnNoDashes: number;
  // contact
  addressPrevious: number;
  addressMissing: number;
  addressLongWords: number;
  addressPeriods: number;
  phoneMissing: number;
  phonePrevious: number;
  sexMissing: number;
  languageMissing: number;
}

export const RECORD_RATES: Record<System, RecordRates> = {
  CALWORKS: {
    nickname: 0.02,
    spellingVariant: 0.01,
    firstMiddleSwap: 0.005,
    firstLastSwap: 0.004,
    typoFirst: 0.015,
    typoLast: 0.015,
    diacritics: 0.04,
    maidenSurname: 0.15,
    hyphenMarried: 0.05,
    surnameHabit: 0.85,
    compoundGivenJoined: 0.2,
    goesBySecondName: 0.05,
    middleMissing: 0.15,
    middleInitial: 0.1,
    particleSpacing: 0.1,
    punctuation: 0.02,
    titleCase: 0.0,
    lowerCase: 0.0,
    doubleSpace: 0.002,
    suffixDropped: 0.3,
    newbornPlaceholder: 0.05,
    dobDayMonthSwap: 0.004,
    dobOffByDay: 0.004,
    dobOffByYear: 0.004,
    dobMissing: 0.003,
    dobEstimated: 0.002,
    ssnMissing: 0.05,
    ssnPlaceholder: 0.5,
    ssnTransposed: 0.006,
    ssnDigit: 0.006,
    ssnOtherPerson: 0.001,
    ssnNoDashes: 0.7,
    addressPrevious: 0.05,
    addressMissing: 0.01,
    addressLongWords: 0.2,
    addressPeriods: 0.05,
    phoneMissing: 0.15,
    phonePrevious: 0.1,
    sexMissing: 0.0,
    languageMissing: 0.01,
  },
  CWS: {
    nickname: 0.045,
    spellingVariant: 0.03,
    firstMiddleSwap: 0.02,
    firstLastSwap: 0.01,
    typoFirst: 0.035,
    typoLast: 0.035,
    diacritics: 0.1,
    maidenSurname: 0.3,
    hyphenMarried: 0.08,
    surnameHabit: 0.65,
    compoundGivenJoined: 0.25,
    goesBySecondName: 0.1,
    middleMissing: 0.45,
    middleInitial: 0.15,
    particleSpacing: 0.2,
    punctuation: 0.05,
    titleCase: 0.08,
    lowerCase: 0.01,
    doubleSpace: 0.005,
    suffixDropped: 0.5,
    newbornPlaceholder: 0.3,
    dobDayMonthSwap: 0.015,
    dobOffByDay: 0.01,
    dobOffByYear: 0.012,
    dobMissing: 0.03,
    dobEstimated: 0.012,
    ssnMissing: 0.5,
    ssnPlaceholder: 0.12,
    ssnTransposed: 0.025,
    ssnDigit: 0.025,
    ssnOtherPerson: 0.004,
    ssnNoDashes: 0.4,
    addressPrevious: 0.3,
    addressMissing: 0.05,
    addressLongWords: 0.35,
    addressPeriods: 0.08,
    phoneMissing: 0.4,
    phonePrevious: 0.25,
    sexMissing: 0.02,
    languageMissing: 0.2,
  },
};

/** Offices exporting dates as MM/DD/YYYY. */
export const US_DATE_OFFICES: Record<System, string[]> = { CALWORKS: ['EAST', 'TRICITY'], CWS: ['SOUTH'] };

/** Languages by community (primary language of the family). */
export const LANGUAGES: Record<Community, Record<string, number>> = {
  hispanic: { SPANISH: 0.55, ENGLISH: 0.45 },
  anglo: { ENGLISH: 0.97, RUSSIAN: 0.02, ARABIC: 0.01 },
  black: { ENGLISH: 0.98, AMHARIC: 0.02 },
  vietnamese: { VIETNAMESE: 0.65, ENGLISH: 0.35 },
  chinese: { CANTONESE: 0.45, MANDARIN: 0.25, ENGLISH: 0.3 },
  filipino: { TAGALOG: 0.2, ENGLISH: 0.8 },
};

/** Linkages roster: capacity over expected mutual clients, per office (some offices tight). */
export const ROSTER = {
  mutualClientsPerFamily: 0.027,
  capacityFactor: [0.75, 1.4],
  caseload: 25,
  minWorkersPerOffice: 2,
  secondLanguage: 0.55,
};
