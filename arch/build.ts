// From an ArrayConfig to the architecture description (arch/types.ts). Everything the simulator
// and the RTL generator need to agree on is decided here, once.
import { LbamacError } from '../core/errors.js';
import { type Format, formatSpecOf, makeFormat } from '../core/format.js';
import { type ArrayConfig, outputFormat } from '../config/resolve.js';
import { ARCH_VERSION, type Arch, type FormatDesc, type LineDesc, type PortDesc, type RegisterDesc, type TimingDesc, type UnitDesc } from './types.js';

/** Largest array the simulator accepts (the config schema allows up to 256 × 256). */
export const MAX_DIM = 256;

/** Width of a 2:4 slot index (0..3 within the group). */
export const IDX_WIDTH = 2;

export const TOP_NAME = 'lbamac_array';

function desc(f: Format): FormatDesc {
  return { name: f.name, width: f.width, ...formatSpecOf(f) };
}

/** The core Format of an arch format (what the arithmetic units compute in). */
export function formatOf(d: FormatDesc): Format {
  return makeFormat({ exp: d.exp, man: d.man, bias: d.bias, subnormals: d.subnormals, specials: d.specials, overflow: d.overflow });
}

function checkDim(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_DIM) {
    throw new LbamacError(`array: ${name} = ${JSON.stringify(v)} is not allowed; expected an integer from 1 to ${MAX_DIM}`);
  }
  return v;
}

/** Validates what the architecture needs from a config (beyond the schema) and builds the description. */
export function buildArch(cfg: ArrayConfig): Arch {
  const R = checkDim('rows', cfg.rows);
  const C = checkDim('cols', cfg.cols);
  if (cfg.dataflow !== 'os' && cfg.dataflow !== 'ws') throw new LbamacError(`array: dataflow = ${JSON.stringify(cfg.dataflow)} is not allowed; expected "os" or "ws"`);
  if (cfg.sparsity !== 'dense' && cfg.sparsity !== '2:4') throw new LbamacError(`array: sparsity = ${JSON.stringify(cfg.sparsity)} is not allowed; expected "dense" or "2:4"`);
  if (cfg.chunk !== null && (!Number.isInteger(cfg.chunk) || cfg.chunk < 1)) {
    throw new LbamacError(`array: chunk = ${JSON.stringify(cfg.chunk)} is not allowed; expected a positive integer or none`);
  }
  const P = cfg.pipeline?.multiplier ?? 0;
  if (P !== 0 && P !== 1) throw new LbamacError(`array: pipeline.multiplier = ${JSON.stringify(P)} is not allowed; expected 0 or 1`);
  const fused = cfg.product === null;
  if (fused && P === 1) {
    throw new LbamacError(
      'array: pipeline.multiplier = 1 needs a product format, but product is "exact": a fused multiply-add has no rounded product to register; ' +
        'set product to a format (e.g. "e5m10") or pipeline.multiplier to 0',
    );
  }
  const ws = cfg.dataflow === 'ws';
  const sparse = cfg.sparsity === '2:4';
  const chunked = cfg.chunk !== null;
  const lanes: 1 | 4 = sparse ? 4 : 1;
  const out = outputFormat(cfg);
  const formats = {
    a: desc(cfg.a),
    w: desc(cfg.w),
    product: cfg.product === null ? null : desc(cfg.product),
    acc: desc(cfg.acc),
    total: chunked ? desc(cfg.total) : null,
    out: desc(out),
  };
  const aW = cfg.a.width;
  const wW = cfg.w.width;
  const accW = cfg.acc.width;
  const totW = cfg.total.width;
  const outW = out.width;

  const ports: PortDesc[] = [];
  const port = (name: string, dir: 'in' | 'out', index: PortDesc['index'], elemWidth: number, meaning: string, kind: PortDesc['kind'] = 'signal') => {
    const count = index === 'scalar' ? 1 : index === 'row' ? R : index === 'col' ? C : R * 4;
    ports.push({ name, dir, kind, count, elemWidth, width: count * elemWidth, index, meaning });
  };
  port('clk', 'in', 'scalar', 1, 'clock: every register updates on the rising edge; cycle x is the period after the x-th edge following reset', 'clock');
  port('rst', 'in', 'scalar', 1, 'synchronous active-high reset: every register (PEs and edge lines) to 0', 'reset');
  const aIndex = sparse ? 'rowLane' : 'row';
  const aMeaning = sparse
    ? 'the 2:4 group of 4 A values of the term for each row: element r*4+q is A[m][4g+q] (0 past K); the same group is presented for both slots of the group'
    : 'the A value of the term for each row: element r is A[m][k]';
  if (!ws) {
    port('a_valid', 'in', 'row', 1, 'row r carries a term this cycle (0 for rows past M in an edge tile)');
    port('a_data', 'in', aIndex, aW, aMeaning);
    if (chunked) port('a_close', 'in', 'scalar', 1, 'this term is the last of its chunk: the chunk accumulator is added into the total and restarts at +0 (fans out to every row)');
    port('b_valid', 'in', 'col', 1, 'column j carries a term this cycle (0 for columns past N in an edge tile)');
    port('b_data', 'in', 'col', wW, sparse ? 'the kept slot value of the term for each column (compressed B)' : 'the B value of the term for each column: element j is B[k][n]');
    if (sparse) port('b_idx', 'in', 'col', IDX_WIDTH, 'the slot index (0..3) within the group for each column: the PE selector picks lane b_idx of a_data');
    port('c_shift', 'in', 'scalar', 1, 'shift the output chain of every column (skewed by column): one C row in at the bottom, one D row out at the top');
    port('c_drain', 'in', 'scalar', 1, 'with c_shift: the values shifted out are results (d_valid follows it C cycles later)');
    port('c_data', 'in', 'col', outW, 'C row being loaded (rows in order 0..R-1 over R shift cycles; +0 without C)');
    port('d_valid', 'out', 'scalar', 1, 'd_data holds a D row (rows 0..R-1 of a tile on consecutive cycles)');
    port('d_data', 'out', 'col', outW, 'D row, deskewed: all columns of the same row in the same cycle');
  } else {
    port('w_shift', 'in', 'scalar', 1, 'shift the weight chain of every column (skewed by column): one weight row in at the bottom');
    port('w_valid', 'in', 'col', 1, 'the weight loaded in column j has a term (0 past N, and for rows past the last term)');
    port('w_data', 'in', 'col', wW, sparse ? 'the kept slot value of the term of the row being loaded (compressed B)' : 'B[k][n] of the row being loaded (rows in order 0..R-1 over R shift cycles)');
    if (sparse) port('w_idx', 'in', 'col', IDX_WIDTH, 'the slot index (0..3) within the group of the row being loaded');
    if (chunked) port('w_close', 'in', 'scalar', 1, 'the term of the row being loaded is the last of its chunk (fans out to every column)');
    port('a_valid', 'in', 'row', 1, 'row r carries an A value this cycle');
    port('a_data', 'in', aIndex, aW, sparse ? aMeaning : 'A[m][k] for the term held by row r');
    port('s_valid', 'in', 'scalar', 1, 'a partial-sum row enters the top of the array this cycle (with the A row presented in the same cycle)');
    port('s_acc', 'in', 'col', accW, chunked ? 'chunk accumulator of the entering partial sum (+0 for the first K tile)' : 'entering partial sum: C (or +0) for the first K tile, the previous K tile\'s d_acc after');
    if (chunked) port('s_total', 'in', 'col', totW, 'chunk total of the entering partial sum: C (or +0) for the first K tile, the previous K tile\'s d_total after');
    port('d_valid', 'out', 'scalar', 1, 'd_* hold the partial sums of one A row leaving the bottom (final D after the last K tile)');
    port('d_acc', 'out', 'col', accW, chunked ? 'chunk accumulator of the leaving partial sum (+0 after the last K tile)' : 'leaving partial sum, deskewed (D after the last K tile)');
    if (chunked) port('d_total', 'out', 'col', totW, 'chunk total of the leaving partial sum, deskewed (D after the last K tile)');
  }

  const registers: RegisterDesc[] = [];
  const reg = (name: string, laneWidth: number, path: RegisterDesc['path'], meaning: string, next: string, regLanes = 1) => {
    registers.push({ name, width: laneWidth * regLanes, lanes: regLanes, laneWidth, reset: 0, path, meaning, next });
  };
  const fromLeft = (sig: string, skew: string) => `${sig} <= (j == 0) ? a_skew.${skew}[r] : ${sig}@(r, j-1)`;
  reg('a', aW, 'a', sparse ? 'the 2:4 group of A values, moving right' : 'A value, moving right', fromLeft('a', 'a_data'), lanes);
  reg('av', 1, 'a', 'term valid (row side), moving right with a', fromLeft('av', 'a_valid'));
  const sel = sparse ? `x = a.lane[${ws ? 'wi' : 'bi'}]` : 'x = a';
  const weight = ws ? 'w' : 'b';
  const en = ws ? 'en = av & wv' : 'en = av & bv';
  const termExpr = fused ? `x * ${weight} (exact, fused into the add)` : `mul(x, ${weight})`;
  if (!ws) {
    if (chunked) reg('acl', 1, 'a', 'close the chunk after this term, moving right with a', fromLeft('acl', 'a_close'));
    const fromTop = (sig: string, skew: string) => `${sig} <= (r == 0) ? b_skew.${skew}[j] : ${sig}@(r-1, j)`;
    reg('b', wW, 'b', sparse ? 'kept slot value, moving down' : 'B value, moving down', fromTop('b', 'b_data'));
    if (sparse) reg('bi', IDX_WIDTH, 'b', 'slot index within the group, moving down with b', fromTop('bi', 'b_idx'));
    reg('bv', 1, 'b', 'term valid (column side), moving down with b', fromTop('bv', 'b_valid'));
  } else {
    const chain = (sig: string, skew: string) => `${sig} <= wsh[j] ? ((r == R-1) ? w_skew.${skew}[j] : ${sig}@(r+1, j)) : ${sig}`;
    reg('w', wW, 'w', 'stationary weight (kept slot value in 2:4), loaded through the upward weight chain', chain('w', 'w_data'));
    if (sparse) reg('wi', IDX_WIDTH, 'w', 'slot index of the weight within its group', chain('wi', 'w_idx'));
    reg('wv', 1, 'w', 'the weight has a term (row and column inside the job)', chain('wv', 'w_valid'));
    if (chunked) reg('wcl', 1, 'w', 'the weight\'s term closes a chunk', chain('wcl', 'w_close'));
  }
  const cl = ws ? 'wcl' : 'acl';
  if (P === 1) {
    reg('p', cfg.product!.width, 'product', 'registered product (multiplier pipeline stage)', `p <= en ? mul(x, ${weight}) : p   where ${sel}, ${en}`);
    reg('pv', 1, 'product', 'p holds a term', `pv <= en`);
    if (chunked) reg('pcl', 1, 'product', 'p\'s term closes a chunk', `pcl <= en & ${cl}`);
  }
  const e = P === 1 ? 'pv' : 'en';
  const term = P === 1 ? 'p' : termExpr;
  const close = P === 1 ? 'pcl' : cl;
  if (!ws) {
    const chainIn = (sig: string) => `(r == R-1) ? c_skew.c_data[j] : ${sig}@(r+1, j)`;
    if (!chunked) {
      reg('acc', accW, 'acc', 'accumulator; also the output chain (C in at the bottom, D out at the top)', `acc <= sh[j] ? ${chainIn('acc')} : ${e} ? acc + ${term} : acc`);
    } else {
      reg('acc', accW, 'acc', 'chunk accumulator (+0 at every tile boundary)', `acc <= ${e} ? (${close} ? +0 : s) : acc   where s = acc + ${term}`);
      reg('total', totW, 'acc', 'chunk total; also the output chain (C in at the bottom, D out at the top)', `total <= sh[j] ? ${chainIn('total')} : (${e} & ${close}) ? total + s : total`);
    }
  } else {
    const inS = (sig: string, port: string) => `(r == 0) ? s_skew.${port}[j] : ${sig}@(r-1, j)`;
    if (!chunked) {
      reg('s', accW, 'psum', 'partial sum, moving down', `s <= ${e} ? s_in + ${term} : s_in   where s_in = ${inS('s', 's_acc')}`);
    } else {
      reg('s', accW, 'psum', 'chunk accumulator of the partial sum, moving down', `s <= ${e} ? (${close} ? +0 : sum) : s_in   where sum = s_in + ${term}, s_in = ${inS('s', 's_acc')}`);
      reg('st', totW, 'psum', 'chunk total of the partial sum, moving down', `st <= (${e} & ${close}) ? st_in + sum : st_in   where st_in = ${inS('st', 's_total')}`);
    }
    reg('sv', 1, 'psum', 'the partial sum is valid, moving down', `sv <= ${inS('sv', 's_valid')}`);
  }

  const units: UnitDesc[] = [];
  if (sparse) units.push({ name: 'selector', inputs: ['a (4 lanes)', ws ? 'wi' : 'bi'], output: 'a', rounding: null, meaning: '4:1 mux: the A value of the kept slot' });
  if (fused) {
    units.push({ name: 'fma', inputs: ['a', 'w', 'acc'], output: 'acc', rounding: cfg.rounding.acc, meaning: 'acc + a·w with the product exact, one rounding into the accumulator format' });
  } else {
    units.push({ name: 'multiplier', inputs: ['a', 'w'], output: 'product', rounding: cfg.rounding.product, meaning: 'a·w rounded once into the product format' });
    units.push({ name: 'accAdder', inputs: ['acc', 'product'], output: 'acc', rounding: cfg.rounding.acc, meaning: 'acc + product rounded once into the accumulator format' });
  }
  if (chunked) units.push({ name: 'totalAdder', inputs: ['total', 'acc'], output: 'total', rounding: cfg.rounding.total, meaning: 'total + (acc + term) at a chunk close, rounded once into the chunk-total format; in series with the accumulator adder' });

  const rowsIdx = Array.from({ length: R }, (_, r) => r);
  const colsIdx = Array.from({ length: C }, (_, j) => j);
  const edge: LineDesc[] = [];
  const aSignals = [
    { source: 'a_data', width: lanes * aW },
    { source: 'a_valid', width: 1 },
    ...(chunked && !ws ? [{ source: 'a_close', width: 1 }] : []),
  ];
  edge.push({ name: 'a_skew', kind: 'skew', index: 'row', shared: false, signals: aSignals, depth: rowsIdx, feeds: 'PE(r, 0): a, av' + (chunked && !ws ? ', acl' : ''), meaning: 'delays row r by r cycles so that row r meets the columns one cycle after row r-1' });
  if (!ws) {
    edge.push({
      name: 'b_skew', kind: 'skew', index: 'col', shared: false,
      signals: [{ source: 'b_data', width: wW }, ...(sparse ? [{ source: 'b_idx', width: IDX_WIDTH }] : []), { source: 'b_valid', width: 1 }],
      depth: colsIdx, feeds: 'PE(0, j): b, ' + (sparse ? 'bi, ' : '') + 'bv', meaning: 'delays column j by j cycles',
    });
    edge.push({ name: 'c_skew', kind: 'skew', index: 'col', shared: false, signals: [{ source: 'c_data', width: outW }], depth: colsIdx.map((j) => j + 1), feeds: `PE(R-1, j): ${chunked ? 'total' : 'acc'} (chain input)`, meaning: 'C enters column j when column j shifts' });
    edge.push({ name: 'sh', kind: 'skew', index: 'col', shared: true, signals: [{ source: 'c_shift', width: 1 }, { source: 'c_drain', width: 1 }], depth: colsIdx.map((j) => j + 1), feeds: 'shift enable of column j (tap j: sh[j], dr[j])', meaning: 'column j shifts j+1 cycles after c_shift; d_valid = sh[C-1] & dr[C-1]' });
    edge.push({ name: 'd_deskew', kind: 'deskew', index: 'col', shared: false, signals: [{ source: chunked ? 'total' : 'acc', width: outW }], depth: colsIdx.map((j) => C - 1 - j), feeds: 'd_data[j] (source: PE(0, j))', meaning: 'realigns the columns: d_data shows one whole D row per cycle' });
  } else {
    edge.push({
      name: 'w_skew', kind: 'skew', index: 'col', shared: false,
      signals: [{ source: 'w_data', width: wW }, ...(sparse ? [{ source: 'w_idx', width: IDX_WIDTH }] : []), { source: 'w_valid', width: 1 }, ...(chunked ? [{ source: 'w_close', width: 1 }] : [])],
      depth: colsIdx.map((j) => j + 1), feeds: 'PE(R-1, j): weight chain input', meaning: 'weights enter column j when column j shifts',
    });
    edge.push({ name: 'wsh', kind: 'skew', index: 'col', shared: true, signals: [{ source: 'w_shift', width: 1 }], depth: colsIdx.map((j) => j + 1), feeds: 'weight shift enable of column j (tap j: wsh[j])', meaning: 'column j shifts its weights j+1 cycles after w_shift' });
    edge.push({
      name: 's_skew', kind: 'skew', index: 'col', shared: false,
      signals: [{ source: 's_acc', width: accW }, ...(chunked ? [{ source: 's_total', width: totW }] : []), { source: 's_valid', width: 1 }],
      depth: colsIdx.map((j) => j + 1 + P), feeds: 'PE(0, j): partial-sum input', meaning: 'the partial sum of an A row reaches PE(0, j) in the cycle PE(0, j) adds that row\'s term',
    });
    edge.push({
      name: 'd_deskew', kind: 'deskew', index: 'col', shared: false,
      signals: [{ source: 's', width: accW }, ...(chunked ? [{ source: 'st', width: totW }] : [])],
      depth: colsIdx.map((j) => C - 1 - j), feeds: 'd_acc[j]' + (chunked ? ', d_total[j]' : '') + ' (source: PE(R-1, j)); d_valid = sv of PE(R-1, C-1)', meaning: 'realigns the columns: one whole partial-sum row per cycle',
    });
  }

  const timing: TimingDesc = {
    inToMul: 1,
    mulToAdd: P,
    termsFormula: sparse ? 'T = 2·ceil(K/4)' : 'T = K',
    cyclesFormula: ws
      ? 'R + nN·(nK-1)·(R + max(M+R-2, C+P+1)) + (nN-1)·(2R+M-2) + M + R + C + P,  nN = ceil(N/C), nK = ceil(T/R)'
      : '(C given ? R : 0) + nT·(2R + T - 1 + P) + C,  nT = ceil(M/R)·ceil(N/C)',
    notes: ws
      ? [
          'A row m presented in cycle c: PE(r, j) multiplies it in cycle c + r + j + 1, adds in c + r + j + 1 + P; its partial-sum row is on d_* in cycle c + R + C + P',
          'weights: R shift cycles per tile; the next tile\'s shift may start in the cycle of the current tile\'s last multiply in each column',
        ]
      : [
          'term presented in cycle c: PE(r, j) multiplies it in cycle c + r + j + 1 and adds it in c + r + j + 1 + P',
          'shift presented in cycle c: column j shifts in cycle c + j + 1; the row shifted out is on d_data in cycle c + C',
        ],
  };

  return {
    version: ARCH_VERSION,
    top: TOP_NAME,
    rows: R,
    cols: C,
    dataflow: cfg.dataflow,
    sparsity: cfg.sparsity,
    lanes,
    chunk: cfg.chunk,
    fused,
    pipeline: { multiplier: P },
    formats,
    rounding: { product: cfg.rounding.product, acc: cfg.rounding.acc, total: cfg.rounding.total },
    ports,
    pe: { registers, units },
    edge,
    timing,
  };
}

/** The port of that name (throws on an unknown name: a simulator/arch mismatch is a bug). */
export function portOf(arch: Arch, name: string): PortDesc {
  const p = arch.ports.find((x) => x.name === name);
  if (!p) throw new Error(`internal: ${arch.dataflow} arch has no port "${name}"`);
  return p;
}
