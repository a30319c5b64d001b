import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

// SymbolicTensor.sourceLayer and rank, which graph-walking tfjs code reads.

describe('SymbolicTensor.sourceLayer and rank', () => {
  it('give the layer that made the tensor, and the rank counting the batch axis, as tfjs does', () => {
    const [tx, kx] = [tfl.input({ shape: [3], name: 'x' }), km.input({ shape: [3], name: 'x' })];
    const [ty, ky] = [tfl.layers.dense({ units: 2, name: 'd' }).apply(tx) as tfl.SymbolicTensor, km.layers.dense({ units: 2, name: 'd' }).apply(kx)];
    expect(ky.sourceLayer.name).toBe(ty.sourceLayer.name);
    expect(ky.sourceLayer.getClassName()).toBe('Dense');
    expect([kx.rank, ky.rank]).toEqual([tx.rank, ty.rank]);
    expect(km.input({ shape: [28, 28, 1] }).rank).toBe(4);
  });

  it("gives a model input's InputLayer, the one the model lists", () => {
    const tx = tfl.input({ shape: [3], name: 'features' });
    expect(tx.sourceLayer.getClassName()).toBe('InputLayer');
    const x = km.input({ shape: [3], name: 'features' });
    const model = km.model({ inputs: x, outputs: km.layers.dense({ units: 1 }).apply(x) });
    expect(x.sourceLayer.getClassName()).toBe('InputLayer');
    expect(x.sourceLayer).toBe(model.layers[0]);
    expect(x.sourceLayer.name).toBe('features');
  });

  it('walks a graph back to its inputs, as tfjs code does through sourceLayer', () => {
    const x = km.input({ shape: [4] });
    const h = km.layers.dense({ units: 3, name: 'h' }).apply(x);
    const y = km.layers.dense({ units: 1, name: 'y' }).apply(h);
    const names: string[] = [];
    for (let t: km.SymbolicTensor = y; ; t = t.sourceLayer.input as km.SymbolicTensor) {
      names.push(t.sourceLayer.name);
      if (t.sourceLayer.getClassName() === 'InputLayer') break;
    }
    expect(names).toEqual(['y', 'h', x.name]);
  });
});
