/** CalWORKs extract (CalSAWS): one row per person per case. docs/interface.md section 2.1. */
import { field, fieldsOf } from './fields.js';

export const PERSON_ROLES = ['PARENT', 'CHILD', 'OTHER'] as const;
export const SEXES = ['F', 'M', 'X', 'U'] as const;
export const CALWORKS_CASE_STATUSES = ['PENDING', 'ACTIVE', 'DISCONTINUED', 'DENIED'] as const;
export const WTW_STATUSES = ['PARTICIPATING', 'EXEMPT', 'GOOD_CAUSE', 'NONCOMPLIANCE', 'SANCTIONED', 'NOT_REQUIRED'] as const;

/** Person fields shared by both extracts, in interface order. */
export const personShape = {
  first_name: field.text(),
  last_name: field.text(),
  middle_name: field.text(),
  name_suffix: field.text(),
  dob: field.date(),
  sex: field.enum(SEXES),
  ssn: field.ssn(),
  street_address: field.text(),
  city: field.text(),
  zip: field.text(),
  phone: field.text(),
  primary_language: field.text(),
};

export const workerShape = {
  worker_id: field.text(),
  worker_name: field.text(),
  worker_email: field.text(),
  worker_phone: field.text(),
  office: field.text(),
};

export const calworksShape = {
  extract_date: field.date({ required: true }),
  case_number: field.text({ required: true }),
  person_id: field.text({ required: true }),
  cin: field.text(),
  person_role: field.enum(PERSON_ROLES, { required: true }),
  ...personShape,
  case_status: field.enum(CALWORKS_CASE_STATUSES, { required: true }),
  status_date: field.date(),
  fr_services: field.flag(),
  wtw_status: field.enum(WTW_STATUSES),
  wtw_plan_hours: field.number(),
  cfs_plan_hours: field.number(),
  family_stabilization: field.flag(),
  homeless: field.flag(),
  domestic_abuse: field.flag(),
  ...workerShape,
};

export const calworksFields = fieldsOf(calworksShape);
