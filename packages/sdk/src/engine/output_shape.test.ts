import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await km.ready();
});

/** tfjs' shapes without their leading null batch, as kerasm gives shapes. */
function perSample(shape: tfl.Shape | tfl.Shape[]): unknown {
  return Array.isArray(shape[0]) || (shape.length > 0 && shape[0] !== null && typeof shape[0] === 'object') ? (shape as tfl.Shape[]).map((s) => s.slice(1)) : (shape as tfl.Shape).slice(1);
}

// tfjs' layers have outputShape but no inputShape getter (their input's shape stands in for it).
describe("layer and model inputShape / outputShape, tfjs' getters without the batch", () => {
  it('match tfjs on a Sequential model, a two-output functional model, an RNN with returnState and a merge', () => {
    const ours = km.sequential([km.layers.dense({ units: 2, inputShape: [3] }), km.layers.dense({ units: 4 })]);
    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3] }), tfl.layers.dense({ units: 4 })] });
    expect(ours.outputShape).toEqual(perSample(theirs.outputShape));
    ours.layers.forEach((layer, i) => {
      expect(layer.outputShape).toEqual(perSample(theirs.layers[i].outputShape));
      expect(layer.inputShape).toEqual(perSample((theirs.layers[i].input as tfl.SymbolicTensor).shape));
    });

    const [x, tx] = [km.input({ shape: [5, 3] }), tfl.input({ shape: [5, 3] })];
    const rnn = km.layers.lstm({ units: 4, returnState: true });
    const trnn = tfl.layers.lstm({ units: 4, returnState: true });
    const [sequence, h] = rnn.apply(x) as km.SymbolicTensor[];
    const [tsequence, th] = trnn.apply(tx) as tfl.SymbolicTensor[];
    expect(rnn.outputShape).toEqual(perSample(trnn.outputShape));
    const sum = km.layers.concatenate();
    const tsum = tfl.layers.concatenate();
    const joined = sum.apply([sequence, h]) as km.SymbolicTensor;
    const tjoined = tsum.apply([tsequence, th]) as tfl.SymbolicTensor;
    expect(sum.inputShape).toEqual(perSample((tsum.input as tfl.SymbolicTensor[]).map((t) => t.shape)));
    const model = km.model({ inputs: x, outputs: [joined, h] });
    const tmodel = tfl.model({ inputs: tx, outputs: [tjoined, th] });
    expect(model.outputShape).toEqual(perSample(tmodel.outputShape));
    expect(model.outputShape).toEqual([[8], [4]]);
  });

  it('give a shared layer the shape its calls share', () => {
    const shared = km.layers.dense({ units: 2 });
    shared.apply(km.input({ shape: [3] }));
    shared.apply(km.input({ shape: [3] }));
    expect([shared.inputShape, shared.outputShape]).toEqual([[3], [2]]);
  });

  it('say how to give an uncalled layer a shape, and leave an unbuilt model undefined as its inputShape', () => {
    expect(() => km.layers.dense({ units: 2, name: 'alone' }).outputShape).toThrow("Layer 'alone' has not been called yet, so it has no output. Put it in a model whose input shape is known, or apply it");
    const unbuilt = km.sequential([km.layers.dense({ units: 2 })]);
    expect([unbuilt.inputShape, unbuilt.outputShape]).toEqual([undefined, undefined]);
  });
});
