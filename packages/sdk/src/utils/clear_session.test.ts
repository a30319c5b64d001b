import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('km.utils.clearSession', () => {
  it('gives layers and models their first default names again', () => {
    km.utils.clearSession();
    const first = km.sequential([km.layers.dense({ units: 2, inputShape: [3] }), km.layers.dense({ units: 1 })]);
    expect([first.name, ...first.layers.map((l) => l.name)]).toEqual(['sequential', 'dense', 'dense_1']);
    const second = km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);
    expect([second.name, second.layers[0].name]).toEqual(['sequential_1', 'dense_2']);

    km.utils.clearSession();
    const again = km.sequential([km.layers.dense({ units: 2, inputShape: [3] }), km.layers.dense({ units: 1 })]);
    expect([again.name, ...again.layers.map((l) => l.name)]).toEqual(['sequential', 'dense', 'dense_1']);
  });

  it('leaves earlier layers their names, so mixing them with new ones is refused by name', () => {
    km.utils.clearSession();
    const old = km.layers.dense({ units: 2, inputShape: [3] });
    expect(old.name).toBe('dense');
    km.utils.clearSession();
    expect(() => km.sequential([old, km.layers.dense({ units: 1 })])).toThrow(/already has a layer named 'dense'/);
  });
});
