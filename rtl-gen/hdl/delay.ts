// A delay line: `depth` registers in series, all reset to 0. The edge lines of the array (input
// skew, output deskew) are built from it.
import { Body, makeModule, type VModule } from '../back/module.js';
import { lit, range, slice } from '../back/verilog.js';

/** lbamac_delay_w<W>_d<D>: `delayed` is `value` from `depth` cycles before (depth >= 1). */
export function delayModule(width: number, depth: number): VModule {
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`delayModule: depth ${depth} (depth 0 is a wire)`);
  const total = width * depth;
  const b = new Body();
  b.comment(`stages[${width}*k +: ${width}] holds \`value\` from k+1 cycles before.`);
  b.decl(`reg ${range(total)}`.trimEnd(), 'stages');
  b.blank();
  const next = depth === 1 ? 'value' : `{${slice('stages', total, total - width - 1, 0)}, value}`;
  b.line('always @(posedge clk) begin');
  b.line(`  if (rst) stages <= ${lit(total, 0)};`);
  b.line(`  else     stages <= ${next};`);
  b.line('end');
  b.blank();
  b.line(`assign delayed = ${slice('stages', total, total - 1, total - width)};`);
  return makeModule({
    kind: 'delay',
    nameParts: [`w${width}`, `d${depth}`],
    summary: [`A ${width}-bit delay line of ${depth} register${depth === 1 ? '' : 's'}: delayed = value from ${depth} cycle${depth === 1 ? '' : 's'} before.`, 'Synchronous active-high reset clears every stage.'],
    config: [
      ['width', `${width} bits`],
      ['depth', `${depth} cycles`],
    ],
    source: 'rtl-gen/hdl/delay.ts',
    ports: [
      { dir: 'input', name: 'clk', width: 1 },
      { dir: 'input', name: 'rst', width: 1 },
      { dir: 'input', name: 'value', width },
      { dir: 'output', name: 'delayed', width },
    ],
    body: b,
  });
}
