// Runs a generated array top under Icarus on the simulator's own port trace: every input port of
// every cycle is read from a $readmemh file, every output port of every cycle is written out, and
// the outputs are compared with the simulator's, cycle by cycle (a smoke test of rtl-gen; the
// co-simulation proper is cosim/ under Verilator).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Arch, PortDesc } from '../../arch/types.js';
import type { GeneratedRtl } from '../../rtl-gen/generate.js';
import { range } from '../../rtl-gen/back/verilog.js';
import { simulate, type SimJob, type SimResult } from '../../sim/simulate.js';
import { requireTool } from '../../cosim/tools.js';

export interface PortTrace {
  /** Per cycle, per signal port (arch order): the packed port value. */
  cycles: Map<string, bigint>[];
  result: SimResult;
}

function signalPorts(arch: Arch, dir: 'in' | 'out'): PortDesc[] {
  return arch.ports.filter((p) => p.kind === 'signal' && p.dir === dir);
}

function pack(p: PortDesc, elems: ArrayLike<number>): bigint {
  let v = 0n;
  for (let e = p.count - 1; e >= 0; e--) v = (v << BigInt(p.elemWidth)) | BigInt(elems[e]!);
  return v;
}

/** The simulator's value of every signal port in every cycle. */
export function portTrace(arch: Arch, job: SimJob): PortTrace {
  const cycles: Map<string, bigint>[] = [];
  const ports = arch.ports.filter((p) => p.kind === 'signal');
  const result = simulate(arch, job, {
    onCycle: (_x, values) => cycles.push(new Map(ports.map((p) => [p.name, pack(p, values[p.name]!)]))),
  });
  return { cycles, result };
}

function hexWord(ports: PortDesc[], values: Map<string, bigint>): string {
  let w = 0n;
  for (const p of ports) w = (w << BigInt(p.width)) | values.get(p.name)!;
  const bits = ports.reduce((n, p) => n + p.width, 0);
  return w.toString(16).padStart(Math.ceil(bits / 4), '0');
}

function testbench(arch: Arch, cycles: number): string {
  const ins = signalPorts(arch, 'in');
  const outs = signalPorts(arch, 'out');
  const inBits = ins.reduce((n, p) => n + p.width, 0);
  return [
    '// Replays the simulator\'s input ports cycle by cycle and writes every output port each cycle.',
    '`timescale 1ns/1ps',
    'module array_tb;',
    '  reg clk = 1\'b0;',
    '  reg rst = 1\'b1;',
    ...ins.map((p) => `  reg  ${range(p.width).padEnd(9)} ${p.name};`),
    ...outs.map((p) => `  wire ${range(p.width).padEnd(9)} ${p.name};`),
    `  reg [${inBits - 1}:0] stimulus [0:${cycles - 1}];`,
    '  integer x;',
    '  integer f;',
    `  ${arch.top} dut (${arch.ports.map((p) => `.${p.name}(${p.name})`).join(', ')});`,
    '  always #5 clk = ~clk;',
    '  initial begin',
    '    $readmemh("stimulus.hex", stimulus);',
    `    {${ins.map((p) => p.name).join(', ')}} = ${inBits}'d0;`,
    '    f = $fopen("outputs.hex", "w");',
    '    @(posedge clk);',
    '    @(posedge clk);',
    `    for (x = 0; x < ${cycles}; x = x + 1) begin`,
    '      @(negedge clk);',
    '      rst = 1\'b0;',
    `      {${ins.map((p) => p.name).join(', ')}} = stimulus[x];`,
    '      #1;',
    `      $fwrite(f, "${outs.map(() => '%h').join(' ')}\\n", ${outs.map((p) => p.name).join(', ')});`,
    '    end',
    '    $fclose(f);',
    '    $finish;',
    '  end',
    'endmodule',
    '',
  ].join('\n');
}

/** Per cycle, the output ports the RTL drove (arch order of the signal outputs). */
export function runArrayIcarus(rtl: GeneratedRtl, trace: PortTrace, dir: string): Map<string, bigint>[] {
  requireTool('iverilog');
  const arch = rtl.arch;
  const paths = rtl.files.map((f) => {
    writeFileSync(join(dir, f.path), f.text);
    return join(dir, f.path);
  });
  writeFileSync(join(dir, 'array_tb.v'), testbench(arch, trace.cycles.length));
  const ins = signalPorts(arch, 'in');
  writeFileSync(join(dir, 'stimulus.hex'), trace.cycles.map((c) => hexWord(ins, c)).join('\n') + '\n');
  const compile = spawnSync('iverilog', ['-g2005', '-o', join(dir, 'tb.vvp'), join(dir, 'array_tb.v'), ...paths], { encoding: 'utf8' });
  if (compile.status !== 0) throw new Error(`iverilog failed:\n${compile.stdout}${compile.stderr}`);
  const run = spawnSync('vvp', ['-n', join(dir, 'tb.vvp')], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`vvp failed (${run.status}):\n${run.stdout}${run.stderr}`);
  const outs = signalPorts(arch, 'out');
  const lines = readFileSync(join(dir, 'outputs.hex'), 'utf8').trim().split('\n');
  return lines.map((l) => {
    const words = l.trim().split(/\s+/);
    return new Map(outs.map((p, i) => [p.name, /^[0-9a-f]+$/i.test(words[i]!) ? BigInt(`0x${words[i]}`) : -1n]));
  });
}

/** The first cycle where an output port differs, described by cycle, port and element; null when none. */
export function firstMismatch(arch: Arch, sim: Map<string, bigint>[], rtl: Map<string, bigint>[]): string | null {
  if (rtl.length !== sim.length) return `the RTL ran ${rtl.length} cycles, the simulator ${sim.length}`;
  const outs = signalPorts(arch, 'out');
  for (let x = 0; x < sim.length; x++) {
    for (const p of outs) {
      const a = sim[x]!.get(p.name)!;
      const b = rtl[x]!.get(p.name)!;
      if (a === b) continue;
      if (b < 0n) return `cycle ${x}: ${p.name} is X/Z in the RTL`;
      const mask = (1n << BigInt(p.elemWidth)) - 1n;
      for (let e = 0; e < p.count; e++) {
        const ea = (a >> BigInt(e * p.elemWidth)) & mask;
        const eb = (b >> BigInt(e * p.elemWidth)) & mask;
        if (ea !== eb) return `cycle ${x}: ${p.name}[${e}] (${p.index} ${e}) is 0x${eb.toString(16)} in the RTL, 0x${ea.toString(16)} in the simulator`;
      }
    }
  }
  return null;
}

/** D from the RTL's output ports, for a job that is one tile (M <= R, N <= C; WS: T <= R). */
export function singleTileD(arch: Arch, rtl: Map<string, bigint>[], M: number, N: number): number[][] {
  const port = arch.dataflow === 'os' ? 'd_data' : arch.chunk !== null ? 'd_total' : 'd_acc';
  const w = BigInt(arch.formats.out.width);
  const rows = rtl.filter((c) => c.get('d_valid') === 1n).map((c) => c.get(port)!);
  return rows.slice(0, M).map((v) => Array.from({ length: N }, (_, j) => Number((v >> (BigInt(j) * w)) & ((1n << w) - 1n))));
}
