// Small hand-written designs for the synthesis tests: known flip-flop counts and a feedback loop
// through registers (which the depth measurement must cut at the flip-flops).
import type { SynthDesign } from '../../synth/synthesize.js';

/** An 8-bit accumulator with enable and synchronous reset: 8 flip-flops, an adder in a loop. */
export function acc8(tag = ''): SynthDesign {
  const text = [
    `// acc8${tag}`,
    'module acc8 (input wire clk, input wire rst, input wire en, input wire [7:0] x, output reg [7:0] s);',
    "  always @(posedge clk) if (rst) s <= 8'd0; else if (en) s <= s + x;",
    'endmodule',
    '',
  ].join('\n');
  return { files: [{ path: 'acc8.v', text }], top: 'acc8', source: { fixture: 'acc8', tag } };
}

/** 300 inputs inverted onto 300 outputs: 600 port bits, more than any iCE40 package has pins. */
export function wide(): SynthDesign {
  const text = 'module wide (input wire [299:0] x, output wire [299:0] y);\n  assign y = ~x;\nendmodule\n';
  return { files: [{ path: 'wide.v', text }], top: 'wide', source: { fixture: 'wide' } };
}
