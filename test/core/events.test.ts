// Event counts read off the kernels' counter arrays: eventsAt must name each counter as EVI does.
import { expect } from 'chai';
import { EVENT_NAMES, eventsAt } from '../../core/events.js';
import { EVI } from '../../core/mac.js';

describe('core/events eventsAt', () => {
  it('reads each counter under the name EVI gives its index, at any offset', () => {
    for (const name of EVENT_NAMES) {
      const counters = new Int32Array(20);
      counters[7 + EVI[name]] = 5;
      const e = eventsAt(counters, 7);
      for (const other of EVENT_NAMES) expect(e[other], `${name} set, ${other} read`).to.equal(other === name ? 5 : 0);
    }
  });

  it('has exactly the six events of EVENT_NAMES', () => {
    expect(Object.keys(eventsAt(new Int32Array(6), 0))).to.have.members([...EVENT_NAMES]);
  });
});
