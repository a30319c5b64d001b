import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// A model's layers keep their own output after the model is nested in another, as in tfjs, so a
// second truncated model (or a Grad-CAM submodel) can still be built from the base model.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

function kerasmBase(): km.Sequential {
  km.utils.setRandomSeed(3);
  return km.sequential([km.layers.dense({ units: 4, inputShape: [3], name: 'h1', activation: 'relu' }), km.layers.dense({ units: 2, name: 'h2' })]);
}

const x = [[1, 2, 3], [-1, 0, 2]];

describe("an inner layer's output after its model is nested", () => {
  it('stays the one of the model it was built in, after km.sequential([truncated, head]), as in tfjs', () => {
    const tBase = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [3], name: 'h1' }), tfl.layers.dense({ units: 2, name: 'h2' })] });
    const tTruncated = tfl.model({ inputs: tBase.inputs, outputs: tBase.getLayer('h1').output });
    tfl.sequential({ layers: [tTruncated, tfl.layers.dense({ units: 1 })] });
    expect(tBase.getLayer('h1').output).toBeDefined();

    const base = kerasmBase();
    const h1 = base.getLayer('h1') as km.layers.Layer;
    const original = h1.output;
    const truncated = km.model({ inputs: base.inputs, outputs: h1.output });
    const stacked = km.sequential([truncated, km.layers.dense({ units: 1, name: 'head' })]);
    expect(h1.output).toBe(original);
    expect(h1.input).toBe(base.inputs[0]);
    expect(h1.getOutputAt(0)).toBe(original);
    expect(() => h1.getOutputAt(1)).toThrow("Layer 'h1' has 1 output (one per call), so getOutputAt(1) is out of range.");
    // A second truncated model from it computes what the first does.
    const again = km.model({ inputs: base.inputs, outputs: h1.output });
    expect(again.predict(km.tensor(x)).arraySync()).toEqual(truncated.predict(km.tensor(x)).arraySync());
    expect(stacked.predict(km.tensor(x)).shape).toEqual([2, 1]);
  });

  it('stays the same after base.apply(newInput) in a functional model, as in tfjs', () => {
    const tBase = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [3], name: 'h1' })] });
    const before = tBase.getLayer('h1').output;
    tBase.apply(tfl.input({ shape: [3] }));
    expect(tBase.getLayer('h1').output).toBe(before);

    const base = kerasmBase();
    const h1 = base.getLayer('h1') as km.layers.Layer;
    const original = h1.output;
    const input = km.input({ shape: [3] });
    const outer = km.model({ inputs: input, outputs: km.layers.dense({ units: 1 }).apply(base.apply(input) as km.SymbolicTensor) });
    expect(h1.output).toBe(original);
    expect(h1.outputShape).toEqual([4]);
    // The outer model still runs base's layers, with base's weights.
    const [baseOut, outerOut] = [base.predict(km.tensor(x)), outer.predict(km.tensor(x))];
    const [kernel, bias] = outer.layers.at(-1)!.getWeights().map((w) => w.dataSync());
    const rows = baseOut.arraySync() as number[][];
    const expected = rows.map((r) => [r[0] * kernel[0] + r[1] * kernel[1] + bias[0]]);
    (outerOut.arraySync() as number[][]).forEach((row, i) => expect(row[0]).toBeCloseTo(expected[i][0], 5));
  });

  it('still says a layer applied twice directly is shared', () => {
    const shared = km.layers.dense({ units: 2, name: 'twice' });
    const [a, b] = [km.input({ shape: [3] }), km.input({ shape: [3] })];
    km.model({ inputs: [a, b], outputs: [shared.apply(a), shared.apply(b)] });
    expect(() => shared.output).toThrow("Layer 'twice' is called 2 times (a shared layer)");
  });

  it('keeps the call a stacked model made on layers built only there', () => {
    // base has no input shape, so its layers are first called in the model that stacks it.
    const base = km.sequential([km.layers.dense({ units: 4, name: 'late' })]);
    const outer = km.sequential([km.input({ shape: [3] }), base]);
    expect(base.getLayer('late').output).toBe(outer.outputs[0]);
  });
});
