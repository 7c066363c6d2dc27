/**
 * Field builders for the extract schemas.
 *
 * Each builder returns a zod schema for one *present* cell (a trimmed, non-empty
 * string) and registers what kind of field it is. The zod schemas are the single
 * source of truth: row validation in tests and for small files uses them directly,
 * and the ingest stage compiles the same registry into vectorized DuckDB SQL
 * (src/ingest/validationSql.ts), with a test proving both agree cell by cell.
 */
import { z } from 'zod';

export type FieldKind = 'text' | 'date' | 'flag' | 'enum' | 'number' | 'integer' | 'ssn';

export interface FieldMeta {
  kind: FieldKind;
  /** A required field that is empty or unreadable sends the row to quarantine. */
  required: boolean;
  /** Allowed values of an `enum` field (matched case-insensitively). */
  values?: readonly string[];
}

/** Registry of field metadata, keyed by the zod schema of the field. */
export const fieldRegistry = z.registry<FieldMeta>();

export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** `YYYY-MM-DD` or `MM/DD/YYYY` to ISO `YYYY-MM-DD`; null when not a calendar date. */
export function parseDateText(text: string): string | null {
  let y: number;
  let m: number;
  let d: number;
  const iso = ISO_DATE.exec(text);
  if (iso) {
    y = Number(iso[1]);
    m = Number(iso[2]);
    d = Number(iso[3]);
  } else {
    const us = US_DATE.exec(text);
    if (!us) return null;
    m = Number(us[1]);
    d = Number(us[2]);
    y = Number(us[3]);
  }
  if (y < 1 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export const FLAG_TRUE = ['Y', '1', 'TRUE'] as const;
export const FLAG_FALSE = ['N', '0', 'FALSE'] as const;

export function parseFlagText(text: string): boolean | null {
  const u = text.toUpperCase();
  if ((FLAG_TRUE as readonly string[]).includes(u)) return true;
  if ((FLAG_FALSE as readonly string[]).includes(u)) return false;
  return null;
}

export const NUMBER_TEXT = /^\d+(\.\d+)?$/;
export const INTEGER_TEXT = /^\d+$/;
export const SSN_TEXT = /^\d{3}-?\d{2}-?\d{4}$/;
/** Largest `integer` field value: the staging column is a SQL INTEGER. */
export const INTEGER_MAX = 2147483647;

function register<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  fieldRegistry.add(schema, meta);
  return schema;
}

function failWith(message: string) {
  return (ctx: { addIssue: (i: { code: 'custom'; message: string }) => void }) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
}

interface Opts {
  required?: boolean;
}

export const field = {
  text: (o: Opts = {}) => register(z.string().min(1), { kind: 'text', required: !!o.required }),

  date: (o: Opts = {}) =>
    register(
      z.string().transform((s, ctx) => parseDateText(s) ?? failWith('not a date (YYYY-MM-DD or MM/DD/YYYY)')(ctx)),
      { kind: 'date', required: !!o.required },
    ),

  flag: (o: Opts = {}) =>
    register(
      z.string().transform((s, ctx) => parseFlagText(s) ?? failWith('not a flag (Y/N, 1/0, true/false)')(ctx)),
      { kind: 'flag', required: !!o.required },
    ),

  enum: <const V extends readonly [string, ...string[]]>(values: V, o: Opts = {}) =>
    register(
      z.string().transform((s, ctx) => {
        const u = s.toUpperCase();
        return (values as readonly string[]).includes(u) ? (u as V[number]) : failWith(`not one of ${values.join(', ')}`)(ctx);
      }),
      { kind: 'enum', required: !!o.required, values },
    ),

  number: (o: Opts = {}) =>
    register(
      z.string().transform((s, ctx) => (NUMBER_TEXT.test(s) && Number.isFinite(Number(s)) ? Number(s) : failWith('not a non-negative number')(ctx))),
      { kind: 'number', required: !!o.required },
    ),

  integer: (o: Opts = {}) =>
    register(
      z.string().transform((s, ctx) => (INTEGER_TEXT.test(s) && Number(s) <= INTEGER_MAX ? Number(s) : failWith('not a whole number')(ctx))),
      { kind: 'integer', required: !!o.required },
    ),

  /** 9 digits, dashes allowed; placeholders are judged later, by normalize. */
  ssn: (o: Opts = {}) =>
    register(
      z.string().transform((s, ctx) => (SSN_TEXT.test(s) ? s.replace(/-/g, '') : failWith('not 9 digits')(ctx))),
      { kind: 'ssn', required: !!o.required },
    ),
};

export interface FieldSpec {
  name: string;
  meta: FieldMeta;
  schema: z.ZodType;
}

/** The fields of an extract schema, in declared order, with their metadata. */
export function fieldsOf(shape: Record<string, z.ZodType>): FieldSpec[] {
  return Object.entries(shape).map(([name, schema]) => {
    const meta = fieldRegistry.get(schema);
    if (!meta) throw new Error(`schema field ${name} was not built with field.*`);
    return { name, meta, schema };
  });
}

export interface CellVerdict {
  value: unknown;
  /** Set when the cell is present but unreadable. */
  error?: string;
}

/**
 * Validate one cell the way ingest does: trim, empty means unknown, otherwise
 * the field's zod schema decides.
 */
export function validateCell(spec: FieldSpec, raw: string | null | undefined): CellVerdict {
  const text = (raw ?? '').trim();
  if (text === '') return { value: null };
  const r = spec.schema.safeParse(text);
  if (r.success) return { value: r.data };
  return { value: null, error: r.error.issues[0]?.message ?? 'invalid' };
}
