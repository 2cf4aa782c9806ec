// The output-stationary array: A moves right, B moves down, every PE keeps one output in its
// accumulator; the accumulators of a column form the output chain (C in at the bottom, D out at the
// top) while the column shifts. docs/timing.md draws the schedule.
import { and, mux, or, reg } from '../ir.js';
import type { LineDesc, PortDesc, TopOutputDesc } from '../types.js';
import { INDEX_WIDTH } from './draws.js';
import { aDataMeaning, type BuildContext, clockPorts, chunkNext, type DataflowParts, IDX_WIDTH, laneIndex, PeBuilder, portAdder, range, stickyFlags, termStage, dataflowParts, weightLanes } from './context.js';

export function buildOs(ctx: BuildContext): DataflowParts {
  const { R, C, sparse, chunked, lanes, formats: f } = ctx;
  const fixed = ctx.fixed !== null;
  const aW = f.a.width;
  const wW = f.w.width;
  const outW = f.out.width;
  const G = weightLanes(ctx);
  const steps = G > 1 ? ` (lane l: term ${G}s+l of step s)` : '';

  const ports: PortDesc[] = [];
  clockPorts(ctx, ports);
  const port = portAdder(ctx, ports);
  port('a_valid', 'in', 'row', 1, 'row r carries a term this cycle (0 for rows past M in an edge tile)');
  port('a_data', 'in', laneIndex(ctx, 'row'), aW, aDataMeaning(ctx, 'the A value of the term for each row: element r is A[m][k]'));
  if (chunked) port('a_close', 'in', 'scalar', 1, 'this term is the last of its chunk: the chunk accumulator is added into the total and restarts at +0 (fans out to every row)');
  if (fixed) {
    port('a_first', 'in', 'scalar', 1, 'fixed-point accumulator: this term is the first of its outputs: it adds to C (the output chain\'s code) loaded onto the grid (fans out to every row)');
    port('a_last', 'in', 'scalar', 1, 'fixed-point accumulator: this term is the last of its outputs: the register is rounded into the output chain (fans out to every row)');
  }
  if (ctx.random) {
    port('a_row', 'in', 'row', INDEX_WIDTH, 'rsr: the output row i of row r\'s term (a counter word of the random stream)');
    port('a_term', 'in', 'scalar', INDEX_WIDTH, 'rsr: the index t of the term in the order of docs/arithmetic.md section 3 (a counter word of the random stream)');
  }
  port('b_valid', 'in', 'col', 1, 'column j carries a term this cycle (0 for columns past N in an edge tile)');
  port('b_data', 'in', laneIndex(ctx, 'col'), wW, (sparse ? 'the kept slot value of the term for each column (compressed B)' : 'the B value of the term for each column: element j is B[k][n]') + steps);
  if (sparse) port('b_idx', 'in', laneIndex(ctx, 'col'), IDX_WIDTH, 'the slot index (0..3) within the group for each column: the PE selector picks lane b_idx of a_data' + (G > 1 ? "'s group of the lane" : '') + steps);
  if (ctx.random) port('b_col', 'in', 'col', INDEX_WIDTH, 'rsr: the output column j of column j\'s term (a key word of the random stream)');
  port('c_shift', 'in', 'scalar', 1, 'shift the output chain of every column (skewed by column): one C row in at the bottom, one D row out at the top');
  port('c_drain', 'in', 'scalar', 1, 'with c_shift: the values shifted out are results (d_valid follows it C cycles later)');
  port('c_data', 'in', 'col', outW, 'C row being loaded (rows in order 0..R-1 over R shift cycles; +0 without C)');
  port('d_valid', 'out', 'scalar', 1, 'd_data holds a D row (rows 0..R-1 of a tile on consecutive cycles)');
  port('d_data', 'out', 'col', outW, 'D row, deskewed: all columns of the same row in the same cycle');

  const pe = new PeBuilder();
  const a = pe.moving('a', aW, lanes, 'a', 'left', { line: 'a_skew', signal: 'a_data' }, G > 1 ? `the A values of a step (${sparse ? '2:4 groups' : `${G} terms`}), moving right` : sparse ? 'the 2:4 group of A values, moving right' : 'A value, moving right', 'row');
  const av = pe.moving('av', 1, 1, 'a', 'left', { line: 'a_skew', signal: 'a_valid' }, 'term valid (row side), moving right with a');
  const acl = chunked ? pe.moving('acl', 1, 1, 'a', 'left', { line: 'a_skew', signal: 'a_close' }, 'close the chunk after this term, moving right with a') : null;
  const afi = fixed ? pe.moving('afi', 1, 1, 'a', 'left', { line: 'a_skew', signal: 'a_first' }, 'the term is its output\'s first, moving right with a') : null;
  const ala = fixed ? pe.moving('ala', 1, 1, 'a', 'left', { line: 'a_skew', signal: 'a_last' }, 'the term is its output\'s last, moving right with a') : null;
  const b = pe.moving('b', wW, G, 'b', 'above', { line: 'b_skew', signal: 'b_data' }, sparse ? 'kept slot value, moving down' : 'B value, moving down', 'col');
  const bi = sparse ? pe.moving('bi', IDX_WIDTH, G, 'b', 'above', { line: 'b_skew', signal: 'b_idx' }, 'slot index within the group, moving down with b') : null;
  const bv = pe.moving('bv', 1, 1, 'b', 'above', { line: 'b_skew', signal: 'b_valid' }, 'term valid (column side), moving down with b');
  const index = ctx.random
    ? {
        i: pe.moving('ai', INDEX_WIDTH, 1, 'a', 'left', { line: 'a_skew', signal: 'a_row' }, 'output row of the term, moving right with a'),
        t: pe.moving('at', INDEX_WIDTH, 1, 'a', 'left', { line: 'a_skew', signal: 'a_term' }, 'term index, moving right with a'),
        j: pe.moving('bj', INDEX_WIDTH, 1, 'b', 'above', { line: 'b_skew', signal: 'b_col' }, 'output column of the term, moving down with b'),
      }
    : null;
  const shift = pe.input('shift', 1, null, null, { line: 'sh', signal: 'c_shift' }, 'the column\'s output chain shifts this cycle');
  // The output chain: acc itself, the chunk total, or (fixed-point) a register of out codes beside
  // the register's state, which is no code of out.
  const chain = chunked ? 'total' : fixed ? 'd' : 'acc';
  const chainIn = pe.input(`${chain}_in`, outW, 'below', chain, { line: 'c_skew', signal: 'c_data' }, `${chain} of the PE below (C from the c_skew line in the bottom row)`);
  const t = termStage(pe, ctx, { a, av, w: b, wv: bv, wi: bi, close: acl, acc: reg('acc'), total: chunked ? reg('total') : null, moving: false, index, fixed: fixed ? { first: afi!, last: ala!, c: reg('d') } : null });
  if (fixed) {
    pe.register('acc', ctx.fixed!.stateWidth, 1, 'acc', 'the fixed-point register\'s state (reg, zero sign, special: rtl-gen/lib/fixed-add.ts)', t.addEn, t.sum);
    const done = and(t.addEn, t.last!);
    pe.register('d', outW, 1, 'acc', 'the output chain (C in at the bottom, D out at the top): C until the output\'s last term, then D', or(shift, done), mux(shift, chainIn, t.rounded!), 'output');
  } else if (!chunked) {
    // While the column shifts, acc is a stage of the output chain; the schedule never adds then.
    pe.register('acc', f.acc.width, 1, 'acc', 'accumulator; also the output chain (C in at the bottom, D out at the top)', or(shift, t.addEn), mux(shift, chainIn, t.sum));
  } else {
    pe.register('acc', f.acc.width, 1, 'acc', 'chunk accumulator (+0 after each chunk\'s last term)', t.addEn, chunkNext(ctx, t));
    pe.register('total', f.total!.width, 1, 'acc', 'chunk total; also the output chain (C in at the bottom, D out at the top)', or(shift, and(t.addEn, t.close!)), mux(shift, chainIn, t.totalSum!));
  }

  if (ctx.flags) stickyFlags(pe);
  const rows = range(R);
  const cols = range(C);
  const edge: LineDesc[] = [
    {
      name: 'a_skew', kind: 'skew', index: 'row', shared: false, sourceRow: null, depth: rows,
      signals: [
        { source: 'a_data', width: lanes * aW }, { source: 'a_valid', width: 1 }, ...(chunked ? [{ source: 'a_close', width: 1 }] : []),
        ...(fixed ? [{ source: 'a_first', width: 1 }, { source: 'a_last', width: 1 }] : []),
        ...(ctx.random ? [{ source: 'a_row', width: INDEX_WIDTH }, { source: 'a_term', width: INDEX_WIDTH }] : []),
      ],
      feeds: 'PE(r, 0): a, av' + (chunked ? ', acl' : '') + (fixed ? ', afi, ala' : '') + (ctx.random ? ', ai, at' : ''), meaning: 'delays row r by r cycles so that row r meets the columns one cycle after row r-1',
    },
    {
      name: 'b_skew', kind: 'skew', index: 'col', shared: false, sourceRow: null, depth: cols,
      signals: [{ source: 'b_data', width: G * wW }, ...(sparse ? [{ source: 'b_idx', width: G * IDX_WIDTH }] : []), { source: 'b_valid', width: 1 }, ...(ctx.random ? [{ source: 'b_col', width: INDEX_WIDTH }] : [])],
      feeds: 'PE(0, j): b, ' + (sparse ? 'bi, ' : '') + 'bv' + (ctx.random ? ', bj' : ''), meaning: 'delays column j by j cycles',
    },
    { name: 'c_skew', kind: 'skew', index: 'col', shared: false, sourceRow: null, signals: [{ source: 'c_data', width: outW }], depth: cols.map((j) => j + 1), feeds: `PE(R-1, j): ${chain} (chain input)`, meaning: 'C enters column j when column j shifts' },
    { name: 'sh', kind: 'skew', index: 'col', shared: true, sourceRow: null, signals: [{ source: 'c_shift', width: 1 }, { source: 'c_drain', width: 1 }], depth: cols.map((j) => j + 1), feeds: 'shift enable of column j (tap j: sh[j], dr[j])', meaning: 'column j shifts j+1 cycles after c_shift; d_valid = sh[C-1] & dr[C-1]' },
    { name: 'd_deskew', kind: 'deskew', index: 'col', shared: false, sourceRow: 0, signals: [{ source: chain, width: outW }], depth: cols.map((j) => C - 1 - j), feeds: 'd_data[j] (source: PE(0, j))', meaning: 'realigns the columns: d_data shows one whole D row per cycle' },
  ];
  const outputs: TopOutputDesc[] = [
    { port: 'd_data', expr: { op: 'deskew', line: 'd_deskew', signal: chain } },
    { port: 'd_valid', expr: { op: 'and', args: [{ op: 'tap', line: 'sh', signal: 'c_shift', element: C - 1 }, { op: 'tap', line: 'sh', signal: 'c_drain', element: C - 1 }] } },
  ];
  return dataflowParts(
    ctx,
    pe,
    ports,
    edge,
    outputs,
    `(C given ? R : 0) + nT·(2R + L·${G > 1 ? 'S' : 'T'} - 1 + D) + C,  nT = ceil(M/R)·ceil(N/C)`,
    [
        'term presented in cycle c: PE(r, j) has its operands in cycle c + r + j + 1 and adds it in c + r + j + 1 + D (D: pipeline.termDepth), its sum written L - 1 cycles later (L: pipeline.loop)',
        'terms are presented every L cycles: a cut adder makes a sum every other cycle',
        'shift presented in cycle c: column j shifts in cycle c + j + 1; the row shifted out is on d_data in cycle c + C',
      ],
  );
}
