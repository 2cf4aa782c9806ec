import { benchOnnxCase } from './bench/onnx.js';
for (let i = 0; i < 3; i++) { const r = benchOnnxCase(0, 15); console.log(r.ratio.toFixed(2), (r.convSeconds*1000).toFixed(1), (r.gemmSeconds*1000).toFixed(1)); }
