// sweepGemm's loop (sweep/gemm.ts says which zero terms it skips and why that is bit-exact) as one
// JavaScript function per kind of configuration, built from source: the chunking, the sparsity,
// the rounding mode and the signed zeros that decide skipping are fixed in the source, so that V8
// compiles the whole row × column × term loop as one function.
//
// On the kernel's exact-sum path the step is written out here and the accumulator is carried as
// its float64 value rather than its code (core/mac.ts valueRoundHigh): no closure call, no table of
// accumulator values, no code arithmetic per term. Other paths call the kernel's step on codes.
// The kernel's numbers (exponent range, rounding position, tables) are bound, not pasted, so every
// configuration of a kind shares one compiled function (V8 compiles it once per sweep, not once
// per point).
//
// Outside rdn (chunked: with a dense B, whose terms sit at their k), 8 or 4 outputs of a row
// (adjacent columns) step together, term by term, so that their independent accumulators overlap
// in the processor instead of waiting on one another (each step is a chain: add, take the bits,
// round, rebuild the value). A zero weight is a +0 product there: added to an accumulator that is
// not a zero it changes nothing (and counts nothing); whatever leaves the fast range takes the
// kernel's generic step, lane by lane, as the one-output loop would. Should a lane's accumulator
// become the zero that zero terms can change (-0, after a flush) before zero terms, or a lane's
// chunk total be -0 where a chunk closes, the group's work is dropped, its events restored, and
// its outputs are computed again by the one-output loop.
import { EV_SINCE, EVENT_SLOTS, EVI, type MacKernel } from '../core/mac.js';

/** Outputs stepped together by the grouped loop: 8 while they fit in the row, then 4. */
export const LANES = [8, 4];

/** The slots of an events array (core/mac.ts EVENT_SLOTS). */
const SLOTS = Array.from({ length: EVENT_SLOTS }, (_, x) => x);

/** What the generated function is specialized on, besides the kernel's rounding. */
export interface LoopShape {
  /** Terms per chunk; 0: no chunks. */
  chunk: number;
  sparse: boolean;
  /** rdn: +0 is the zero accumulator a zero term can change (else -0), and zero chunks do not stay +0. */
  rdn: boolean;
}

/** The operands of one run (sweep/gemm.ts PreparedB's arrays, A's codes and nonzero index). */
export interface LoopArgs {
  M: number;
  N: number;
  K: number;
  T: number;
  start: Int32Array;
  cols: Int32Array;
  /** A's codes, M × K. */
  a: Uint32Array;
  /** B's codes by column (N × K), -1 for zeros: Int32Array when they fit, else Float64Array. */
  wT: Int32Array | Float64Array;
  /** The values of wT (zeros: 0) when the loop wants them (`values`), else empty. */
  wv: Float64Array;
  term: Int32Array | null;
  aIndex: Int32Array;
  weight: Float64Array;
  D: Float64Array;
  /** The output code's value: a table, or the decoder when there is none. */
  outTable: Float64Array | null;
  outDecode: (code: number) => number;
}

/**
 * Runs the loop into D with mac's step, and for chunk totals the kernel whose step(total, acc,
 * one) adds a chunk (one: the code of 1.0, its factor; totalNegZero: the total's -0 code);
 * returns the number of terms stepped with both factors nonzero.
 */
export type Loop = (x: LoopArgs, mac: MacKernel, totals: MacKernel | null, one: number, totalNegZero: number) => number;

const loops = new Map<string, Loop>();
/** Kinds of loop kept compiled (a sweep has a few dozen). */
const LOOPS_KEPT = 64;

/** How the loop for a configuration steps: several outputs together on accumulator values, one
 *  output at a time on values, or one at a time calling the kernel's step on codes. */
export type LoopKind = 'grouped' | 'values' | 'codes';

export function loopKind(mac: MacKernel, shape: LoopShape, wideCodes: boolean): LoopKind {
  if (mac.valueRoundHigh('hi', 'lo', 'K') === null) return 'codes';
  return (shape.chunk === 0 || !shape.sparse) && !shape.rdn && !wideCodes ? 'grouped' : 'values';
}

/** The loop for mac's configuration. `values`: it reads LoopArgs' wv. */
export function gemmLoop(mac: MacKernel, totals: MacKernel | null, shape: LoopShape, wideCodes: boolean): { loop: Loop; values: boolean } {
  const fused = mac.spec.product === null;
  const kind = loopKind(mac, shape, wideCodes);
  const values = kind !== 'codes';
  // Chunk totals on values too: the totals kernel's rounding, when it has the fast path.
  const total = values && totals !== null && totals.valueRoundHigh('hi', 'lo', 'C') !== null ? (hi: string, lo: string) => totals.valueRoundHigh(hi, lo, 'C')! : null;
  const source = loopSource(shape, values ? { fused, high: (hi, lo) => mac.valueRoundHigh(hi, lo, 'K')!, grouped: kind === 'grouped', total } : null, wideCodes);
  let loop = loops.get(source);
  if (loop === undefined) {
    loop = new Function(source)() as Loop;
    if (loops.size >= LOOPS_KEPT) loops.delete(loops.keys().next().value!);
    loops.set(source, loop);
  }
  return { loop, values: values && fused };
}

/** The value-domain step's kind: fused or rounded products, the rounded high word of a sum's words. */
interface ValueStep {
  fused: boolean;
  high: (hi: string, lo: string) => string;
  grouped: boolean;
  /** The totals kernel's rounded high word (chunked runs), or null: its generic step. */
  total: ((hi: string, lo: string) => string) | null;
}

function loopSource(shape: LoopShape, vs: ValueStep | null, wideCodes: boolean): string {
  const { chunk, sparse, rdn } = shape;
  const values = vs !== null;
  // The accumulator as a value or a code: the zero a zero term changes, "not +0", the code.
  const fragile = (acc: string) => (values ? `(${acc} === 0 && 1 / ${acc} ${rdn ? '>' : '<'} 0)` : `${acc} === ${rdn ? '0' : 'accNegZero'}`);
  const notPlusZero = values ? '(acc !== 0 || 1 / acc < 0)' : 'acc !== 0';
  // The total: a -0 one (a +0 chunk changes it), as a value or a code.
  const totalIsNegZero = values ? '(total === 0 && 1 / total < 0)' : 'total === totalNegZero';
  const bind = values
    ? [
        'const Klo = KP.lo, Khi = KP.hi, Kdrop = KP.drop, Krem = KP.rem, Khalf = KP.half, Kkeep = KP.keep, Kws = KP.ws;',
        'const KT = KP.T, KV = KP.V, KVa = KP.Va, KE = KP.E;',
      ]
    : ['const accNegZero = mac.spec.acc.signBit;'];
  // A zero term (only ever stepped while the accumulator is a fragile zero).
  const zeroStep = values ? 'mac.stepValue' : 'mac.stepCode';
  // The fused product of A's entry ai and B's wi, or the rounded one (counting its flags; t: the
  // table entry), and the generic step for a live term out of the fast range.
  const product = (pv: string, ai: string, wi: string, t: string, wCode: string, count = true) =>
    vs!.fused
      ? [`const ${pv} = KVa[a[${ai}]] * wv[${wi}];`]
      : [`const ${t} = KT[(a[${ai}] << Kws) | ${wCode}];`, ...(count ? [countFlags(t)] : []), `const ${pv} = KV[${t} & 0xffffff];`];
  const countFlags = (t: string) => `if (${t} >>> 24 !== 0) mac.countProduct(${t} >>> 24);`;
  const slow = (acc: string, ai: string, wi: string, t: string) => (vs!.fused ? `mac.fmaValue(${acc}, a[${ai}], wT[${wi}])` : `mac.addValue(${acc}, ${t} & 0xffffff)`);
  // Rounds lane l's sum (its words in KU) in place; `hi` holds its high word.
  const round = (hi: string, l: number) => [`KU[${2 * l + 1}] = ${vs!.high(hi, `KU[${2 * l}]`)};`, `KU[${2 * l}] = 0;`];
  // One term: acc += A's entry ai times B's entry wi (code wCode), on values through the fast
  // path or the generic step, or on codes through the kernel's step.
  const stepLines = (ai: string, wi: string, wCode: string) =>
    values
      ? [
          'step: {',
          ...product('pv', ai, wi, 't', wCode).map((l) => `  ${l}`),
          '  KF[0] = acc + pv;',
          '  const hi = KU[1];',
          '  const be = (hi >>> 20) & 0x7ff;',
          `  if (be < Klo || be >= Khi) { acc = ${slow('acc', ai, wi, 't')}; break step; }`,
          ...round('hi', 0).map((l) => `  ${l}`),
          '  const out = KF[0];',
          `  if (out === acc && pv !== 0) { KE[${EVI.swamping}]++; KE[${EV_SINCE}]++; }`,
          '  acc = out;',
          '}',
        ]
      : [`acc = mac.stepCode(acc, a[${ai}], ${wCode});`];
  // One zero term at pos, stepped like any other (it meets a fragile zero).
  const zeroTerm = `const z = aIndex[tOff + pos]; acc = ${zeroStep}(acc, z < 0 ? 0 : a[aOff + z], weight[tOff + pos]);`;
  // total += acc: on values, the totals kernel's fast path (the fused step total + acc·1) or its
  // generic step; on codes, its step.
  const addChunk = !values
    ? 'total = totals.stepCode(total, acc, one);'
    : vs.total === null
      ? 'total = totals.stepValue(total, mac.accCode(acc), one);'
      : [
          '{',
          'KF[0] = total + acc;',
          'const hi = KU[1], be = (hi >>> 20) & 0x7ff;',
          'if (be < Clo || be >= Chi) total = totals.fmaValue(total, mac.accCode(acc), one);',
          `else { KU[1] = ${vs.total('hi', 'KU[0]')}; KU[0] = 0; const out = KF[0]; if (out === total && acc !== 0) { CE[${EVI.swamping}]++; CE[${EV_SINCE}]++; } total = out; }`,
          '}',
        ].join(' ');
  const closeChunk = `${addChunk} acc = 0;`;
  // The zero terms pos..t-1, then pos = t (sweep/gemm.ts).
  const zeros = (t: string) =>
    chunk === 0
      ? [`if (${fragile('acc')}) for (; pos < ${t} && ${fragile('acc')}; pos++) { ${zeroTerm} }`]
      : [
          `while (pos < ${t}) {`,
          `  if (${fragile('acc')}) {`,
          `    ${zeroTerm}`,
          '    pos++;',
          `    if (pos % ${chunk} === 0 || pos === T) { ${closeChunk} }`,
          '    continue;',
          '  }',
          `  const end = Math.min((Math.floor(pos / ${chunk}) + 1) * ${chunk}, T);`,
          `  if (${t} < end) { pos = ${t}; break; }`,
          // A +0 chunk added to a total other than -0 changes nothing and counts no event.
          `  if (${notPlusZero} || ${totalIsNegZero}) ${addChunk}`,
          '  acc = 0;',
          '  pos = end;',
          // Whole chunks of zero terms up to t's: +0 chunks (not under rdn), likewise nothing
          // unless the total is -0.
          ...(rdn ? [] : [`  if (!${totalIsNegZero}) pos = Math.max(pos, Math.min(${t}, Math.floor(${t} / ${chunk}) * ${chunk}));`]),
          '}',
        ];
  // Outputs j..jEnd-1 of row i, one at a time.
  const outputs = [
    'for (; j < jEnd; j++) {',
    '  const wOff = j * K, tOff = j * T;',
    '  let acc = 0, total = 0, pos = 0;',
    '  for (let p = s; p < e; p++) {',
    '    const k = cols[p];',
    '    const wi = wOff + k;',
    '    const w = wT[wi];',
    '    if (w < 0) continue;',
    `    const t = ${sparse ? 'term[wi]' : 'k'};`,
    ...zeros('t').map((l) => `    ${l}`),
    ...stepLines('aOff + k', 'wi', 'w').map((l) => `    ${l}`),
    '    terms++;',
    '    pos = t + 1;',
    ...(chunk === 0 ? [] : [`    if (pos % ${chunk} === 0 || pos === T) { ${closeChunk} }`]),
    '  }',
    ...zeros('T').map((l) => `  ${l}`),
    // Unchunked, the output is the accumulator: its value is D's.
    `  D[i * N + j] = ${values ? (chunk === 0 ? 'acc' : 'total') : `outTable !== null ? outTable[${chunk === 0 ? 'acc' : 'total'}] : outDecode(${chunk === 0 ? 'acc' : 'total'})`};`,
    '}',
  ];
  const grouped = vs?.grouped === true;
  // Outputs j..j+L-1 together; lane l's term: its product p<l>, whether it is live (weight
  // nonzero), its sum's high word h<l>. Returns the terms, or -1 when they must be computed again.
  // The totals kernel's constants (chunked, on values).
  const totalsBind = !values || chunk === 0 ? [] : vs.total ? ['const CP = totals.valueParts(), Clo = CP.lo, Chi = CP.hi, Cdrop = CP.drop, Crem = CP.rem, Chalf = CP.half, Ckeep = CP.keep, CE = CP.E;'] : ['const CE = totals.events;'];
  // Lane l's chunk close (in the group): its total += its accumulator unless that is +0.
  const closeLane = (l: number) =>
    `if (tot${l} === 0 && 1 / tot${l} < 0) ok = false; else if (a${l} !== 0 || 1 / a${l} < 0) { let total = tot${l}; const acc = a${l}; ${addChunk} tot${l} = total; a${l} = 0; }`;
  // A function of its own, so that V8 compiles the hot loop apart from the rest.
  const groupOf = (L: number): string[] => {
  const each = (f: (l: number) => string | string[]) => Array.from({ length: L }, (_, l) => l).flatMap(f);
  return [
    `function group${L}(x, mac, KP, i, j, s, e, aOff, totals, one) {`,
    '  const N = x.N, K = x.K, cols = x.cols, a = x.a, wT = x.wT, wv = x.wv, weight = x.weight, D = x.D;',
    ...bind.map((l) => `  ${l}`),
    ...totalsBind.map((l) => `  ${l}`),
    // The events so far (the six counters and EV_SINCE; chunked, the totals' too), restored when
    // the group is recomputed.
    `  const ${SLOTS.map((x) => `ev${x} = KE[${x}]`).join(', ')};`,
    ...(chunk === 0 ? [] : [`  const ${SLOTS.map((x) => `cv${x} = CE[${x}]`).join(', ')};`]),
    `  const ${each((l) => `wo${l} = (j + ${l}) * K`).join(', ')};`,
    `  let ${each((l) => `a${l} = 0`).join(', ')}, swamped = 0, live = 0, ok = true;`,
    // Chunked (dense: a term's position is its k): the lanes' totals, and the next chunk boundary.
    ...(chunk === 0 ? [] : [`  let ${each((l) => `tot${l} = 0`).join(', ')}, next = ${chunk};`]),
    '  for (let p = s; p < e; p++) {',
    '    const k = cols[p], ai = aOff + k;',
    // Chunks closed since the last term: each lane adds its accumulator to its total (a +0 one
    // changes nothing). Only zero terms lay between, so this is where the one-output loop closes
    // them too. A -0 total (a +0 chunk would change it) goes to the one-output loop.
    ...(chunk === 0
      ? []
      : [
          '    if (k >= next) {',
          ...each((l) => `      ${closeLane(l)}`),
          '      if (!ok) break;',
          `      next = (Math.floor(k / ${chunk}) + 1) * ${chunk};`,
          '    }',
        ]),
    ...(vs?.fused ? ['    const x = KVa[a[ai]];'] : []),
    ...each((l) =>
      vs!.fused
        ? [`    const p${l} = x * wv[wo${l} + k];`, `    const live${l} = p${l} !== 0;`]
        : [`    const c${l} = wT[wo${l} + k], live${l} = c${l} >= 0;`, ...product(`p${l}`, 'ai', '', `t${l}`, `(live${l} ? c${l} : 0)`, false).map((x) => `    ${x}`)],
    ),
    `    const n = ${each((l) => `(live${l} ? 1 : 0)`).join(' + ')};`,
    '    live += n;',
    ...each((l) => `    KF[${l}] = a${l} + p${l};`),
    ...each((l) => `    const h${l} = KU[${2 * l + 1}];`),
    ...each((l) => `    const b${l} = (h${l} >>> 20) & 0x7ff;`),
    `    if (${each((l) => `b${l} < Klo || b${l} >= Khi`).join(' || ')}) {`,
    // Some lane leaves the fast range: this term lane by lane, as the one-output loop steps it
    // (one copy of the step and its generic calls, which V8 would otherwise paste in per lane).
    ...each((l) => `      LA[${l}] = a${l};`),
    // Zero terms (of A) follow before the next nonzero one: a fragile lane would meet them.
    ...(sparse ? [] : ['      const gap = p + 1 < e ? cols[p + 1] !== k + 1 : k !== K - 1;']),
    `      for (let l = 0; l < ${L}; l++) {`,
    '        const wi = (j + l) * K + k;',
    '        let acc = LA[l];',
    `        const w = wT[wi];`,
    '        if (w >= 0) {',
    ...stepLines('ai', 'wi', 'w').map((x) => `          ${x}`),
    ...(sparse ? ['        }'] : [`        } else if (${fragile('acc')}) acc = ${zeroStep}(acc, a[ai], weight[wi]);`]),
    `        if (${fragile('acc')}${sparse ? '' : ' && gap'}) { ok = false; break; }`,
    '        LA[l] = acc;',
    '      }',
    '      if (!ok) break;',
    ...each((l) => `      a${l} = LA[${l}];`),
    '      continue;',
    '    }',
    // The products' flags (counted here, not before: a term stepped lane by lane counts its own).
    ...(vs?.fused ? [] : each((l) => `    ${countFlags(`t${l}`)}`)),
    ...each((l) => round(`h${l}`, l).map((x) => `    ${x}`)),
    // Swamped: the sum rounded back to the accumulator, the product not a zero (a zero product
    // always gives the accumulator back here). Counted without branches: they are hard to predict.
    ...each((l) => `    const o${l} = KF[${l}];`),
    `    swamped += ${each((l) => `(o${l} === a${l} ? 1 : 0)`).join(' + ')} - ${vs?.fused ? `(${L} - n)` : `(${each((l) => `(p${l} === 0 ? 1 : 0)`).join(' + ')})`};`,
    ...each((l) => `    a${l} = o${l};`),
    '  }',
    // The last chunk.
    ...(chunk === 0 ? [] : ['  if (ok) {', ...each((l) => `    ${closeLane(l)}`), '  }']),
    '  if (ok) {',
    ...each((l) => `    D[i * N + j + ${l}] = ${chunk === 0 ? 'a' : 'tot'}${l};`),
    `    KE[${EVI.swamping}] += swamped;`,
    `    KE[${EV_SINCE}] += swamped;`,
    '    return live;',
    '  }',
    `  ${SLOTS.map((x) => `KE[${x}] = ev${x};`).join(' ')}`,
    ...(chunk === 0 ? [] : [`  ${SLOTS.map((x) => `CE[${x}] = cv${x};`).join(' ')}`]),
    '  return -1;',
    '}',
  ];
  };
  const group = grouped ? LANES.flatMap(groupOf) : [];
  // Outputs j..j+L-1 of row i together, for the widest group that fits; jEnd = j + L when they
  // must be computed again.
  const tryGroup = !grouped
    ? []
    : LANES.flatMap((L, x) => [
        `${x === 0 ? '' : 'else '}if (j + ${L} <= N) {`,
        `  const live = group${L}(x, mac, KP, i, j, s, e, aOff, totals, one);`,
        `  if (live >= 0) { terms += live; j += ${L}; continue; }`,
        `  jEnd = j + ${L};`,
        '}',
      ]);
  const rows = [
    'let terms = 0;',
    'for (let i = 0; i < M; i++) {',
    '  const s = start[i], e = start[i + 1], aOff = i * K;',
    '  let j = 0;',
    '  while (j < N) {',
    '    let jEnd = N;',
    ...tryGroup.map((l) => `    ${l}`),
    ...outputs.map((l) => `    ${l}`),
    '  }',
    '}',
    'return terms;',
  ];
  return [
    `// B's codes: ${wideCodes ? 'float64' : 'int32'}`,
    // Scratch for the sums' bit patterns, one float64 per lane.
    `const KF = new Float64Array(${LANES[0]}), KU = new Uint32Array(KF.buffer);`,
    // The lanes' accumulators while a term is stepped lane by lane.
    `const LA = new Float64Array(${LANES[0]});`,
    ...group,
    'return function loop(x, mac, totals, one, totalNegZero) {',
    '  const M = x.M, N = x.N, K = x.K, T = x.T, start = x.start, cols = x.cols, a = x.a, wT = x.wT, term = x.term;',
    '  const wv = x.wv, aIndex = x.aIndex, weight = x.weight, D = x.D, outTable = x.outTable, outDecode = x.outDecode;',
    ...(values ? ['  const KP = mac.valueParts();'] : []),
    ...totalsBind.map((l) => `  ${l}`),
    ...bind.map((l) => `  ${l}`),
    ...rows.map((l) => `  ${l}`),
    '};',
  ].join('\n');
}
