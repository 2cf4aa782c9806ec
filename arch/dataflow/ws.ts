// The weight-stationary array: each PE holds one weight (loaded upward through the column's weight
// chain while the column shifts), A moves right, partial sums move down and leave at the bottom.
// docs/timing.md draws the schedule.
import { and, mux } from '../ir.js';
import type { LineDesc, PortDesc, TopOutputDesc } from '../types.js';
import { INDEX_WIDTH } from './draws.js';
import { aDataMeaning, type BuildContext, clockPorts, chunkNext, type DataflowParts, IDX_WIDTH, laneIndex, PeBuilder, portAdder, range, stickyFlags, termStage, dataflowParts, weightLanes } from './context.js';

export function buildWs(ctx: BuildContext): DataflowParts {
  const { R, C, sparse, chunked, lanes, formats: f } = ctx;
  const { termDepth: D, loop: L } = ctx.pipeline;
  const fixed = ctx.fixed !== null;
  const aW = f.a.width;
  const wW = f.w.width;
  // The partial sum: a float code, or a fixed-point register's state bus (no rounding between PEs
  // nor between K tiles); a fixed-point array carries out codes beside it (C in, D out).
  const accW = fixed ? ctx.fixed!.stateWidth : f.acc.width;
  const outW = f.out.width;
  const totW = f.total?.width ?? 0;
  const G = weightLanes(ctx);
  const steps = G > 1 ? ` (lane l: term ${G}s+l of step s)` : '';

  const ports: PortDesc[] = [];
  clockPorts(ctx, ports);
  const port = portAdder(ctx, ports);
  port('w_shift', 'in', 'scalar', 1, 'shift the weight chain of every column (skewed by column): one weight row in at the bottom');
  port('w_valid', 'in', 'col', 1, 'the weight loaded in column j has a term (0 past N, and for rows past the last term)');
  port('w_data', 'in', laneIndex(ctx, 'col'), wW, (sparse ? 'the kept slot value of the term of the row being loaded (compressed B)' : 'B[k][n] of the row being loaded (rows in order 0..R-1 over R shift cycles)') + steps);
  if (sparse) port('w_idx', 'in', laneIndex(ctx, 'col'), IDX_WIDTH, 'the slot index (0..3) within the group of the row being loaded' + steps);
  if (chunked) port('w_close', 'in', 'scalar', 1, 'the term of the row being loaded is the last of its chunk (fans out to every column)');
  if (fixed) {
    port('w_first', 'in', 'scalar', 1, 'fixed-point accumulator: the term of the row being loaded is the first of its outputs: it adds to C loaded onto the grid (fans out to every column)');
    port('w_last', 'in', 'scalar', 1, 'fixed-point accumulator: the term of the row being loaded is the last of its outputs: the register is rounded into out (fans out to every column)');
  }
  if (ctx.random) {
    port('w_col', 'in', 'col', INDEX_WIDTH, 'rsr: the output column j of the weight loaded in column j (a key word of the random stream)');
    port('w_term', 'in', 'scalar', INDEX_WIDTH, 'rsr: the index t of the term of the row being loaded, in the order of docs/arithmetic.md section 3 (a counter word of the random stream)');
  }
  port('a_valid', 'in', 'row', 1, 'row r carries an A value this cycle');
  port('a_data', 'in', laneIndex(ctx, 'row'), aW, aDataMeaning(ctx, 'A[m][k] for the term held by row r'));
  if (ctx.random) port('a_row', 'in', 'row', INDEX_WIDTH, 'rsr: the output row i of the A value of row r (a counter word of the random stream)');
  port('s_valid', 'in', 'scalar', 1, 'a partial-sum row enters the top of the array this cycle (with the A row presented in the same cycle)');
  port('s_acc', 'in', 'col', accW, chunked ? 'chunk accumulator of the entering partial sum (+0 for the first K tile)'
    : fixed ? 'the state bus of the entering partial sum: the previous K tile\'s d_acc (unused in the first K tile, whose first term loads s_c)'
    : 'entering partial sum: C (or +0) for the first K tile, the previous K tile\'s d_acc after');
  if (fixed) port('s_c', 'in', 'col', outW, 'C (or +0) of the entering row, for the first K tile: its first term loads it onto the grid');
  if (chunked) port('s_total', 'in', 'col', totW, 'chunk total of the entering partial sum: C (or +0) for the first K tile, the previous K tile\'s d_total after');
  port('d_valid', 'out', 'scalar', 1, 'd_* hold the partial sums of one A row leaving the bottom (final D after the last K tile)');
  port('d_acc', 'out', 'col', accW, chunked ? 'chunk accumulator of the leaving partial sum (+0 after the last K tile)'
    : fixed ? 'the state bus of the leaving partial sum, deskewed (fed back as s_acc for the next K tile)'
    : 'leaving partial sum, deskewed (D after the last K tile)');
  if (fixed) port('d_data', 'out', 'col', outW, 'D after the last K tile (the register rounded into out at the output\'s last term), deskewed');
  if (chunked) port('d_total', 'out', 'col', totW, 'chunk total of the leaving partial sum, deskewed (D after the last K tile)');

  const pe = new PeBuilder();
  const a = pe.moving('a', aW, lanes, 'a', 'left', { line: 'a_skew', signal: 'a_data' }, G > 1 ? `the A values of a step (${sparse ? '2:4 groups' : `${G} terms`}), moving right` : sparse ? 'the 2:4 group of A values, moving right' : 'A value, moving right', 'row');
  const av = pe.moving('av', 1, 1, 'a', 'left', { line: 'a_skew', signal: 'a_valid' }, 'A value valid, moving right with a');
  const shift = pe.input('shift', 1, null, null, { line: 'wsh', signal: 'w_shift' }, 'the column\'s weight chain shifts this cycle');
  const weight = (name: string, width: number, signal: string, meaning: string, tag: 'col' | null = null, lanes = 1) =>
    pe.moving(name, width, lanes, 'w', 'below', { line: 'w_skew', signal }, meaning, tag, shift);
  const w = weight('w', wW, 'w_data', G > 1 ? `the ${G} stationary weights of a step, loaded through the upward weight chain` : 'stationary weight (kept slot value in 2:4), loaded through the upward weight chain', 'col', G);
  const wi = sparse ? weight('wi', IDX_WIDTH, 'w_idx', 'slot index of the weight within its group', null, G) : null;
  const wv = weight('wv', 1, 'w_valid', 'the weight has a term (row and column inside the job)');
  const wcl = chunked ? weight('wcl', 1, 'w_close', 'the weight\'s term closes a chunk') : null;
  const wfi = fixed ? weight('wfi', 1, 'w_first', 'the weight\'s term is its outputs\' first') : null;
  const wla = fixed ? weight('wla', 1, 'w_last', 'the weight\'s term is its outputs\' last') : null;
  const index = ctx.random
    ? {
        i: pe.moving('ai', INDEX_WIDTH, 1, 'a', 'left', { line: 'a_skew', signal: 'a_row' }, 'output row of the A value, moving right with a'),
        j: weight('wj', INDEX_WIDTH, 'w_col', 'output column of the weight\'s term'),
        t: weight('wt', INDEX_WIDTH, 'w_term', 'term index of the weight'),
      }
    : null;
  const sIn = pe.input('s_in', accW, 'above', 's', { line: 's_skew', signal: 's_acc' }, 's of the PE above (the s_skew line in row 0)');
  const stIn = chunked ? pe.input('st_in', totW, 'above', 'st', { line: 's_skew', signal: 's_total' }, 'st of the PE above (the s_skew line in row 0)') : null;
  const sdIn = fixed ? pe.input('sd_in', outW, 'above', 'sd', { line: 's_skew', signal: 's_c' }, 'sd of the PE above (the s_skew line in row 0)') : null;
  const t = termStage(pe, ctx, { a, av, w, wv, wi, close: wcl, acc: sIn, total: stIn, moving: true, index, fixed: fixed ? { first: wfi!, last: wla!, c: sdIn! } : null });
  // A PE without a term passes the partial sum on unchanged (through the cut adder's delay, so
  // that every partial sum takes L cycles a row).
  pe.register('s', accW, 1, 'psum', chunked ? 'chunk accumulator of the partial sum, moving down' : 'partial sum, moving down', null, mux(t.addEn, chunkNext(ctx, t), t.acc));
  if (chunked) pe.register('st', totW, 1, 'psum', 'chunk total of the partial sum, moving down', null, mux(and(t.addEn, t.close!), t.totalSum!, t.total!));
  if (fixed) pe.register('sd', outW, 1, 'psum', 'the out code moving down with the partial sum: C until its first term, D from its last', null, mux(and(t.addEn, t.last!), t.rounded!, sdIn!), 'output');
  if (L === 1) pe.moving('sv', 1, 1, 'psum', 'above', { line: 's_skew', signal: 's_valid' }, 'the partial sum is valid, moving down');
  else {
    const svIn = pe.input('sv_in', 1, 'above', 'sv', { line: 's_skew', signal: 's_valid' }, 'sv of the PE above (the s_skew line in row 0)');
    const svd = pe.register('svd', 1, 1, 'psum', 'the partial sum in the cut adder is valid', null, svIn);
    pe.register('sv', 1, 1, 'psum', 'the partial sum is valid, moving down', null, svd);
  }

  if (ctx.flags) stickyFlags(pe);
  const cols = range(C);
  const edge: LineDesc[] = [
    {
      name: 'a_skew', kind: 'skew', index: 'row', shared: false, sourceRow: null, depth: range(R).map((r) => L * r),
      signals: [{ source: 'a_data', width: lanes * aW }, { source: 'a_valid', width: 1 }, ...(ctx.random ? [{ source: 'a_row', width: INDEX_WIDTH }] : [])],
      feeds: 'PE(r, 0): a, av' + (ctx.random ? ', ai' : ''), meaning: L === 1 ? 'delays row r by r cycles so that row r meets the columns one cycle after row r-1' : `delays row r by ${L}*r cycles: a partial sum takes ${L} cycles a row through the cut adder`,
    },
    {
      name: 'w_skew', kind: 'skew', index: 'col', shared: false, sourceRow: null, depth: cols.map((j) => j + 1),
      signals: [
        { source: 'w_data', width: G * wW }, ...(sparse ? [{ source: 'w_idx', width: G * IDX_WIDTH }] : []), { source: 'w_valid', width: 1 }, ...(chunked ? [{ source: 'w_close', width: 1 }] : []),
        ...(fixed ? [{ source: 'w_first', width: 1 }, { source: 'w_last', width: 1 }] : []),
        ...(ctx.random ? [{ source: 'w_col', width: INDEX_WIDTH }, { source: 'w_term', width: INDEX_WIDTH }] : []),
      ],
      feeds: 'PE(R-1, j): weight chain input', meaning: 'weights enter column j when column j shifts',
    },
    { name: 'wsh', kind: 'skew', index: 'col', shared: true, sourceRow: null, signals: [{ source: 'w_shift', width: 1 }], depth: cols.map((j) => j + 1), feeds: 'weight shift enable of column j (tap j: wsh[j])', meaning: 'column j shifts its weights j+1 cycles after w_shift' },
    {
      name: 's_skew', kind: 'skew', index: 'col', shared: false, sourceRow: null, depth: cols.map((j) => j + 1 + D),
      signals: [{ source: 's_acc', width: accW }, ...(chunked ? [{ source: 's_total', width: totW }] : []), ...(fixed ? [{ source: 's_c', width: outW }] : []), { source: 's_valid', width: 1 }],
      feeds: 'PE(0, j): partial-sum input', meaning: 'the partial sum of an A row reaches PE(0, j) in the cycle PE(0, j) adds that row\'s term',
    },
    {
      name: 'd_deskew', kind: 'deskew', index: 'col', shared: false, sourceRow: R - 1, depth: cols.map((j) => C - 1 - j),
      signals: [{ source: 's', width: accW }, ...(chunked ? [{ source: 'st', width: totW }] : []), ...(fixed ? [{ source: 'sd', width: outW }] : [])],
      feeds: 'd_acc[j]' + (chunked ? ', d_total[j]' : '') + (fixed ? ', d_data[j]' : '') + ' (source: PE(R-1, j)); d_valid = sv of PE(R-1, C-1)', meaning: 'realigns the columns: one whole partial-sum row per cycle',
    },
  ];
  const outputs: TopOutputDesc[] = [
    { port: 'd_valid', expr: { op: 'pe', register: 'sv', r: R - 1, j: C - 1 } },
    { port: 'd_acc', expr: { op: 'deskew', line: 'd_deskew', signal: 's' } },
    ...(chunked ? [{ port: 'd_total', expr: { op: 'deskew' as const, line: 'd_deskew', signal: 'st' } }] : []),
    ...(fixed ? [{ port: 'd_data', expr: { op: 'deskew' as const, line: 'd_deskew', signal: 'sd' } }] : []),
  ];
  return dataflowParts(
    ctx,
    pe,
    ports,
    edge,
    outputs,
    `R + nN·(nK-1)·(R + max(M + L(R-1) - 1, (L-1)R + C + D + 1)) + (nN-1)·(R + M + L(R-1) - 1) + M + L·R + C + D,  nN = ceil(N/C), nK = ceil(${G > 1 ? 'S' : 'T'}/R)`,
    [
        'A row m presented in cycle c: PE(r, j) has its operands in cycle c + L·r + j + 1, adds in c + L·r + j + 1 + D (D: pipeline.termDepth, L: pipeline.loop); its partial-sum row is on d_* in cycle c + L·R + C + D',
        'weights: R shift cycles per tile; the next tile\'s shift may start in the cycle of the current tile\'s last multiply in each column',
      ],
  );
}
