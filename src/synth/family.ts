/** Family i of the county: its people (people.ts), then what each system knows (systems.ts). */
import type { County, Family } from './model.js';
import { familyTruth } from './people.js';
import { buildSystems } from './systems.js';

/** Pure in (county, i): the same family every time. */
export function buildFamily(county: County, i: number): Family {
  return buildSystems(county, familyTruth(county, i));
}
