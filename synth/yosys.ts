// Yosys as WebAssembly (@yowasp/yosys): one run is a script over in-memory Verilog files, and the
// files the script writes come back. Loaded on first use, so that importing the synthesis code
// (the CLI, the sweep's area provider) costs nothing until something is synthesized.
import { LbamacError } from '../core/errors.js';

export interface VerilogFile {
  path: string;
  text: string;
}

/** How many times Yosys actually ran in this process (the cache tests count on it). */
export const yosysRuns = { count: 0 };

type YosysModule = typeof import('@yowasp/yosys');
let loaded: Promise<YosysModule> | undefined;

async function yosysModule(): Promise<YosysModule> {
  loaded ??= import('@yowasp/yosys').catch((e: unknown) => {
    loaded = undefined;
    throw new LbamacError(`@yowasp/yosys could not be loaded (${(e as Error).message}); run \`npm install\` in the lbamac directory`);
  });
  return loaded;
}

/** The @yowasp/yosys package version, e.g. 0.55.944 (Yosys 0.55, YoWASP build 944): part of every cache key. */
export async function yosysVersion(): Promise<string> {
  return (await yosysModule()).version;
}

function text(file: unknown): string {
  return typeof file === 'string' ? file : new TextDecoder().decode(file as Uint8Array);
}

/**
 * Runs `commands` (after reading every file) and returns the named output files and the log.
 * A failing script is a bug in the generated Verilog or in the script, never the user's input,
 * so it throws a plain Error carrying the end of the log.
 */
export async function runYosysScript(files: readonly VerilogFile[], commands: readonly string[], outputs: readonly string[]): Promise<{ outputs: Record<string, string>; log: string }> {
  const { runYosys } = await yosysModule();
  const tree: Record<string, string> = {};
  for (const f of files) tree[f.path] = f.text;
  const script = [`read_verilog ${files.map((f) => f.path).join(' ')}`, ...commands].join('; ');
  let log = '';
  const collect = (bytes: Uint8Array | null) => {
    if (bytes) log += new TextDecoder().decode(bytes);
  };
  yosysRuns.count++;
  let result: Record<string, unknown>;
  try {
    result = (await runYosys(['-q', '-p', script], tree, { stdout: collect, stderr: collect })) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`yosys failed: ${(e as Error).message}\nscript: ${script}\n${log.slice(-4000)}`);
  }
  const out: Record<string, string> = {};
  for (const name of outputs) {
    if (!(name in result)) throw new Error(`yosys wrote no ${name}\nscript: ${script}\n${log.slice(-4000)}`);
    out[name] = text(result[name]);
  }
  return { outputs: out, log };
}
