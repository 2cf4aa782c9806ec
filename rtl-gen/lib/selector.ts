// The 2:4 sparse operand selector: a 4:1 multiplexer that picks, out of the group of 4 A values
// a row carries, the one whose slot the compressed weight kept.
import { Body, makeModule, type VModule } from '../back/module.js';
import { slice } from '../back/verilog.js';
/** Width of the slot index (0..3 within the group). */
const IDX_WIDTH = 2;

/** lbamac_select24_w<W>: value = group lane `index` (lane 0 in the least significant bits). */
export function selectorModule(width: number): VModule {
  const b = new Body();
  const G = 4 * width;
  const lanes = [0, 1, 2, 3].map((q) => slice('group', G, (q + 1) * width - 1, q * width));
  b.line('assign value = (index == 2\'d0) ? ' + lanes[0] + ' :');
  b.line('               (index == 2\'d1) ? ' + lanes[1] + ' :');
  b.line('               (index == 2\'d2) ? ' + lanes[2] + ' :');
  b.line('                                 ' + lanes[3] + ';');
  return makeModule({
    kind: 'select24',
    nameParts: [`w${width}`],
    summary: [
      '2:4 sparse operand selector: of the 4 values of a group (A[m][4g..4g+3]), the one in the slot',
      'the compressed weight kept (its index 0..3 travels with the weight).',
    ],
    config: [['width', `${width} bits per value, 4 lanes`]],
    source: 'rtl-gen/lib/selector.ts',
    ports: [
      { dir: 'input', name: 'group', width: G, comment: 'lane q at bits [q*W +: W]' },
      { dir: 'input', name: 'index', width: IDX_WIDTH },
      { dir: 'output', name: 'value', width },
    ],
    body: b,
  });
}
