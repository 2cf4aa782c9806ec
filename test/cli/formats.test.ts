import { expect } from 'chai';
import { lbamac } from './run.js';

describe('cli: formats', function () {
  this.timeout(30_000); // each case spawns node
  it('without an argument shows the named formats plus the accumulators e4m7_b10 and e5m7', () => {
    const r = lbamac('formats');
    expect(r.status).to.equal(0);
    const firstColumn = r.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0]);
    expect(firstColumn).to.deep.equal(['fp32', 'fp16', 'bf16', 'e5m2', 'e4m3', 'e4m7_b10', 'e5m7']);
    // The paper's accumulator: bias 10, largest finite 31.875.
    expect(r.stdout).to.match(/^e4m7_b10\s+e4m7_b10\s+12\s+10\s+ieee\s+inf\s+31\.875\s/m);
    expect(r.stdout).to.match(/^e4m3\s+e4m3\s+8\s+7\s+fn\s+saturate\s+448\s/m);
  });

  it('e4m3: largest finite 448 = 1.75·2^8, fn NaN codes, no inf', () => {
    const r = lbamac('formats', 'e4m3');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/largest finite\s+448 = 1\.75·2\^8 {2}\(0x7e\)/);
    expect(r.stdout).to.match(/smallest subnormal\s+0\.001953125 = 2\^-9/);
    expect(r.stdout).to.match(/^inf\s+none$/m);
    expect(r.stdout).to.match(/^NaN\s+0x7f, 0xff \(canonical 0x7f\)$/m);
    expect(r.stdout).to.match(/precision\s+4 bits/);
  });

  it('fp16 --json gives exact values and codes', () => {
    const r = lbamac('formats', 'fp16', '--json');
    expect(r.status).to.equal(0);
    const d = JSON.parse(r.stdout);
    expect(d.name).to.equal('fp16');
    expect(d.largestFinite).to.deep.equal({ decimal: '65504', significand: '1.9990234375', exp2: 15 });
    expect(d.smallestSubnormal.decimal).to.equal('5.9604644775390625e-8');
    expect(d.codes.inf).to.equal('0x7c00');
    expect(d.codes.nan).to.equal('0x7e00');
  });

  it('accepts a JSON format object and names it canonically', () => {
    const r = lbamac('formats', '{"exp":4,"man":7,"bias":10}');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/^name\s+e4m7_b10$/m);
    expect(r.stdout).to.match(/largest finite\s+31\.875 = 1\.9921875·2\^4/);
  });

  it('a bad format is a user error (exit 1) that names it', () => {
    for (const [arg, expected] of [
      ['fp8', /"fp8" is not a format/],
      ['e9m3', /exp = 9 is not allowed/],
      ['{"exp":4,', /not valid JSON/],
    ] as const) {
      const r = lbamac('formats', arg);
      expect(r.status, arg).to.equal(1);
      expect(r.stderr).to.match(/^lbamac: format: /);
      expect(r.stderr).to.match(expected);
    }
  });

  it('--kulisch: the exact register for e4m3 × e4m3 and K = 4096, and why', () => {
    const r = lbamac('formats', '--kulisch', 'e4m3', 'e4m3', '--k', '4096');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^lsb\s+-18: the last bit of the smallest exact product: 2\^-9 \(e4m3's last bit\) × 2\^-9 \(e4m3's\) = 2\^-18$/m);
    expect(r.stdout).to.match(/^msb\s+29: K × the largest product = 4096 × 200704 \(e4m3's largest × e4m3's\) = 822083584 < 2\^30 = 2\^\(msb\+1\)$/m);
    expect(r.stdout).to.match(/^register\s+49 bits \(msb \+ 2 - lsb\), two's complement: the multiples of 2\^-18 in \[-2\^30, 2\^30 - 2\^-18\]$/m);
    expect(r.stdout).to.match(/^C\s+not covered: .*--with-c covers it$/m);
    expect(r.stdout).to.match(/^core\s+a float64 register/m);
    expect(r.stdout).to.match(/^config\s+\{"acc":\{"fixed":\{"msb":29,"lsb":-18\},"overflow":"saturate","out":"fp32"\}\}$/m);
  });

  it('--kulisch with a product format, an output format and C, as JSON', () => {
    const r = lbamac('formats', '--kulisch', 'e4m3', 'e4m3', '--k', '256', '--product', 'e4m7_b10', '--out', 'fp16', '--with-c', '--json');
    expect(r.status, r.stderr).to.equal(0);
    const d = JSON.parse(r.stdout);
    expect(d).to.deep.include({ product: 'e4m7_b10', out: 'fp16', withC: true, lsb: -24, lsbFrom: 'c', msb: 16, width: 42, path: 'float64' });
    expect(d.config).to.deep.equal({ acc: { fixed: { msb: 16, lsb: -24 }, overflow: 'saturate', out: 'fp16' } });
  });

  it('--kulisch: options that do not go together are user errors', () => {
    for (const [args, expected] of [
      [['--kulisch', 'e4m3', 'e4m3'], /--kulisch needs --k K/],
      [['--k', '4'], /--k only goes with --kulisch A W/],
      [['e4m3', '--kulisch', 'e4m3', 'e4m3', '--k', '4'], /give either a format \(e4m3\) or --kulisch A W, not both/],
      [['--kulisch', 'e4m3', 'e4m3', '--k', '0'], /--k 0: expected a whole number from 1 to/],
    ] as const) {
      const r = lbamac('formats', ...args);
      expect(r.status, args.join(' ')).to.equal(1);
      expect(r.stderr).to.match(expected);
    }
  });
});
