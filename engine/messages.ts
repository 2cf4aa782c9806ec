// The texts of job-loading and engine errors, in one place so their wording stays consistent. Each names the
// file, the position and the offending value, and says what is allowed.

/** A JSON value shortened for a message. */
function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const ELEMENT_FORMS = 'a finite number, a "0x…" bit pattern, "nan", "inf" or "-inf"';

export const jobMessages = {
  unreadable: (file: string, reason: string) => `${file}: cannot read the file (${reason})`,
  badJson: (file: string, reason: string) => `${file}: not valid JSON (${reason})`,
  badConfig: (file: string, message: string) => `${file}: ${message}`,
  notMatrix: (file: string, value: unknown) => `${file}: expected a matrix as a JSON array of rows, e.g. [[1, 2], [3, 4]]; got ${show(value)}`,
  noRows: (file: string) => `${file}: the matrix has no rows; expected at least one`,
  rowNotArray: (file: string, row: number, value: unknown) => `${file}: row ${row} is not an array of elements (got ${show(value)})`,
  emptyRow: (file: string) => `${file}: row 0 is empty; expected at least one column`,
  ragged: (file: string, row: number, length: number, expected: number) =>
    `${file}: row ${row} has ${length} element${length === 1 ? '' : 's'} but row 0 has ${expected}; every row must have the same length`,
  badElement: (file: string, row: number, col: number, value: unknown) => `${file} at [${row}][${col}]: ${show(value)} is not an element; expected ${ELEMENT_FORMS}`,
  nonFinite: (file: string, row: number, col: number, value: number) =>
    `${file} at [${row}][${col}]: the number parses as ${value} (beyond float64); write "inf" or "-inf" for an infinity`,
  hexTooLarge: (file: string, row: number, col: number, value: string, format: string, width: number, max: string) =>
    `${file} at [${row}][${col}]: bit pattern "${value}" does not fit ${format} (${width} bits); allowed 0x0 to ${max}`,
  innerMismatch: (a: string, aShape: string, b: string, bShape: string) =>
    `shape mismatch: A (${a}) is ${aShape} and B (${b}) is ${bShape}; B needs as many rows as A has columns`,
  cMismatch: (c: string, cShape: string, dShape: string) => `shape mismatch: C (${c}) is ${cShape} but D = A·B is ${dShape}`,
  sparsity: (file: string, col: number, group: number, rows: number[], values: unknown[]) =>
    `${file}: 2:4 sparsity violated in column ${col}, group ${group} (rows ${4 * group}-${4 * group + 3}): ` +
    `${rows.length} nonzeros at rows ${rows.join(', ')} (values ${values.map(show).join(', ')}); at most 2 of every aligned 4 along K may be nonzero`,
  unknownEngine: (name: string, available: string[]) => `unknown engine "${name}"; available: ${available.join(', ')}`,
};
