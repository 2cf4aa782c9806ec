// Population count: how many bits of a vector are set. The dot-product adder counts its negative
// terms with it (the +1s that turn ones' complements into two's complements) and its swamped
// products.
import { Body, makeModule, type VModule } from '../back/module.js';
import { bitsFor, lit, zeros } from '../back/verilog.js';

/** lbamac_popcount_w<W>: the number of set bits of a W-bit value (0..W). */
export function popcountModule(width: number): VModule {
  if (!Number.isInteger(width) || width < 1) throw new Error(`popcount: bad width ${width}`);
  const cw = bitsFor(width);
  const body = new Body();
  if (width === 1) {
    body.line('always @* count = value;  // one bit: the count is the bit');
  } else {
    body
      .line('integer i;')
      .blank()
      .comment('A chain of increments as written; synthesis merges it into one adder tree.')
      .line('always @* begin')
      .line(`  count = ${lit(cw, 0)};`)
      .line(`  for (i = 0; i < ${width}; i = i + 1)`)
      .line(`    count = count + {${zeros(cw - 1)}, value[i]};`)
      .line('end');
  }
  return makeModule({
    kind: 'popcount',
    nameParts: [`w${width}`],
    summary: [`Counts the set bits of a ${width}-bit value (0..${width}).`],
    config: [['width', String(width)]],
    source: 'rtl-gen/lib/popcount.ts',
    ports: [
      { dir: 'input', name: 'value', width },
      { dir: 'output', name: 'count', width: cw, reg: true },
    ],
    body,
  });
}
