// Turns a zod error into one message that names the field, the bad value and what is allowed.
import type { z } from 'zod';

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

export function describeZodError(error: z.ZodError, raw: unknown, where: string): string {
  const lines = error.issues.map((issue) => {
    const field = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return `${field}: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    const value = valueAt(raw, issue.path);
    const got = value === undefined ? 'missing' : `got ${JSON.stringify(value)}`;
    return `${field}: ${issue.message} (${got})`;
  });
  return lines.join('\n');
}
