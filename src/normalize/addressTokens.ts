/**
 * The one address tokenizer: how a street address (or a city) becomes words,
 * and how street words are standardized (int_ref_street_words, from
 * src/normalize/data/street_words.csv). normalize builds int_persons'
 * address columns with it; the night's facts (src/facts/nightFacts.ts) build
 * the CalWORKs household's address key with it, so an address compares the
 * same way everywhere.
 */

/** SQL: the words of an address: upper case, accents and punctuation gone, `#` a word of its own, no empty words. */
export const addressTokensSql = (s: string) =>
  `list_filter(string_split(trim(regexp_replace(regexp_replace(upper(strip_accents(${s})), '#', ' # ', 'g'), '[^A-Z0-9#]+', ' ', 'g')), ' '), w -> w <> '')`;

/** SQL: a map from each street word to its standard form (STREET -> ST); a unit designator (APT, UNIT, #...) to `unitAs`. */
export const streetWordMapSql = (unitAs: string) =>
  `(SELECT map_from_entries(list({'k': word, 'v': CASE WHEN kind = 'UNIT' THEN '${unitAs}' ELSE standard END})) FROM int_ref_street_words)`;
