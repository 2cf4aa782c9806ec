// Entry point: `node dist/cli/main.js …` (what bin/lbamac loads) or `node --import tsx cli/main.ts …`.
import { hideBin } from 'yargs/helpers';
import { runCli } from './app.js';

// A reader that stops early (`lbamac gemm … | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

// exitCode rather than process.exit(): pending stdout writes (a large D) still get flushed.
process.exitCode = await runCli(hideBin(process.argv));
