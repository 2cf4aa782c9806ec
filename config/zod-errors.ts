// Turns a zod error into one message per problem that names the field, the bad value and what is
// allowed. zod's own texts ("Invalid input") do not say what a union accepts nor which keys an
// object allows, so those are read off the schema itself.
import { z } from 'zod';
import { configSchema } from './schema.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

function valueAt(raw: unknown, path: Path): unknown {
  let v: unknown = raw;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** The schema without optional/default/prefault wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault) s = s.unwrap() as z.ZodType;
  return s;
}

/** The schema that validates the value at `path` of `raw`; through a union it follows the array
 *  branch for an index and, for a key, the object branch that fits the value there (objectFor). */
function schemaAt(schema: z.ZodType, path: Path, raw: unknown): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const [i, key] of path.entries()) {
    let next: z.ZodType | undefined;
    if (typeof key === 'number') next = branch(s, z.ZodArray)?.element as z.ZodType | undefined;
    else if (typeof key === 'string') next = (objectFor(s, valueAt(raw, path.slice(0, i)))?.shape as Record<string, z.ZodType> | undefined)?.[key];
    s = next === undefined ? undefined : unwrap(next);
  }
  return s;
}

/** The schema itself, or the members of its unions (unions nest). */
function members(s: z.ZodType | undefined): z.ZodType[] {
  if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).flatMap((o) => members(unwrap(o)));
  return s === undefined ? [] : [s];
}

/** Of the object schemas among s's members, the one that knows most of the value's keys (the
 *  first on a tie): an accumulator is a float format or a fixed-point register by its keys. */
function objectFor(s: z.ZodType | undefined, value: unknown): z.ZodObject | undefined {
  const keys = value !== null && typeof value === 'object' ? Object.keys(value) : [];
  let best: z.ZodObject | undefined;
  let fewest = Infinity;
  for (const o of members(s)) {
    if (!(o instanceof z.ZodObject)) continue;
    const unknown = keys.filter((k) => !(k in o.shape)).length;
    if (unknown < fewest) [best, fewest] = [o, unknown];
  }
  return best;
}

/** The schema itself or the first member of the given class of its union (unions nest). */
function branch<T extends z.ZodType>(s: z.ZodType | undefined, kind: abstract new (...args: never[]) => T): T | undefined {
  if (s instanceof z.ZodUnion) {
    for (const o of s.options as z.ZodType[]) {
      const found = branch(unwrap(o), kind);
      if (found) return found;
    }
    return undefined;
  }
  return s instanceof kind ? s : undefined;
}

/** "from 1 to 23" when the number schema has both bounds, else the one bound the issue names. */
function allowedRange(schema: z.ZodType | undefined, bound: string): string {
  const n = branch(schema, z.ZodNumber);
  const min = n?.minValue;
  const max = n?.maxValue;
  const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) < Number.MAX_SAFE_INTEGER;
  return finite(min) && finite(max) ? `from ${min} to ${max}` : bound;
}

/** What a schema accepts, in words. */
function expectation(schema: z.ZodType): string {
  const s = unwrap(schema);
  if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).map(expectation).join(', or ');
  if (s instanceof z.ZodLiteral) return [...s.values].map((v) => JSON.stringify(v)).join(' or ');
  if (s instanceof z.ZodEnum) return `one of ${s.options.map((v) => JSON.stringify(v)).join(', ')}`;
  if (s instanceof z.ZodObject) return `an object with keys ${Object.keys(s.shape).join(', ')}`;
  if (s instanceof z.ZodArray) return `a list of ${expectation(s.element as z.ZodType)}`;
  if (s instanceof z.ZodString) return s.description ?? 'a string';
  if (s instanceof z.ZodNumber) return s.format === 'safeint' ? 'an integer' : 'a number';
  if (s instanceof z.ZodBoolean) return 'true or false';
  return s.description ?? 'a different value';
}

function got(value: unknown): string {
  // JSON.stringify prints a number too large for a double (1e309 reads as Infinity) as null.
  return value === undefined ? 'missing' : `got ${typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value)}`;
}

/**
 * A union branch "fits" when the value has its type, so its inner issues are the useful ones. Of
 * several (objects of two shapes, e.g. an accumulator's float format and its fixed-point
 * register), the one that calls the fewest of the value's keys unknown.
 */
function fittingBranch(issue: Extract<Issue, { code: 'invalid_union' }>): Issue[] | undefined {
  const failsAtRoot = (i: Issue): boolean =>
    i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value' || (i.code === 'invalid_union' && fittingBranch(i) === undefined));
  let best: Issue[] | undefined;
  let fewest = Infinity;
  for (const branch of issue.errors) {
    if (branch.some(failsAtRoot)) continue;
    const unknown = unknownKeys(branch);
    if (unknown < fewest) [best, fewest] = [branch, unknown];
  }
  return best;
}

/** How many keys of the value a branch's issues call unknown at its root. */
function unknownKeys(branch: Issue[]): number {
  let n = 0;
  for (const i of branch) {
    if (i.path.length > 0) continue;
    if (i.code === 'unrecognized_keys') n += i.keys.length;
    if (i.code === 'invalid_union') n += unknownKeys(fittingBranch(i) ?? []);
  }
  return n;
}

function describeIssue(issue: Issue, path: Path, raw: unknown, where: string, schema: z.ZodType): string[] {
  const field = where + path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  const value = valueAt(raw, path);
  const expected = (): string => {
    const s = schemaAt(schema, path, raw);
    return s === undefined ? issue.message : `expected ${expectation(s)}`;
  };
  switch (issue.code) {
    case 'unrecognized_keys': {
      const s = objectFor(schemaAt(schema, path, raw), value);
      const allowed = s ? `; allowed keys: ${Object.keys(s.shape).join(', ')}` : '';
      return [`${field}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${allowed}`];
    }
    case 'invalid_union': {
      const branch = fittingBranch(issue);
      if (branch) return branch.flatMap((i) => describeIssue(i, [...path, ...i.path], raw, where, schema));
      return [`${field}: ${expected()} (${got(value)})`];
    }
    case 'invalid_type':
    case 'invalid_value':
      return [`${field}: ${expected()} (${got(value)})`];
    case 'too_small':
      if (issue.origin === 'array') return [`${field}: must have at least ${issue.minimum} ${issue.minimum === 1 ? 'entry' : 'entries'} (${got(value)})`];
      return [`${field}: must be ${allowedRange(schemaAt(schema, path, raw), `${issue.inclusive ? '>=' : '>'} ${issue.minimum}`)} (${got(value)})`];
    case 'too_big':
      return [`${field}: must be ${allowedRange(schemaAt(schema, path, raw), `${issue.inclusive ? '<=' : '<'} ${issue.maximum}`)} (${got(value)})`];
    default:
      return [`${field}: ${issue.message} (${got(value)})`];
  }
}

/** `schema` is the one that produced `error` (the config schema unless told). */
export function describeZodError(error: z.ZodError, raw: unknown, where: string, schema: z.ZodType = configSchema): string {
  return error.issues.flatMap((issue) => describeIssue(issue, issue.path, raw, where, schema)).join('\n');
}
