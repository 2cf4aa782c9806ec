// The committed timing diagrams are what the simulator draws today: a change of timing that
// forgets to regenerate them (node --import tsx scripts/timing-diagram.ts) fails here.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCS_DIR, osDiagram, osStagesDiagram, wsDiagram } from '../../scripts/timing-diagram.js';

describe('scripts/timing-diagram', () => {
  for (const [file, draw] of [['timing-os.svg', osDiagram], ['timing-ws.svg', wsDiagram], ['timing-os-stages2.svg', osStagesDiagram]] as const) {
    it(`docs/${file} is up to date`, () => {
      const svg = draw();
      expect(svg).to.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(readFileSync(join(DOCS_DIR, file), 'utf8')).to.equal(svg);
    });
  }
});
