// Verilog generation: emission helpers (back/), the arithmetic units (lib/), the array's blocks
// (hdl/) and generateRtl, which writes a configuration's whole array.
export { Body, Design, generatorInfo, makeModule, MAX_NAME_LENGTH, moduleFileText, shortHash, unitName, type Port, type VModule } from './back/module.js';
export { addModule } from './lib/add.js';
export { clzModule } from './lib/clz.js';
export { fmaModule } from './lib/fma.js';
export { mulModule } from './lib/mul.js';
export { FLAG_BITS, FLAGS_WIDTH, overflowMagnitude, roundModule } from './lib/round.js';
export { fileHeader, generateRtl, type GeneratedRtl } from './generate.js';
export { configHash, configJson, configRows } from './hdl/config-text.js';
