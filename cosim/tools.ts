// The external simulators that co-simulation and the testbenches run, with a clear error naming
// the install command when one is missing.
import { spawnSync } from 'node:child_process';
import { LbamacError } from '../core/errors.js';

export type Tool = 'verilator' | 'iverilog';

const INSTALL: Record<Tool, { check: string[]; pkg: string }> = {
  verilator: { check: ['--version'], pkg: 'verilator' },
  iverilog: { check: ['-V'], pkg: 'iverilog' },
};

const versions = new Map<Tool, string>();

/**
 * The tool's version line; throws naming `apt-get install <pkg>` when it is not on PATH.
 * `env` replaces the environment for the lookup (tests use it to hide the tool).
 */
export function requireTool(tool: Tool, env?: NodeJS.ProcessEnv): string {
  const known = env ? undefined : versions.get(tool);
  if (known) return known;
  const r = spawnSync(tool, INSTALL[tool].check, { encoding: 'utf8', env: env ?? process.env });
  if (r.error || r.status === null) {
    throw new LbamacError(
      `${tool} is not installed (or not on PATH): install it with \`apt-get install ${INSTALL[tool].pkg}\` ` +
        `(as root; or run scripts/ensure-tools.sh), then rerun.`,
    );
  }
  const version = `${r.stdout}${r.stderr}`.split('\n').find((l) => l.trim().length > 0)?.trim() ?? tool;
  if (!env) versions.set(tool, version);
  return version;
}
