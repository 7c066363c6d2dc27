/**
 * The assignment priority, as data: the one place it is defined. Mutual
 * clients waiting for a Linkages worker are taken group by group in this
 * order (within a group: who has waited longest, then mutual_client_id).
 * classify computes each mutual client's group with priorityGroupSql
 * (mutual_clients.priority_group), assign orders by it, assignments.csv names
 * it with priorityNameSql. src/classify/README.md ("Assignment") says the
 * same in prose; test/unit/rules-readme.test.ts checks it.
 */

/** The child-welfare service component of Family Reunification. */
export const FAMILY_REUNIFICATION_COMPONENT = 'FR';

export interface PriorityGroup {
  group: number;
  /** As assignments.csv shows it. */
  name: string;
  /** The WTW status that puts a mutual client in this group (none: decided otherwise). */
  wtwStatus?: string;
}

/** First to last. Group 1 is Family Reunification: an open FR case, or CalWORKs FR services. */
export const PRIORITY_GROUPS: readonly PriorityGroup[] = [
  { group: 1, name: 'FAMILY_REUNIFICATION' },
  { group: 2, name: 'WTW_SANCTIONED', wtwStatus: 'SANCTIONED' },
  { group: 3, name: 'WTW_NONCOMPLIANCE', wtwStatus: 'NONCOMPLIANCE' },
  { group: 4, name: 'OTHER' },
];

const [FR_GROUP, ...REST] = PRIORITY_GROUPS as [PriorityGroup, ...PriorityGroup[]];
const OTHER_GROUP = REST[REST.length - 1]!;

/** SQL: a mutual client's group from its FR facts (boolean expressions) and WTW status column. */
export function priorityGroupSql(frServices: string, openFrCase: string, wtwStatus: string): string {
  const byStatus = REST.filter((g) => g.wtwStatus).map((g) => `WHEN ${wtwStatus} = '${g.wtwStatus}' THEN ${g.group}`);
  return `CASE WHEN ${frServices} OR ${openFrCase} THEN ${FR_GROUP.group} ${byStatus.join(' ')} ELSE ${OTHER_GROUP.group} END`;
}

/** SQL: the group's name for a priority_group column. */
export function priorityNameSql(col: string): string {
  const named = PRIORITY_GROUPS.filter((g) => g !== OTHER_GROUP).map((g) => `WHEN ${g.group} THEN '${g.name}'`);
  return `CASE ${col} ${named.join(' ')} ELSE '${OTHER_GROUP.name}' END`;
}
