// The synthesis targets: which Yosys script maps the design, how the mapped cells group into
// resources, and which cells are flip-flops (so the logic depth stops at them).
import { LbamacError } from '../core/errors.js';

export const TARGETS = ['ice40', 'ecp5', 'xilinx', 'gates'] as const;
export type Target = (typeof TARGETS)[number];

/** What a mapped cell counts as. `gate` exists only for the technology-independent target. */
export const CATEGORIES = ['lut', 'ff', 'carry', 'dsp', 'bram', 'lutram', 'mux', 'gate'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface TargetSpec {
  name: Target;
  /** Yosys commands that synthesize and map `top`, flattened. */
  synth(top: string): string[];
  /** Selection of the flip-flop cells, removed from the selection the depth is measured on. */
  ffSelection: string;
  /** Cell type to category; a type matching none is listed as "other". */
  categories: readonly [Category, RegExp][];
  /** The headline area: a weighted sum of categories, and its unit. */
  area: { weights: Partial<Record<Category, number>>; unit: string };
}

/**
 * The technology-independent count: generic synthesis without ABC, flip-flops with enable or
 * synchronous reset turned into plain flip-flops plus the multiplexers that emulate them (so
 * that the enable logic is counted as gates, whatever a library would absorb), then ABC onto
 * 2-input AND, NAND, OR, NOR, XOR, XNOR and 2:1 MUX (NOT is always allowed).
 */
const GATES: TargetSpec = {
  name: 'gates',
  synth: (top) => [`synth -flatten -noabc -top ${top}`, 'dffunmap', 'abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX', 'opt_clean'],
  ffSelection: 't:$_*DFF* t:$_DLATCH*',
  categories: [
    ['ff', /^\$_(S?DFF|DFFE|ALDFF|DLATCH|SR_)/],
    ['gate', /^\$_(AND|NAND|OR|NOR|XOR|XNOR|ANDNOT|ORNOT|MUX|NOT|BUF)_$/],
  ],
  area: { weights: { gate: 1, ff: 1 }, unit: 'gates+FFs' },
};

const ICE40: TargetSpec = {
  name: 'ice40',
  // No -dsp: the SB_MAC16 exists only on the UltraPlus parts, and --pnr places on an HX8K.
  synth: (top) => [`synth_ice40 -flatten -top ${top}`],
  ffSelection: 't:SB_DFF*',
  categories: [
    ['lut', /^SB_LUT4$/],
    ['carry', /^SB_CARRY$/],
    ['ff', /^SB_DFF/],
    ['dsp', /^SB_MAC16$/],
    ['bram', /^SB_RAM40_4K/],
  ],
  area: { weights: { lut: 1 }, unit: 'LUT4' },
};

const ECP5: TargetSpec = {
  name: 'ecp5',
  synth: (top) => [`synth_ecp5 -flatten -top ${top}`],
  ffSelection: 't:TRELLIS_FF',
  categories: [
    ['lut', /^LUT4$/],
    ['mux', /^(PFUMX|L6MUX21)$/],
    ['carry', /^CCU2C$/],
    ['ff', /^TRELLIS_FF$/],
    ['dsp', /^(MULT18X18D|ALU54B)$/],
    ['bram', /^(DP16KD|PDPW16KD)$/],
    ['lutram', /^TRELLIS_DPR16X4$/],
  ],
  // A CCU2C is two LUT4s with their carry logic: Yosys maps small adders into CCU2Cs alone.
  area: { weights: { lut: 1, carry: 2 }, unit: 'LUT4' },
};

const XILINX: TargetSpec = {
  name: 'xilinx',
  // Out of context (no I/O or clock buffers): the PE and the array are measured as blocks.
  synth: (top) => [`synth_xilinx -flatten -noiopad -noclkbuf -top ${top}`],
  ffSelection: 't:FD*',
  categories: [
    ['lut', /^(LUT[1-6]|INV)$/], // INV is a LUT1
    ['mux', /^MUXF[78]$/],
    ['carry', /^CARRY[48]$/],
    ['ff', /^FD[RSCP]E/],
    ['dsp', /^DSP48/],
    ['bram', /^RAMB(18|36)/],
    ['lutram', /^(RAM\d+[XM]|SRL)/],
  ],
  area: { weights: { lut: 1 }, unit: 'LUT' },
};

const SPECS: Record<Target, TargetSpec> = { gates: GATES, ice40: ICE40, ecp5: ECP5, xilinx: XILINX };

export function parseTarget(name: string): Target {
  if ((TARGETS as readonly string[]).includes(name)) return name as Target;
  throw new LbamacError(`unknown synthesis target "${name}"; allowed: ${TARGETS.join(', ')}`);
}

export function targetSpec(target: Target): TargetSpec {
  return SPECS[target];
}
