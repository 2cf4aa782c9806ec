// The generated arrays of random configurations (both dataflows, dense and 2:4, chunked or not,
// fused or not, with and without the multiplier register, every rounding mode (rsr's draw units
// included) and format option, dot-product cells (lanes, alignBits), float and fixed-point
// accumulators,
// shapes up to 4 x 4) are clean under `verilator --lint-only -Wall` and compile under
// `iverilog -g2005 -Wall` without a message. LBAMAC_RTL_LINT_CASES sets the count (default 30;
// the coverage check needs about 16).
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArrayConfig } from '../../config/resolve.js';
import { ROUNDING_MODES } from '../../core/format.js';
import { generateRtl, type GeneratedRtl } from '../../rtl-gen/generate.js';
import { requireTool } from '../../cosim/tools.js';
import { runAll } from '../support/run-all.js';
import { tempDir } from '../support/tmp.js';
import { randomArrayConfig } from './array-configs.js';

const COUNT = Number(process.env.LBAMAC_RTL_LINT_CASES ?? 30);
const SEED = 0x11a7;

function write(rtl: GeneratedRtl, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return rtl.files.map((f) => {
    writeFileSync(join(dir, f.path), f.text);
    return join(dir, f.path);
  });
}

describe('rtl-gen: generated arrays lint and compile', function () {
  this.timeout(300_000);
  const dir = tempDir('rtl-lint');
  const configs: { cfg: ArrayConfig; raw: Record<string, unknown> }[] = Array.from({ length: COUNT }, (_, i) => randomArrayConfig(SEED + i));

  it(`${COUNT} random configurations cover the options the issue lists`, () => {
    const has = (p: (c: ArrayConfig) => boolean) => configs.some(({ cfg }) => p(cfg));
    expect(has((c) => c.dataflow === 'os') && has((c) => c.dataflow === 'ws'), 'both dataflows').to.equal(true);
    expect(has((c) => c.sparsity === '2:4') && has((c) => c.sparsity === 'dense'), 'dense and 2:4').to.equal(true);
    expect(has((c) => c.chunk !== null) && has((c) => c.chunk === null), 'chunked and not').to.equal(true);
    expect(has((c) => c.product === null) && has((c) => c.product !== null), 'fused and not').to.equal(true);
    expect(has((c) => (c.pipeline?.stages ?? 0) >= 1), 'pipeline stages').to.equal(true);
    for (const m of ROUNDING_MODES) expect(has((c) => c.rounding.acc === m), `acc rounding ${m}`).to.equal(true);
    for (const s of ['ieee', 'fn', 'none']) expect(has((c) => c.acc.specials === s || c.a.specials === s), `specials ${s}`).to.equal(true);
    expect(has((c) => !c.acc.subnormals) && has((c) => c.acc.subnormals), 'subnormals on and off').to.equal(true);
    expect(has((c) => c.rows === 4 && c.cols === 4), 'a 4 x 4 array').to.equal(true);
    expect(has((c) => (c.lanes ?? 1) > 1 && c.product === null) && has((c) => (c.lanes ?? 1) > 1 && c.product !== null), 'dot-product cells, fused and rounded').to.equal(true);
    expect(has((c) => (c.lanes ?? 1) > 1 && c.sparsity === '2:4') && has((c) => (c.lanes ?? 1) > 1 && c.flags === true), 'dot-product cells with 2:4 and with flags').to.equal(true);
    expect(has((c) => (c.lanes ?? 1) > 1 && (c.pipeline?.stages ?? 0) === 1), 'a dot-product cell with its products registered').to.equal(true);
    expect(has((c) => c.fixed !== undefined && c.dataflow === 'os') && has((c) => c.fixed !== undefined && c.dataflow === 'ws'), 'fixed-point accumulators in both dataflows').to.equal(true);
    expect(has((c) => c.fixed !== undefined && c.fixed.width > 50), 'a fixed-point register wider than the simulator takes').to.equal(true);
  });

  it('verilator --lint-only -Wall reports nothing and iverilog -g2005 -Wall compiles silently', async () => {
    requireTool('verilator');
    requireTool('iverilog');
    const cmds = configs.flatMap(({ cfg, raw }, i) => {
      const rtl = generateRtl(cfg);
      const files = write(rtl, join(dir, `cfg${i}`));
      return [
        { label: `verilator on ${JSON.stringify(raw)}`, args: ['verilator', '--lint-only', '-Wall', '--top-module', rtl.top, ...files] },
        { label: `iverilog on ${JSON.stringify(raw)}`, args: ['iverilog', '-g2005', '-Wall', '-o', join(dir, `cfg${i}`, 'a.vvp'), ...files] },
      ];
    });
    const problems = (await runAll(cmds)).filter((r) => r.status !== 0 || r.text).map((r) => `${r.label}:\n${r.text.slice(0, 2000)}`);
    expect(problems, problems.join('\n\n')).to.deep.equal([]);
  });
});
