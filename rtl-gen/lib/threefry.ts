// The draw of a stochastic rounding (docs/arithmetic.md §2, rsr): the Verilog of
// core/random-stream.ts's `draw`, Threefry-2x32 of counter (t, i) under key (seed, j), unrolled into
// combinational adders, rotations (wiring) and XORs. The seed is a constant of the configuration,
// so the key injections that add it are adders with a constant operand.
import { DRAW_SOURCE, type DrawKind, type RandomSpec, THREEFRY_PARITY, THREEFRY_ROTATIONS, THREEFRY_ROUNDS } from '../../core/random-stream.js';
import { Body, makeModule, type VModule } from '../back/module.js';
import { hex, lit } from '../back/verilog.js';

/** `x` rotated left by d bits (32-bit words). */
function rotl(x: string, d: number): string {
  return `{${x}[${31 - d}:0], ${x}[31:${32 - d}]}`;
}

/** lbamac_draw_<kind>_r<R>_s<seed>: ports row, col, term (i, j, t: 32 bits each) -> r (R bits). */
export function drawModule(random: RandomSpec, kind: DrawKind): VModule {
  const R = random.bits;
  const { invertSeed, word } = DRAW_SOURCE[kind];
  const k0 = (invertSeed ? ~random.seed : random.seed) >>> 0;
  const b = new Body();
  b.comment(
    `Threefry-2x32, ${THREEFRY_ROUNDS} rounds: counter (term, row), key (${hex(32, k0)}${invertSeed ? ' = ~seed' : ' = seed'}, col).`,
    'A round adds x1 into x0, rotates x1 and XORs x0 into it; after every fourth round the key',
    'schedule (k0, col, k0 ^ col ^ parity, in turn) and the injection count are added.',
  );
  b.wire(32, 'ks2', `${hex(32, k0)} ^ col ^ ${hex(32, THREEFRY_PARITY)}`, 'the third key word');
  const keyWord = (n: number): string => (n === 0 ? hex(32, k0) : n === 1 ? 'col' : 'ks2');
  b.wire(32, 'x0_0', `term + ${hex(32, k0)}`);
  b.wire(32, 'x1_0', 'row + col');
  let x0 = 'x0_0';
  let x1 = 'x1_0';
  for (let r = 0; r < THREEFRY_ROUNDS; r++) {
    const last = r === THREEFRY_ROUNDS - 1;
    const d = THREEFRY_ROTATIONS[r % 8]!;
    const n0 = `x0_${r + 1}`;
    const n1 = `x1_${r + 1}`;
    const inject = r % 4 === 3;
    const s = (r + 1) / 4;
    // The block's word 0 is x0 after the last round; word 1 is x1 (computed only when drawn).
    if (last && word === 0) {
      drawWire(b, R, `${x0} + ${x1}`);
      break;
    }
    b.wire(32, inject ? `${n0}_mix` : n0, `${x0} + ${x1}`);
    if (last) {
      drawWire(b, R, `${rotl(x1, d)} ^ ${n0}`);
      break;
    }
    b.wire(32, inject ? `${n1}_mix` : n1, `${rotl(x1, d)} ^ ${inject ? `${n0}_mix` : n0}`);
    if (inject) {
      b.wire(32, n0, `${n0}_mix + ${keyWord(s % 3)}`, `key injection ${s}`);
      b.wire(32, n1, `${n1}_mix + ${keyWord((s + 1) % 3)} + ${lit(32, s)}`);
    }
    x0 = n0;
    x1 = n1;
  }
  return makeModule({
    kind: 'draw',
    nameParts: [kind, `r${R}`, `s${random.seed.toString(16).padStart(8, '0')}`],
    summary: [
      `The ${R}-bit draw of a term's ${kind} rounding under rsr (docs/arithmetic.md section 2; core/random-stream.ts draw):`,
      `the top ${R} bits of word ${word} of Threefry-2x32 of counter (t, i) under key (${invertSeed ? '~seed' : 'seed'}, j).`,
    ],
    config: [
      ['seed', hex(32, random.seed)],
      ['random bits', String(R)],
      ['rounds', String(THREEFRY_ROUNDS)],
    ],
    source: 'rtl-gen/lib/threefry.ts',
    ports: [
      { dir: 'input', name: 'row', width: 32, comment: 'i: output row of the term' },
      { dir: 'input', name: 'col', width: 32, comment: 'j: output column of the term' },
      { dir: 'input', name: 'term', width: 32, comment: 't: term index (docs/arithmetic.md section 3)' },
      { dir: 'output', name: 'r', width: R, comment: 'the draw' },
    ],
    body: b,
  });
}

/** The drawn word and its top R bits on r (the rest of the word is not drawn). */
function drawWire(b: Body, R: number, expr: string): void {
  if (R < 32) b.line('/* verilator lint_off UNUSEDSIGNAL */');
  b.wire(32, 'word', expr, R < 32 ? `the draw is its top ${R} bits` : 'the draw');
  if (R < 32) b.line('/* verilator lint_on UNUSEDSIGNAL */');
  b.line(`assign r = word[31:${32 - R}];`);
}
