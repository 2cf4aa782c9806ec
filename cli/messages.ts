// Every text the CLI shows a user, in one place: command and option descriptions, table labels,
// and how errors are reported. Job-loading errors live in engine/messages.ts (the library's).

export const PROGRAM = 'lbamac';

export const messages = {
  usage: `${PROGRAM} <command> [options]\n\nGenerator and simulator for systolic MAC arrays with configurable float formats.`,
  epilogue: 'The arithmetic contract is SPEC.md; the config format is schema/config.schema.json.',
  needCommand: 'choose a command',

  formats: {
    command: 'formats [format]',
    describe: 'show the properties of float formats',
    usage: `${PROGRAM} formats [format] [--json]\n\nWithout an argument: the named formats and two examples. With one: that format in detail.`,
    format: 'a named format (fp32, fp16, bf16, e5m2, e4m3), an eXmY string (e4m7, e4m7_b10_ftz), or a JSON object like \'{"exp":4,"man":7,"bias":10}\'',
    json: 'print JSON instead of a table',
    examples: [
      [`${PROGRAM} formats`, 'the named formats side by side'],
      [`${PROGRAM} formats e4m3`, 'OCP E4M3FN: largest finite 448 = 1.75·2^8'],
      [`${PROGRAM} formats '{"exp":4,"man":7,"bias":10}'`, 'a custom accumulator format'],
    ] as [string, string][],
  },

  gemm: {
    command: 'gemm',
    describe: 'compute D = A·B + C on one engine',
    usage: `${PROGRAM} gemm --config CFG.json --a A.json --b B.json [--c C.json] [--engine NAME] [--out D.json]\n\nMatrices are JSON arrays of rows; an element is a number, a "0x…" bit pattern, "nan", "inf" or "-inf".`,
    config: 'array configuration (schema/config.schema.json)',
    a: 'A: M×K activations, in the config\'s format a',
    b: 'B: K×N weights, in format w (dense, also for 2:4 sparsity)',
    c: 'C: M×N addend, in the output format (the chunk-total format when chunked, else the accumulator format)',
    engine: 'which engine computes D',
    out: 'write the result JSON to this file (atomically) instead of stdout',
    examples: [[`${PROGRAM} gemm --config examples/e4m3-e4m7/config.json --a examples/e4m3-e4m7/a.json --b examples/e4m3-e4m7/b.json`, 'run the example job on the core engine']] as [string, string][],
  },

  schema: {
    command: 'schema',
    describe: 'print the JSON Schema of the config file',
    usage: `${PROGRAM} schema\n\nThe same text as schema/config.schema.json.`,
  },

  /** Labels of `formats FORMAT`, in display order. */
  formatLabels: {
    name: 'name',
    width: 'width',
    bias: 'bias',
    subnormals: 'subnormals',
    specials: 'specials',
    overflow: 'overflow',
    smallestSubnormal: 'smallest subnormal',
    smallestNormal: 'smallest normal',
    largestFinite: 'largest finite',
    epsilon: 'machine epsilon',
    precision: 'precision',
    zero: 'zero',
    inf: 'inf',
    nan: 'NaN',
  },
  formatTexts: {
    width: (width: number, exp: number, man: number) => `${width} bits: sign 1, exponent ${exp}, mantissa ${man}`,
    bias: (bias: number, emin: number, emax: number) => `${bias} (normal exponents ${emin} to ${emax})`,
    subnormals: (on: boolean, man: number) => (on ? (man > 0 ? 'yes' : 'none (man = 0)') : 'no: exponent field 0 reads as ±0, tiny results flush to ±0'),
    specials: { ieee: 'ieee: exponent all ones is inf (mantissa 0) or NaN', fn: 'fn: no inf; only the all-ones codes are NaN', none: 'none: every code is a finite number' },
    overflow: (mode: string, max: string) => (mode === 'inf' ? `inf: to ±inf (±${max} under rtz)` : `saturate: to ±${max}`),
    value: (decimal: string, power: string, code: string | null) => `${decimal} = ${power}${code ? `  (${code})` : ''}`,
    noSubnormal: 'none',
    precision: (bits: number) => `${bits} bits (man + 1)`,
    zero: (pos: string, neg: string) => `${pos}, -0: ${neg}`,
    inf: (pos: string | null, neg: string | null) => (pos ? `${pos}, -inf: ${neg}` : 'none'),
    nan: (codes: string[], canonical: string | null) => (canonical ? `${codes.join(', ')} (canonical ${canonical})` : 'none'),
  },
  /** Columns of the `formats` overview table. */
  formatColumns: ['format', 'name', 'bits', 'bias', 'specials', 'overflow', 'largest finite', 'smallest normal', 'smallest subnormal', 'epsilon'],

  /** An LbamacError: the message alone, each line prefixed so that it greps as ours. */
  userError: (message: string) => message.split('\n').map((line) => `${PROGRAM}: ${line}`).join('\n'),
  usageError: (usage: string, message: string) => `${usage}\n\n${PROGRAM}: ${message}`,
  internalError: (stack: string) => `${PROGRAM}: internal error; please report it with the command line and input files\n${stack}`,
};
