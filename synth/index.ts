// Synthesis with Yosys (WebAssembly) and place and route with nextpnr: docs/synthesis.md.
export { defaultCacheDir, SynthCache } from './cache.js';
export { designFor, fp32Baseline, isFp32Accumulation, scopeConfig, synthesizeConfig, type Scope } from './config.js';
export { headlineArea, parseLtp, parseStat, type Resources } from './parse.js';
export { nextpnrRuns, placeAndRoute, PNR_DEVICE, type PnrResult } from './pnr.js';
export { synthesize, synthScript, SYNTH_VERSION, type SynthDesign, type SynthResult } from './synthesize.js';
export { CATEGORIES, parseTarget, TARGETS, targetSpec, type Category, type Target } from './targets.js';
export { runYosysScript, yosysRuns, yosysVersion, type VerilogFile } from './yosys.js';
