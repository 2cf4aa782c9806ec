// One module through Yosys (synth -flatten) for the unit tests that run the netlist under Icarus
// against the core: its gate netlist and cell count, with Yosys warnings refused.
import { runYosys } from '@yowasp/yosys';
import { expect } from 'chai';
import { Design, type VModule } from '../../rtl-gen/back/module.js';

export const asText = (f: unknown) => (typeof f === 'string' ? f : new TextDecoder().decode(f as Uint8Array));

/** Runs a Yosys script on the files and returns the files it wrote; a failure shows the log's
 *  end, and a warning fails the test. */
export async function yosysScript(script: string, files: Record<string, string>): Promise<Record<string, unknown>> {
  let log = '';
  const collect = (bytes: Uint8Array | null) => {
    if (bytes) log += new TextDecoder().decode(bytes);
  };
  let tree: Record<string, unknown>;
  try {
    tree = (await runYosys(['-q', '-p', script], files, { stdout: collect, stderr: collect })) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`yosys failed: ${(e as Error).message}\n${log.slice(-3000)}`);
  }
  expect(log).not.to.match(/warning/i);
  return tree;
}

/** Synthesizes m (with its submodules), prints and returns its cell count and the netlist's text. */
export async function synthesizeNetlist(m: VModule): Promise<{ cells: number; netlist: string }> {
  const design = new Design();
  design.add(m);
  const files: Record<string, string> = {};
  for (const f of design.files()) files[f.path] = f.text;
  const script = [
    `read_verilog ${Object.keys(files).join(' ')}`,
    `hierarchy -check -top ${m.name}`,
    'proc',
    'check -assert',
    `synth -flatten -top ${m.name}`,
    'check -assert',
    'tee -q -o stat.txt stat',
    'write_verilog -noattr netlist.v',
  ].join('; ');
  const tree = await yosysScript(script, files);
  const stat = asText(tree['stat.txt']);
  const cells = /Number of cells:\s+(\d+)/.exec(stat);
  expect(cells, stat).to.not.equal(null);
  console.log(`        ${m.name}: ${cells![1]} cells`);
  return { cells: Number(cells![1]), netlist: asText(tree['netlist.v']) };
}
