/** A search hit as printed: the person's JSON of search_persons (with cases), its links and tier (linkedFields.ts) and its score. */

export interface SearchHit {
  score: number;
  system: 'CALWORKS' | 'CWS';
  person_id: string;
  role: string;
  sensitive: boolean;
  name: string;
  dob: string | null;
  /** CalWORKs case numbers, or child-welfare case ids (referral ids when no case was opened). */
  cases: string[];
  mutual_client_id: string | null;
  /** Ids of the same person on the other side (linked). */
  linked_ids: string[];
  tier: string | null;
}

const fullName = (r: Record<string, unknown>) =>
  [r.first_name, r.middle_name, r.last_name, r.name_suffix].filter((v) => typeof v === 'string' && v.trim() !== '').join(' ');

const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

export function toHit(r: Record<string, unknown>, score: number): SearchHit {
  return {
    score,
    system: r.system as SearchHit['system'],
    person_id: String(r.person_key),
    role: String(r.role ?? ''),
    sensitive: r.sensitive === true,
    name: fullName(r),
    dob: (r.dob as string | null) ?? null,
    cases: list(r.cases),
    mutual_client_id: (r.mutual_client_id as string | null) ?? null,
    linked_ids: list(r.linked_ids),
    tier: (r.tier as string | null) ?? null,
  };
}
