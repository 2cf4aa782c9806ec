// Leading-zero counter: the normalization step of the rounders and adders.
import { Body, makeModule, type VModule } from '../back/module.js';
import { bitsFor, lit } from '../back/verilog.js';

/** lbamac_clz_w<W>: the number of leading zeros of a W-bit value (W when it is zero). */
export function clzModule(width: number): VModule {
  if (!Number.isInteger(width) || width < 1) throw new Error(`clz: bad width ${width}`);
  const cw = bitsFor(width);
  const body = new Body()
    .line('integer i;')
    .blank()
    .comment('A priority encoder: the highest set bit is the last one the loop sees.')
    .line('always @* begin')
    .line(`  count = ${lit(cw, width)};`)
    .line(`  for (i = 0; i < ${width}; i = i + 1)`)
    .line(`    if (value[i]) count = ${lit(cw, width - 1)} - i[${cw - 1}:0];`)
    .line('end');
  return makeModule({
    kind: 'clz',
    nameParts: [`w${width}`],
    summary: [`Counts the leading zeros of a ${width}-bit value (${width} when the value is zero).`],
    config: [['width', String(width)]],
    source: 'rtl-gen/lib/clz.ts',
    ports: [
      { dir: 'input', name: 'value', width },
      { dir: 'output', name: 'count', width: cw, reg: true },
    ],
    body,
  });
}

/** Bits of the count a clz of this width outputs. */
export function clzCountBits(width: number): number {
  return bitsFor(width);
}
