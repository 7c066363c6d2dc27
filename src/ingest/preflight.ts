/**
 * Everything about the inputs that can be refused without reading a file in
 * full: existence, file type, an empty file, the header against the schema.
 * `linkages run` calls `preflightInputs` before it opens the database or
 * starts logging, so such a problem is one line on stderr and exit 2; the
 * ingest stage calls `prepare` again for the plan it reads with.
 */
import { existsSync, statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { usageError } from '../runtime/errors.js';
import { Db } from '../db/database.js';
import type { RunInputs } from '../pipeline/stage.js';
import type { Config } from '../../schemas/config.js';
import { arrowHeader } from './arrowReader.js';
import { readCsvHeader } from './csvReader.js';
import { formatOf, type InputFormat } from './format.js';
import { planHeader, type HeaderPlan } from './header.js';
import { INPUT_NAMES, INPUT_SPECS, type InputName, type InputSpec } from './inputs.js';
import { parquetColumns, type ParquetColumn } from './parquetReader.js';

export interface Prepared {
  spec: InputSpec;
  path: string;
  format: InputFormat;
  bytes: number;
  plan: HeaderPlan;
  parquet?: ParquetColumn[];
}

export type DescribeParquet = (spec: InputSpec, path: string) => Promise<ParquetColumn[]>;

export async function prepare(name: InputName, path: string, config: Config, describeParquet: DescribeParquet): Promise<Prepared> {
  const spec = INPUT_SPECS[name];
  if (!existsSync(path)) throw usageError(`${spec.flag}: file not found: ${path}`);
  const format = formatOf(path, spec.flag);
  const bytes = statSync(path).size;
  if (bytes === 0) throw usageError(`${spec.flag} ${path}: the file is empty`);
  const mapping = config.input.columns[name] ?? {};
  if (format === 'csv') {
    const header = await readCsvHeader(path, config.input.encoding);
    if (!header) throw usageError(`${spec.flag} ${path}: the file is empty (no header row)`);
    return { spec, path, format, bytes, plan: planHeader(spec, header, mapping, path) };
  }
  if (format === 'parquet') {
    const columns = await describeParquet(spec, path);
    return {
      spec,
      path,
      format,
      bytes,
      plan: planHeader(
        spec,
        columns.map((c) => c.name),
        mapping,
        path,
      ),
      parquet: columns,
    };
  }
  const header = await arrowHeader(spec.flag, path);
  return { spec, path, format, bytes, plan: planHeader(spec, header, mapping, path) };
}

/** Refuse bad inputs early (exit 2, one line). */
export async function preflightInputs(inputs: RunInputs, config: Config): Promise<void> {
  let scratch: Db | undefined;
  const describe: DescribeParquet = async (spec, path) => {
    if (!scratch) {
      const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
      scratch = new Db(instance, await instance.connect(), ':memory:');
    }
    return parquetColumns(scratch, spec, path);
  };
  try {
    for (const name of INPUT_NAMES) {
      const path = inputs[name];
      if (path) await prepare(name, path, config, describe);
    }
  } finally {
    scratch?.close();
  }
}
