import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// model.execute(x, names) returns inner tensors as tfjs' does, from the model's own weights.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const values = Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i * 0.7));

function both(): [km.Sequential, tfl.Sequential] {
  km.utils.setRandomSeed(3);
  const ours = km.sequential([
    km.layers.dense({ units: 5, activation: 'relu', inputShape: [4], name: 'hidden' }),
    km.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }),
  ]);
  const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 5, activation: 'relu', inputShape: [4], name: 'hidden' }), tfl.layers.dense({ units: 3, activation: 'softmax', name: 'probs' })] });
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  return [ours, theirs];
}

describe('model.execute', () => {
  it("gives tfjs' values for one name and for a list, batch by batch", () => {
    const [ours, theirs] = both();
    const x = km.tensor(values, [6, 4]);
    const xt = tf.tensor2d(values, [6, 4]);
    const hidden = ours.execute(x, 'hidden');
    expect(hidden.shape).toEqual([6, 5]);
    // tfjs' scoped name ('hidden/hidden', with a suffix where tfjs met the name before in this process).
    const expected = (theirs.execute(xt, (theirs.layers[0].output as tfl.SymbolicTensor).name) as tf.Tensor).dataSync();
    expect(Array.from(ours.execute(x, 'hidden/hidden').dataSync())).toEqual(Array.from(hidden.dataSync()));
    Array.from(hidden.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    const [h, p] = ours.execute(x, ['hidden', 'probs']);
    expect(Array.from(h.dataSync())).toEqual(Array.from(hidden.dataSync()));
    expect(Array.from(p.dataSync())).toEqual(Array.from(ours.predict(x).dataSync()));
    // Read after another call: the values are the caller's, not a buffer execute reuses.
    ours.execute(km.tensor(values.map((v) => -v), [6, 4]), 'hidden');
    expect(Array.from(h.dataSync())).toEqual(Array.from(hidden.dataSync()));
  });

  it('reads the weights fit trained, and leaves the model training as before', async () => {
    const [ours] = both();
    ours.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const x = km.tensor(values, [6, 4]);
    const y = km.tensor([0, 1, 2, 0, 1, 2], undefined, 'int32');
    await ours.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0, seed: 1 });
    const feature = km.model({ inputs: ours.inputs, outputs: ours.getLayer('hidden').output as km.SymbolicTensor });
    expect(Array.from(ours.execute(x, 'hidden').dataSync())).toEqual(Array.from(feature.predict(x).dataSync()));
    const [lossBefore] = await ours.evaluate(x, y, { verbose: 0 });
    const history = await ours.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0, seed: 1 });
    expect(history.history.loss[0]).toBeCloseTo(lossBefore, 1);
  });

  it('names the layers there are for an unknown name, and refuses none', () => {
    const [ours] = both();
    const x = km.tensor(values, [6, 4]);
    expect(() => ours.execute(x, 'hiden')).toThrow("Model 'sequential" );
    expect(() => ours.execute(x, 'hiden')).toThrow("no layer of the model is named 'hiden', so no tensor 'hiden' is. Its layers: 'hidden', 'probs'.");
    expect(() => ours.execute(x, [])).toThrow("execute needs at least one tensor name, e.g. model.execute(x, 'hidden').");
  });
});
