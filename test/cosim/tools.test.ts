import { expect } from 'chai';
import { requireTool } from '../../cosim/tools.js';

describe('cosim: external simulators', () => {
  it('a missing simulator fails with the command that installs it', () => {
    expect(() => requireTool('verilator', { PATH: '/nonexistent' })).to.throw(/apt-get install verilator/);
    expect(() => requireTool('iverilog', { PATH: '/nonexistent' })).to.throw(/apt-get install iverilog/);
    expect(requireTool('verilator')).to.match(/Verilator \d/);
  });
});
