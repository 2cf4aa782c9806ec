// Every text the CLI shows a user, in one place: command and option descriptions, table labels,
// and how errors are reported. Job-loading errors live in engine/messages.ts (the library's).
import type { MatrixConversions } from '../engine/job.js';

export const PROGRAM = 'lbamac';

/** A ratio below 1 as "37% fewer", above as "12% more". */
function pct(ratio: number): string {
  const p = Math.round(Math.abs(1 - ratio) * 100);
  return ratio <= 1 ? `${p}% fewer` : `${p}% more`;
}

/** How a job's matrices are given, for gemm and sim alike. */
const MATRICES =
  'Matrices are JSON or NumPy .npy files. JSON: an array of rows; an element is a number, a "0x…" bit pattern, "nan", "inf" or "-inf". ' +
  '.npy: a 2-D little-endian C-ordered array; float16, float32 or float64 elements are real values, uint8, uint16 or uint32 elements are bit patterns of the matrix\'s format (3 is the code 0x3, not the value 3). ' +
  'Real values are rounded into the format with the config\'s rounding.input.';

export const messages = {
  usage: `${PROGRAM} <command> [options]\n\nGenerator and simulator for systolic MAC arrays with configurable float formats.`,
  epilogue: 'The arithmetic contract is docs/arithmetic.md; the config format is schema/config.schema.json.',
  needCommand: 'choose a command',

  formats: {
    command: 'formats [format]',
    describe: 'show the properties of float formats, or the exact (Kulisch) fixed-point accumulator for two',
    usage:
      `${PROGRAM} formats [format] [--json]\n${PROGRAM} formats --kulisch A W --k K [--product P] [--out F] [--with-c] [--json]\n\n` +
      'Without an argument: the named formats and two examples. With one: that format in detail. With --kulisch: the narrowest fixed-point ' +
      'accumulator in which K products of A and W add up exactly (docs/arithmetic.md §3), and why.',
    format: 'a named format (fp32, fp16, bf16, e5m2, e4m3), an eXmY string (e4m7, e4m7_b10_ftz), or a JSON object like \'{"exp":4,"man":7,"bias":10}\'',
    json: 'print JSON instead of a table',
    kulisch: 'the input formats A and W (as FORMAT above) of the Kulisch register to choose',
    k: 'with --kulisch: terms per dot product (the K of an M×K by K×N GEMM)',
    product: 'with --kulisch: the product format, or "exact"',
    out: 'with --kulisch: the output format the register is rounded into (D and C), for the config it prints',
    withC: 'with --kulisch: also hold every finite C of the output format exactly (wider: C\'s last bit and range join the products\')',
    examples: [
      [`${PROGRAM} formats`, 'the named formats side by side'],
      [`${PROGRAM} formats e4m3`, 'OCP E4M3FN: largest finite 448 = 1.75·2^8'],
      [`${PROGRAM} formats '{"exp":4,"man":7,"bias":10}'`, 'a custom accumulator format'],
      [`${PROGRAM} formats --kulisch e4m3 e4m3 --k 4096`, 'the exact fixed-point accumulator for 4096 FP8 products: 49 bits'],
    ] as [string, string][],
    kulischNeedsK: '--kulisch needs --k K: how many products the register sums',
    kulischOnly: (options: string[]) => `${options.map((o) => `--${o}`).join(', ')} only go${options.length === 1 ? 'es' : ''} with --kulisch A W`,
    kulischAndFormat: (format: string) => `give either a format (${format}) or --kulisch A W, not both`,
  },

  /** Options of a given job, for gemm and sim alike. */
  job: {
    bLayout: 'how the B file holds B: kn (K×N) or nk (N×K, out_features × in_features, as a PyTorch Linear stores its weight; no transposing by hand)',
    prune: 'make a dense B 2:4 sparse instead of rejecting it: in every aligned group of 4 along K of each column keep the 2 largest magnitudes in format w (ties: the lower row) and zero the rest; needs "sparsity": "2:4" in the config',
    pruned: (file: string, zeroed: number, nonzeros: number) =>
      `${PROGRAM}: --prune 2:4 zeroed ${zeroed} of the ${nonzeros} nonzero weights of B (${file})` +
      (zeroed === 0 ? ': it was 2:4 sparse already' : ', the smallest in magnitude of each aligned group of 4 along K'),
  },

  gemm: {
    command: 'gemm',
    describe: 'compute D = A·B + C on one engine',
    usage:
      `${PROGRAM} gemm --config CFG.json --a A --b B [--c C] [--b-layout kn|nk] [--prune 2:4] [--engine NAME] [--out D.json|D.npy] [--values V.npy]\n\n` +
      'The result is JSON: D as bit patterns and values, the event counts and the output format. ' +
      MATRICES,
    config: 'array configuration (schema/config.schema.json)',
    a: 'A: M×K activations, in the config\'s format a (.json or .npy)',
    b: 'B: K×N weights (N×K with --b-layout nk), in format w; dense, also for 2:4 sparsity (.json or .npy)',
    c: 'C: M×N addend, in the output format (the chunk-total format when chunked, else the accumulator format) (.json or .npy)',
    engine: 'which engine computes D',
    out: 'write the result JSON to this file (atomically) instead of stdout; a name ending in .npy gets D\'s bit patterns instead, as uint8, uint16 or uint32 by the output format\'s width (the JSON then goes to stdout)',
    values: 'also write D\'s values to this .npy file, as float64',
    needA: '--a A.json is needed: gemm computes D = A·B + C, and A (M×K) holds its activations',
    needB: '--b B.json is needed: gemm computes D = A·B + C, and B (K×N) holds its weights',
    valuesNotNpy: (path: string) => `--values ${path}: expected a file name ending in .npy (the JSON output holds D's values already)`,
    sameFile: (path: string) => `--out and --values name the same file, ${path}; give each its own`,
    overInput: (outFlag: string, inFlag: string, path: string) => `${outFlag} would overwrite the input ${inFlag}, ${path}; write the result to another file`,
    wrote: (path: string) => `wrote ${path}`,
    examples: [
      [`${PROGRAM} gemm --config examples/e4m3-e4m7/config.json --a examples/e4m3-e4m7/a.json --b examples/e4m3-e4m7/b.json`, 'run the example job on the core engine'],
      [
        `${PROGRAM} gemm --config examples/sparse-2-4/config.json --a x.npy --b weight.npy --b-layout nk --prune 2:4 --out d.npy --values d-values.npy`,
        'a PyTorch Linear weight (N×K), pruned to 2:4; D as codes and as float64 values',
      ],
    ] as [string, string][],
  },

  sim: {
    command: 'sim',
    describe: 'run a job on the cycle-accurate simulator: cycles, utilization, events per PE',
    usage:
      `${PROGRAM} sim --config CFG.json [--a A --b B [--c C] [--b-layout kn|nk] [--prune 2:4]] [--m M --k K --n N --seed S] [--vcd trace.vcd] [--trace]\n\n` +
      'Without --a/--b the inputs are random: A ~ N(0, 1), B ~ N(0, 1/K), rounded into the formats a and w (2 of every 4 kept on a 2:4 array). ' +
      MATRICES +
      ' D itself (as JSON or .npy) comes from `' + PROGRAM + ' gemm --engine sim`, the same simulator.',
    config: 'array configuration (schema/config.schema.json)',
    a: 'A: M×K activations, in the config\'s format a (with --b; .json or .npy)',
    b: 'B: K×N weights (N×K with --b-layout nk), in format w (with --a; .json or .npy)',
    c: 'C: M×N addend, in the output format (with --a and --b; .json or .npy)',
    m: 'random job: rows of A (default: the array\'s rows)',
    k: 'random job: columns of A (default: twice the array\'s rows, times the lanes of a dot-product cell)',
    n: 'random job: columns of B (default: the array\'s columns)',
    seed: 'random job: seed of the generator (default 1)',
    vcd: 'write a value change dump of every port and register (GTKWave) to this file',
    trace: 'print the ports of the array top, one line per cycle (elements in hex, element 0 first)',
    examples: [
      [`${PROGRAM} sim --config examples/e4m3-e4m7/config.json`, 'a random job the size of the array'],
      [`${PROGRAM} sim --config examples/sparse-2-4/config.json --a examples/sparse-2-4/a.json --b examples/sparse-2-4/b.json --trace`, 'a given job, with its port trace'],
      [`${PROGRAM} sim --config CFG.json --m 64 --k 256 --n 64 --vcd out/run.vcd`, 'a larger random job, dumped for GTKWave'],
    ] as [string, string][],
    /** Labels of the summary. */
    labels: { array: 'array', job: 'job', cycles: 'cycles', utilization: 'utilization', events: 'event', total: 'total', pes: 'PEs counting it', max: 'most in one PE' },
    incompleteJob: (given: string, missing: string) =>
      `${given} needs ${missing}: a given job is the matrices A and B (C is optional); without --a and --b, sim makes a random job`,
    randomJob: (seed: number) => `random (seed ${seed})`,
    givenJob: (a: string, b: string, c: string | undefined) => `${a} · ${b}${c === undefined ? '' : ` + ${c}`}`,
    cyclesNote: (formula: string) => `(docs/timing.md: ${formula})`,
    utilizationNote: (terms: number, pes: number, cycles: number, lanes: number) => `(${terms} useful ${lanes > 1 ? `steps of up to ${lanes} multiply-adds` : 'multiply-adds'} / (${pes} PEs × ${cycles} cycles))`,
    peTermsTitle: (lanes: number) => `${lanes > 1 ? `steps (of ${lanes} multiply-adds)` : 'multiply-adds'} per PE (row r, column c)`,
    peEventTitle: (name: string) => `${name} per PE`,
    peFlagsTitle: 'sticky flags per PE at the end (i inexact, o overflow, u underflow, v invalid, s swamping; . clear)',
    peTablesOmitted: (pes: number, limit: number) => `per-PE tables omitted: ${pes} PEs (more than ${limit}); \`lbamac gemm --engine sim\` writes them as JSON`,
    wroteVcd: (path: string) => `wrote ${path}`,
  },

  synth: {
    command: 'synth',
    describe: 'synthesize the PE and the array with Yosys: resources, logic depth, fmax, against fp32 accumulation',
    usage:
      `${PROGRAM} synth --config CFG.json [--target gates|ice40|ecp5|xilinx] [--pnr] [--flat] [--json OUT.json]\n\n` +
      'Runs Yosys (WebAssembly) on the generated Verilog of the PE and of the array\'s edge (skew and deskew lines), and again with the accumulator (and chunk total) in fp32, and prints both with their ratio: ' +
      'the array is its edge plus rows × cols PEs (every PE is the same module, synthesized once). --flat synthesizes the whole array in one flattened run instead (minutes for a 4×4 array, about R·C times the PE\'s time). ' +
      'Results are cached in .lbamac-cache/synth. docs/synthesis.md says what is counted.',
    config: 'array configuration (schema/config.schema.json)',
    target: (targets: readonly string[]) => `${targets.join(', ')}: FPGA families (LUTs, flip-flops, carry cells, DSPs, block RAMs) or a technology-independent gate count`,
    pnr: 'also place and route the array on an iCE40 HX8K with nextpnr and report the achieved fmax (needs --target ice40; small arrays: one that cannot fit is refused before any flat synthesis)',
    flat: 'synthesize the whole array flattened in one Yosys run (slow: about rows × cols times the PE) instead of from its parts',
    json: 'write the whole report as JSON to this file (atomically)',
    cache: 'use the synthesis cache (--no-cache: synthesize again)',
    examples: [
      [`${PROGRAM} synth --config examples/e4m3-e4m7/config.json`, 'gate counts of the example array and of its fp32-accumulation twin'],
      [`${PROGRAM} synth --config cfg.json --target ice40 --pnr`, 'iCE40 LUTs and the fmax after place and route'],
    ] as [string, string][],
    progress: (what: string, seconds: number) => `lbamac synth: ${what} (${seconds.toFixed(0)} s so far)\n`,
    columns: ['PE', 'array', 'PE, fp32 acc', 'array, fp32 acc', 'PE ratio', 'array ratio'],
    fromParts: 'array = edge + rows × cols PEs (--flat: one flattened run)',
    category: { lut: 'LUTs', ff: 'flip-flops', carry: 'carry cells', dsp: 'DSPs', bram: 'block RAMs', lutram: 'LUT RAMs', mux: 'wide muxes', gate: 'gates' },
    otherCell: (type: string) => `other: ${type}`,
    area: (unit: string) => `area (${unit})`,
    depth: 'logic depth (cells)',
    fmax: 'fmax (MHz)',
    logicCells: 'logic cells placed',
    synthTime: 'synthesis time (s)',
    cachedMark: ' cached',
    heading: (config: string) => `${PROGRAM} synth: ${config}`,
    tool: (target: string, yosys: string, generator: string, device: string | null) =>
      `target ${target}; yosys ${yosys} (@yowasp/yosys); lbamac ${generator}${device ? `; placed and routed on ${device}` : ''}`,
    summary: (pe: number, array: number, unit: string, accBits: number, fixed: boolean) =>
      `With its ${accBits}-bit ${fixed ? 'fixed-point register' : 'accumulator'} the PE needs ${pct(pe)} ${unit} than with fp32 accumulation, the array ${pct(array)}.\n` +
      'The lower-bit-width-accumulator paper estimates about 63% fewer gates for 12-bit accumulators (analytically, its appendix E).',
    alreadyFp32: 'This configuration accumulates in fp32 already: no baseline to compare with.',
    warnings: (n: number) => `Yosys gave ${n} warning(s); the JSON report (--json) lists them.`,
  },

  describe: {
    command: 'describe',
    describe: 'print the architecture description a config builds: PE inputs, units, registers and rules, edge lines',
    usage: `${PROGRAM} describe --config CFG.json [--json] [--js] [--wasm]\n\nThe one description of the array that the cycle simulator compiles and the Verilog generator emits (docs/architecture.md).`,
    config: 'array configuration (schema/config.schema.json)',
    json: 'print the whole description as JSON (alone: not with --js or --wasm)',
    js: 'also print the JavaScript the simulator compiles the PEs into',
    wasm: 'also print the WebAssembly (text) the simulator runs the PEs as',
    noWasm: 'No WebAssembly step for this array (sticky flags, or a register or port over 32 bits): the simulator runs the JavaScript one.',
    examples: [
      [`${PROGRAM} describe --config examples/e4m3-e4m7/config.json`, 'registers and rules of the 4×4 example'],
      [`${PROGRAM} describe --config examples/sparse-2-4/config.json --js`, 'with the simulator\'s generated step function'],
    ] as [string, string][],
  },

  gen: {
    command: 'gen',
    describe: 'write the Verilog of the array a config describes',
    usage: `${PROGRAM} gen --config CFG.json -o DIR [--top NAME] [--prefix P] [--force]\n\nWrites one .v file per module, a filelist (.f), a FuseSoC core file (.core) and manifest.json into DIR,\nwhole or not at all (docs/rtl.md).`,
    config: 'array configuration (schema/config.schema.json)',
    out: 'output directory (new, empty, or a previous gen output, which is replaced)',
    top: 'name of the top module (default: the prefix and lbamac_array)',
    prefix: 'put this before every module name, so that arrays of two configurations can be in one design',
    force: 'write into a directory that holds other files too (they stay; of an earlier gen output only what its manifest lists is removed)',
    examples: [
      [`${PROGRAM} gen --config examples/e4m3-e4m7/config.json -o out/e4m3-e4m7`, 'the 4×4 example array'],
      [`${PROGRAM} gen --config CFG.json -o out/fast --prefix fast_ --top fast_array`, 'modules fast_lbamac_…, top fast_array'],
    ] as [string, string][],
    done: (dir: string, files: number, top: string) => `wrote ${files} Verilog files (top ${top}), filelist, core file and manifest to ${dir}`,
  },

  verify: {
    command: 'verify',
    describe: 'run random jobs through the simulator and the Verilated RTL and compare every output port every cycle',
    usage:
      `${PROGRAM} verify --config CFG.json [--vectors N] [--seed S] [--rtl DIR] [--icarus DIR]\n\n` +
      'Generates the Verilog of the array (or reads it from --rtl), builds it with Verilator (cached in out/verilator/ by a hash of the sources and options), ' +
      'runs N random jobs (corner-case operands: zeros, infinities and NaNs, subnormals, huge and tiny values; C in every other job) through both ' +
      'and compares every output port in every cycle. A difference names the cycle, the port and PE and both values, and the exit status is 1.',
    config: 'array configuration (schema/config.schema.json)',
    vectors: 'random jobs to run',
    seed: 'seed of the random jobs',
    rtl: 'verify the Verilog in this directory (as `lbamac gen` writes it) instead of generating it',
    icarus: 'also write the self-checking Icarus testbench of the first job ($readmemh of its stimulus and expected outputs) into this directory and run it',
    examples: [
      [`${PROGRAM} verify --config examples/e4m3-e4m7/config.json`, 'the 4×4 example array, 20 random jobs'],
      [`${PROGRAM} verify --config CFG.json --rtl out/my-array --vectors 100 --seed 7`, 'a generated (and perhaps edited) directory'],
    ] as [string, string][],
    build: (built: boolean, seconds: number, dir: string) => (built ? `Verilator build: ${seconds.toFixed(1)} s (${dir})` : `Verilator build: cached (${dir})`),
    passed: (jobs: number, cycles: number, seed: number) => `verify: ${jobs} random job${jobs === 1 ? '' : 's'} (seed ${seed}), ${cycles} cycles: every output port of the RTL matched the simulator in every cycle`,
    failed: (bad: number, jobs: number, first: string) => `verify: ${bad} of ${jobs} job${jobs === 1 ? '' : 's'} disagree; the first:\n${first}`,
    icarusPassed: (dir: string, cycles: number) => `Icarus testbench (${dir}): job 1, ${cycles} cycles, no mismatch`,
    icarusFailed: (dir: string, n: number, first: string) => `Icarus testbench (${dir}): ${n} port mismatch${n === 1 ? '' : 'es'} on job 1:\n${first}`,
  },

  schema: {
    command: 'schema',
    describe: 'print the JSON Schema of the config file',
    usage: `${PROGRAM} schema\n\nThe same text as schema/config.schema.json.`,
    examples: [[`${PROGRAM} schema > config.schema.json`, 'save it for an editor that validates JSON against a schema']] as [string, string][],
  },

  sweep: {
    command: 'sweep',
    describe: 'run an accumulator sweep and write its report (no options: the built-in default sweep)',
    usage: `${PROGRAM} sweep [--config SWEEP.json] [--out DIR] [--resume | --force] [--shard i/N] [--only IDS] [--workers N]\n\nRuns every point of the sweep on worker threads and writes, in out/sweep-NAME/: journal.jsonl (each point as it finishes), results.csv, results.json, per-layer.csv (blocks with "perLayer"), plots/*.svg and report.html. Workloads: synthetic matrices, the MNIST MLP, or ONNX models with .npy inputs and labels (paths relative to SWEEP.json; docs/sweeps.md). Without --config: the default sweep (accumulator mantissa 1..10 bits on synthetic matrices, the MNIST MLP and the bundled LeNet-5 CNN, the new accumulator architectures as presets, area per PE from Yosys for 15 of its configurations; 528 points, about 2.5 minutes on 2 idle cores).`,
    config: 'sweep configuration (sweep/schema.ts; docs/sweeps.md); default: the built-in default sweep',
    out: 'output directory; default out/sweep-NAME (a shard: out/sweep-NAME/shard-i-of-N, --only: out/sweep-NAME/only)',
    resume: 'continue the run whose journal is in the output directory: finished points are kept, the rest computed',
    force: 'start over in an output directory that holds results (of this sweep or another) or other files: the earlier results are deleted, other files kept',
    shard: 'run only shard i of N (points whose index is i-1 modulo N); join the shards with `lbamac merge`',
    only: 'run only these point ids (comma-separated; the report prints them next to every number)',
    workers: 'worker threads (default: one per core)',
    resumeOrForce: '--resume continues the results in the output directory, --force deletes them: choose one',
    presetsTitle: 'Presets (a block\'s "preset"; details: lbamac presets NAME):',
    examples: [
      [`${PROGRAM} sweep`, 'the default sweep: out/sweep-default/report.html'],
      [`${PROGRAM} sweep --config my-sweep.json --workers 8`, 'your own grid on 8 threads'],
      [`${PROGRAM} sweep --config my-sweep.json --shard 3/16`, 'one slice of a cluster run (docs/sweeps.md)'],
      [`${PROGRAM} sweep --resume`, 'continue an interrupted default sweep'],
    ] as [string, string][],
    started: (name: string, total: number, resumed: number, workers: number, out: string) =>
      `sweep ${name}: ${total} points${resumed ? ` (${resumed} already in the journal)` : ''} on ${workers} worker thread${workers === 1 ? '' : 's'}, writing to ${out}`,
    finished: (done: number, computed: number, resumed: number, seconds: string) => `${done} point${done === 1 ? '' : 's'} (${computed} computed, ${resumed} from the journal) in ${seconds}`,
    wrote: (path: string) => `wrote ${path}`,
    shardDone: (journal: string, mergeDirs: string) => `wrote ${journal}; when every shard is done: ${PROGRAM} merge ${mergeDirs}`,
    otherShards: "<the other shards' --out directories>",
    onlyEmpty: (given: string) => `--only ${JSON.stringify(given)} names no point; give point ids separated by commas (the id column of results.csv)`,
    staleLock: (dir: string, pid: number, host: string, since: string) => `${dir} was locked by pid ${pid} on ${host} (since ${since}), which no longer runs: taking the lock over`,
    interrupted: (journal: string) => `interrupted; every finished point is in ${journal}: run the same command with --resume to continue`,
  },

  merge: {
    command: 'merge <dirs..>',
    describe: 'join the journals of sweep shards into one set of outputs',
    usage: `${PROGRAM} merge DIR... [--out DIR] [--force] [--workers N]\n\nEach DIR holds the journal.jsonl of one shard (lbamac sweep --shard i/N) of the same sweep. Writes the full outputs (results, plots, report.html) once every point is present; per-layer studies (blocks with "perLayer") need their mixed points, which only merge can make (they depend on every shard's layer points), so merge computes those on worker threads first.`,
    dirs: 'shard output directories',
    out: 'output directory; default out/sweep-NAME',
    force: 'replace the results an output directory already holds',
    workers: 'worker threads for the mixed points of per-layer studies (default: one per core)',
    examples: [[`${PROGRAM} merge out/sweep-default/shard-*`, 'join the shards of the default sweep into out/sweep-default']] as [string, string][],
  },

  presets: {
    command: 'presets [name]',
    describe: 'list the named presets (lba, ocp-fp8, fp16, bf16, qtorch, …) with their sources and assumptions',
    usage: `${PROGRAM} presets [name] [--json]\n\nA sweep block (or a config) starts from a preset with "preset": NAME and overrides any field.`,
    name: 'one preset in detail',
    json: 'print JSON (the preset\'s config fields) instead of text',
    examples: [
      [`${PROGRAM} presets`, 'every preset, one line each'],
      [`${PROGRAM} presets ocp-fp8`, 'one preset: its source, assumptions and config'],
      [`${PROGRAM} presets lba --json`, 'its config fields as JSON, keyed by the preset name'],
    ] as [string, string][],
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
    overflow: (mode: string, max: string) =>
      mode === 'inf' ? `inf: to ±inf (±${max} under rtz and rod; ${max} for positive values under rdn, -${max} for negative ones under rup)` : `saturate: to ±${max}`,
    value: (decimal: string, power: string, code: string | null) => `${decimal} = ${power}${code ? `  (${code})` : ''}`,
    noSubnormal: 'none',
    precision: (bits: number) => `${bits} bits (man + 1)`,
    zero: (pos: string, neg: string) => `${pos}, -0: ${neg}`,
    inf: (pos: string | null, neg: string | null) => (pos ? `${pos}, -inf: ${neg}` : 'none'),
    nan: (codes: string[], canonical: string | null) => (canonical ? `${codes.join(', ')} (canonical ${canonical})` : 'none'),
  },
  /** `formats --kulisch`: the register and why. */
  kulischLabels: { title: 'Kulisch register', lsb: 'lsb', msb: 'msb', register: 'register', c: 'C', core: 'core', config: 'config' },
  kulischTexts: {
    title: (a: string, w: string, product: string | null, k: number) =>
      `${a} × ${w}, ${product === null ? 'exact products' : `products rounded into ${product}`}, K = ${k}: every sum exact, D rounded once`,
    lsb: {
      'exact-product': (c: { exactProductLsb: number }, a: string, w: string, qa: number, qw: number) =>
        `the last bit of the smallest exact product: 2^${qa} (${a}'s last bit) × 2^${qw} (${w}'s) = 2^${c.exactProductLsb}`,
      'product-format': (c: { productFormatLsb: number | null; exactProductLsb: number }, p: string) =>
        `products are rounded into ${p}, whose values have no bit below 2^${c.productFormatLsb} (finer than the exact products' 2^${c.exactProductLsb}, it does not matter)`,
      'product-max': (c: { productMaxLsb: number | null }, p: string) =>
        `the last bit of ${p}'s largest finite value, which an overflowing product saturates to: 2^${c.productMaxLsb}`,
      c: (c: { cLsb: number | null }, out: string) => `C (${out}) has bits down to 2^${c.cLsb}, below every product's`,
    },
    msb: (msb: number, k: number, pmax: string, pmaxWhy: string, cmax: string | null, bound: string) =>
      `${msb}: K × the largest product${cmax === null ? '' : ' + the largest C'} = ${k} × ${pmax} (${pmaxWhy})` +
      `${cmax === null ? '' : ` + ${cmax}`} = ${bound} < 2^${msb + 1} = 2^(msb+1)`,
    largestProduct: {
      exact: (a: string, w: string) => `${a}'s largest × ${w}'s`,
      rounded: (a: string, w: string, p: string) => `${a}'s largest × ${w}'s, rounded up into ${p}`,
      'product-format-max': (_a: string, _w: string, p: string) => `${p}'s largest finite value: no finite product lies above it`,
    },
    register: (width: number, lsb: number, msb: number) =>
      `${width} bits (msb + 2 - lsb), two's complement: the multiples of 2^${lsb} in [-2^${msb + 1}, 2^${msb + 1} - 2^${lsb}]`,
    cCovered: (out: string) => `covered: every finite C of ${out} is on the grid and within the range`,
    cNotCovered: (out: string) => `not covered: C (${out}) is rounded onto the grid like a term and may lose bits or overflow; --with-c covers it`,
    core: (path: 'float64' | 'bigint') => (path === 'float64' ? 'a float64 register (53 bits or fewer): the fast path' : 'a BigInt register (wider than 53 bits)'),
    tooWide: (width: number, max: number) => `${width} bits is more than a config allows (${max}): no exact fixed-point accumulator for these formats`,
  },
  /** Columns of the `formats` overview table. */
  formatColumns: ['format', 'name', 'bits', 'bias', 'specials', 'overflow', 'largest finite', 'smallest normal', 'smallest subnormal', 'epsilon'],

  /** What a progress line names (cli/progress.ts): the run and the steps it counts. */
  progress: {
    sweep: { label: 'sweep', unit: 'points' },
    engine: (engine: string, unit: string) => ({ label: engine, unit }),
    /** The Verilator engine builds and runs synchronously: one line before, instead of a progress bar. */
    verilatorEngine: 'lbamac: gemm --engine verilator: building the generated Verilog with Verilator (minutes the first time for a configuration, then cached), then running the job',
  },

  /** Option values the parser rejects (cli/options.ts). */
  options: {
    notWholeNumber: (option: string, value: unknown, min: number, max: number) =>
      `--${option} ${String(value)}: expected a whole number ${max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`}`,
    notOneOf: (option: string, value: unknown, allowed: readonly string[]) => `--${option} ${String(value)}: expected one of ${allowed.join(', ')}`,
    notVerilogName: (option: string, value: string, problem: 'syntax' | 'keyword') =>
      problem === 'keyword'
        ? `--${option} ${value}: a Verilog keyword cannot name a module`
        : `--${option} ${JSON.stringify(value)}: expected a Verilog identifier (letters, digits and _, not starting with a digit)`,
  },

  /** One matrix whose real values did not all fit its format exactly (core/conversions.ts says what counts). */
  inputWarning: (matrix: string, c: MatrixConversions) => {
    const show = (x: number) => (Math.abs(x) === Infinity ? (x > 0 ? 'inf' : '-inf') : String(x));
    const o = c.largestOverflow;
    const became = o === null ? '' : Number.isFinite(o.became) ? `${show(o.became)} = ${c.format}'s largest finite` : show(o.became);
    const parts: [number, string][] = [
      [c.overflow, `overflowed${o === null ? '' : ` (largest ${show(o.value)} became ${became})`}`],
      [c.underflow, 'underflowed (became zero or subnormal)'],
      [c.inexact, 'rounded'],
    ];
    const said = parts.filter(([n]) => n > 0).map(([n, what], i) => (i === 0 ? `${n} of ${c.values} values ${what}` : `${n} ${what}`));
    return `${PROGRAM}: warning: ${matrix} (${c.format}): ${said.join(', ')}`;
  },

  /** An LbamacError: the message alone, each line prefixed so that it greps as ours. */
  userError: (message: string) => message.split('\n').map((line) => `${PROGRAM}: ${line}`).join('\n'),
  usageError: (usage: string, message: string, command: string | null) =>
    usage !== '' ? `${usage}\n\n${messages.userError(message)}` : `${messages.userError(message)}\n${messages.userError(`see ${PROGRAM}${command ? ` ${command}` : ''} --help`)}`,
  conflict: (a: string, b: string) => `--${a} and --${b} cannot be given together`,
  internalError: (stack: string) => `${PROGRAM}: internal error; please report it with the command line and input files\n${stack}`,
};
