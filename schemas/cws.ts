/** Child-welfare extract (CWS/CMS or CARES): one row per client per referral. docs/interface.md section 2.2. */
import { PERSON_ROLES, personShape, workerShape } from './calworks.js';
import { field, fieldsOf } from './fields.js';

export const REFERRAL_DISPOSITIONS = ['PENDING', 'EVALUATED_OUT', 'UNFOUNDED', 'INCONCLUSIVE', 'SUBSTANTIATED'] as const;
export const DR_PATHS = ['1', '2', '3'] as const;
export const SERVICE_COMPONENTS = ['ER', 'FM', 'FR', 'PP'] as const;
export const CWS_CASE_STATUSES = ['OPEN', 'CLOSED'] as const;
export const SENSITIVITIES = ['NONE', 'SENSITIVE', 'SEALED'] as const;

export const cwsShape = {
  extract_date: field.date({ required: true }),
  client_id: field.text({ required: true }),
  referral_id: field.text({ required: true }),
  case_id: field.text(),
  client_role: field.enum(PERSON_ROLES, { required: true }),
  ...personShape,
  referral_date: field.date({ required: true }),
  referral_disposition: field.enum(REFERRAL_DISPOSITIONS),
  dr_path: field.enum(DR_PATHS),
  service_component: field.enum(SERVICE_COMPONENTS),
  case_status: field.enum(CWS_CASE_STATUSES),
  case_open_date: field.date(),
  case_close_date: field.date(),
  removal_date: field.date(),
  ...workerShape,
  sensitivity: field.enum(SENSITIVITIES),
};

export const cwsFields = fieldsOf(cwsShape);
