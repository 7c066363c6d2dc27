/** Which reader a file needs, by its extension (docs/interface.md section 1). */
import { extname } from 'node:path';
import { usageError } from '../runtime/errors.js';

export type InputFormat = 'csv' | 'parquet' | 'arrow';

const BY_EXTENSION: Record<string, InputFormat> = {
  '.csv': 'csv',
  '.parquet': 'parquet',
  '.arrow': 'arrow',
  '.feather': 'arrow',
};

export function formatOf(path: string, flag: string): InputFormat {
  const ext = extname(path).toLowerCase();
  const format = BY_EXTENSION[ext];
  if (!format) {
    throw usageError(`${flag}: unsupported file type "${ext || '(none)'}" for ${path}; expected .csv, .parquet, .arrow or .feather`);
  }
  return format;
}
