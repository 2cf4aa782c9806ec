// Verilog generation: emission helpers (back/) and the arithmetic units (lib/).
export { Body, Design, generatorInfo, makeModule, MAX_NAME_LENGTH, moduleFileText, shortHash, unitName, type Port, type VModule } from './back/module.js';
export { addModule } from './lib/add.js';
export { clzModule } from './lib/clz.js';
export { fmaModule } from './lib/fma.js';
export { mulModule } from './lib/mul.js';
export { FLAG_BITS, FLAGS_WIDTH, overflowMagnitude, roundModule } from './lib/round.js';
