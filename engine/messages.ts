// The texts of job-loading and engine errors, in one place so their wording stays consistent. Each names the
// file, the position and the offending value, and says what is allowed.

/** A JSON value shortened for a message. */
function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const ELEMENT_FORMS = 'a finite number, a "0x…" bit pattern, "nan", "inf", "-inf" or "-0"';

export const jobMessages = {
  unreadable: (file: string, reason: string) => `${file}: cannot read the file (${reason})`,
  badJson: (file: string, reason: string) => `${file}: not valid JSON (${reason})`,
  npzOrZip: (file: string) => `${file}: a zip archive (a NumPy .npz?), not a matrix; expected a JSON array of rows or a .npy file (save one array with numpy.save)`,
  looksLikeCsv: (file: string) => `${file}: looks like CSV, not a matrix this tool reads; expected a JSON array of rows or a .npy file (e.g. numpy.save(path, numpy.loadtxt(csv, delimiter=",")))`,
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
  npyNotMatrix: (file: string, shape: string) =>
    `${file}: expected a 2-D array (a matrix); got shape ${shape}${shape.endsWith(',)') ? ' (a vector: save it as one row, x[None, :], or one column, x[:, None])' : ''}`,
  npyEmpty: (file: string, shape: string) => `${file}: the array has shape ${shape}; a matrix needs at least one row and one column`,
  codeTooLarge: (file: string, row: number, col: number, code: number, hex: string, dtype: string, format: string, width: number, max: number, maxHex: string) =>
    `${file} at [${row}][${col}]: bit pattern ${code} (${hex}) does not fit ${format} (${width} bits); allowed 0 to ${max} (0x0 to ${maxHex}). ` +
    `A ${dtype} array holds bit patterns; save real values as float16, float32 or float64`,
  innerMismatch: (a: string, [m, k]: [number, number], b: string, [rows, cols]: [number, number], nk: boolean) =>
    `shape mismatch: A (${a}) is M×K = ${m}×${k} but B (${b}) is ${nk ? `N×K = ${rows}×${cols} (--b-layout nk)` : `K×N = ${rows}×${cols}`}: ` +
    `K is ${k} in A and ${nk ? cols : rows} in B` +
    (!nk && cols === k ? '; if B is stored N×K (as a PyTorch Linear weight is), add --b-layout nk' : nk && rows === k ? '; B looks K×N: leave out --b-layout nk' : ''),
  cMismatch: (c: string, [rows, cols]: [number, number], [m, n]: [number, number]) => `shape mismatch: C (${c}) is ${rows}×${cols} but D = A·B is M×N = ${m}×${n}`,
  sparsity: (file: string, col: number, group: number, rows: number[], values: unknown[], nk: boolean) => {
    // With --b-layout nk the file's rows are B's columns: name positions as the file has them.
    const [line, along] = nk ? ['row', 'columns'] : ['column', 'rows'];
    return (
      `${file}: 2:4 sparsity violated in ${line} ${col}, group ${group} (${along} ${4 * group}-${4 * group + 3}): ` +
      `${rows.length} nonzeros at ${along} ${rows.join(', ')} (values ${values.map(show).join(', ')}); at most 2 of every aligned 4 along K may be nonzero ` +
      '(--prune 2:4 keeps the 2 largest)'
    );
  },
  pruneNeedsSparse: (config: string, pattern: string) =>
    `--prune ${pattern} prunes B for a ${pattern} sparse array, but ${config} configures a dense one; ` +
    `add "sparsity": "${pattern}" to the config, or leave out --prune to multiply by every weight`,
  unknownEngine: (name: string, available: string[]) => `unknown engine "${name}"; available: ${available.join(', ')}`,
};

const NPY_ALLOWED = 'float16, float32, float64 (real values) and uint8, uint16, uint32 (bit patterns)';

/** Why a .npy file cannot be read, and how to save one that can (engine/npy.ts). */
export const npyMessages = {
  badMagic: (file: string) => `${file}: not a .npy file (it does not start with the .npy magic string "\\x93NUMPY")`,
  npz: (file: string) => `${file}: a .npz archive (a zip of several arrays); give one array, saved with numpy.save`,
  version: (file: string, major: number, minor: number) => `${file}: .npy format version ${major}.${minor} is not supported; versions 1.0, 2.0 and 3.0 are`,
  truncatedHeader: (file: string) => `${file}: the .npy file is truncated: it ends inside its header`,
  badHeader: (file: string, reason: string, header: string) => `${file}: the .npy header is malformed: ${reason}${header === '' ? '' : ` (header: ${header.length > 120 ? header.slice(0, 117) + '...' : header})`}`,
  structured: (file: string) => `${file}: a structured array (a dtype with fields) is not supported; save a plain array of ${NPY_ALLOWED}`,
  objectArray: (file: string, descr: string) =>
    `${file}: an object array ('${descr}': pickled Python objects) is not supported, and is never unpickled; save a numeric array of ${NPY_ALLOWED}`,
  bigEndian: (file: string, descr: string) => `${file}: the array is big-endian ('${descr}'); save a little-endian copy: numpy.save(path, x.astype(x.dtype.newbyteorder('<')))`,
  noByteOrder: (file: string, descr: string) => `${file}: dtype '${descr}' does not say its byte order; numpy.save writes '<${descr.slice(1)}' for a little-endian array`,
  unsupportedDtype: (file: string, descr: string, name: string | null, integers = false) =>
    `${file}: dtype '${descr}'${name === null ? '' : ` (${name})`} is not supported; allowed: ${NPY_ALLOWED}${integers ? ', and int8, int16, int32, int64' : ''}` +
    // numpy.array([[1, 2]]) is int64: the likeliest way to get here.
    (name?.startsWith('int') ? '; integers meant as values: numpy.save(path, x.astype(numpy.float64))' : ''),
  fortranOrder: (file: string) => `${file}: the array is stored in Fortran (column-major) order; save a C-ordered copy: numpy.save(path, numpy.ascontiguousarray(x))`,
  truncatedData: (file: string, descr: string, shape: string, need: number, have: number) =>
    `${file}: the .npy file is truncated: shape ${shape} of '${descr}' needs ${need} bytes of data, the file has ${have}`,
  trailingData: (file: string, extra: number) => `${file}: ${extra} byte${extra === 1 ? '' : 's'} after the array's data; a .npy file holds one array`,
};
