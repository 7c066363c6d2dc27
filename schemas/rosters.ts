/** Linkages workers (`--workers`) and regional contacts (`--contacts`). docs/interface.md sections 2.3, 2.4. */
import { field, fieldsOf } from './fields.js';

export const workersShape = {
  worker_id: field.text({ required: true }),
  worker_name: field.text({ required: true }),
  worker_email: field.text(),
  office: field.text(),
  /** `;`-separated languages, e.g. `SPANISH;ENGLISH`. */
  languages: field.text(),
  capacity: field.integer({ required: true }),
};

export const contactsShape = {
  office: field.text({ required: true }),
  contact_name: field.text({ required: true }),
  contact_email: field.text(),
  contact_phone: field.text(),
};

export const workersFields = fieldsOf(workersShape);
export const contactsFields = fieldsOf(contactsShape);
