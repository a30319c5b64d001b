import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { weightOrder } from './params.js';

// tfjs-layers 4.22 shares layers between calls, so it is the reference: the same siamese model,
// the same initial weights and batches; losses and weights must agree after several SGD steps.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

/** Two image inputs through one Conv2D, one Flatten and one Dense tower, concatenated into a softmax head. */
function siamese<T>(api: {
  input: (shape: number[], name: string) => T;
  conv: () => { apply: (x: T) => T };
  flatten: () => { apply: (x: T) => T };
  embed: () => { apply: (x: T) => T };
  concat: () => { apply: (x: T[]) => T };
  head: () => { apply: (x: T) => T };
}): { inputs: T[]; output: T } {
  const a = api.input([6, 6, 1], 'left');
  const b = api.input([6, 6, 1], 'right');
  const [conv, flatten, embed] = [api.conv(), api.flatten(), api.embed()];
  const tower = (x: T) => embed.apply(flatten.apply(conv.apply(x)));
  return { inputs: [a, b], output: api.head().apply(api.concat().apply([tower(a), tower(b)])) };
}

const convArgs = { filters: 3, kernelSize: 3, activation: 'relu', name: 'conv' } as const;
const embedArgs = { units: 8, activation: 'tanh', name: 'embed' } as const;
const headArgs = { units: 3, activation: 'softmax', name: 'head' } as const;

function kerasmSiamese(): km.LayersModel {
  const { inputs, output } = siamese<km.SymbolicTensor>({
    input: (shape, name) => km.input({ shape, name }),
    conv: () => km.layers.conv2d(convArgs),
    flatten: () => km.layers.flatten({ name: 'flatten' }),
    embed: () => km.layers.dense(embedArgs),
    concat: () => km.layers.concatenate({ name: 'concat' }),
    head: () => km.layers.dense(headArgs),
  });
  return km.model({ inputs, outputs: output, name: 'siamese' });
}

function tfjsSiamese(): tfl.LayersModel {
  const { inputs, output } = siamese<tfl.SymbolicTensor>({
    input: (shape, name) => tfl.input({ shape, name }),
    conv: () => tfl.layers.conv2d(convArgs),
    flatten: () => tfl.layers.flatten({ name: 'flatten' }),
    embed: () => tfl.layers.dense(embedArgs),
    concat: () => tfl.layers.concatenate({ name: 'concat' }),
    head: () => tfl.layers.dense(headArgs),
  }) as { inputs: tfl.SymbolicTensor[]; output: tfl.SymbolicTensor };
  return tfl.model({ inputs, outputs: output, name: 'siamese' });
}

/** Copies kerasm's weights into the tfjs model, layer by layer by name. */
function copyWeights(from: km.LayersModel, to: tfl.LayersModel): void {
  const values = from.getWeights();
  const specs = weightOrder(from.layers);
  for (const layer of from.layers) {
    const own = specs.flatMap(({ layer: l }, i) => (l === layer ? [values[i]] : []));
    if (own.length > 0) to.getLayer(layer.name).setWeights(own.map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  }
}

function flatWeights(model: km.LayersModel): Map<string, Float32Array> {
  const values = model.getWeights();
  return new Map(weightOrder(model.layers).map(({ spec }, i) => [spec.name, values[i].dataSync() as Float32Array]));
}

function tfjsWeights(model: tfl.LayersModel, names: Iterable<string>): Map<string, Float32Array> {
  return new Map([...names].map((name) => {
    const [layer, weight] = name.split('/');
    const index = weight === 'kernel' ? 0 : 1;
    return [name, model.getLayer(layer).getWeights()[index].dataSync() as Float32Array];
  }));
}

describe('shared layers against tfjs-layers 4.22 (cpu backend)', () => {
  it('a siamese model with a shared Conv2D, Flatten and Dense: predictions, losses and weights after SGD agree', async () => {
    km.utils.setRandomSeed(21);
    const model = kerasmSiamese();
    const reference = tfjsSiamese();
    expect(model.countParams()).toBe(reference.countParams());
    copyWeights(model, reference);

    const random = new Random(4);
    const n = 48;
    const pixels = () => Float32Array.from({ length: n * 36 }, () => random.uniform(0, 1));
    const [left, right] = [pixels(), pixels()];
    const labels = Float32Array.from({ length: n }, () => Math.floor(random.next() * 3));
    const ours = [km.tensor(left, [n, 6, 6, 1]), km.tensor(right, [n, 6, 6, 1])];
    const theirs = [tf.tensor(left, [n, 6, 6, 1]), tf.tensor(right, [n, 6, 6, 1])];

    const predicted = model.predict(ours).dataSync();
    const expected = (reference.predict(theirs) as tf.Tensor).dataSync();
    predicted.forEach((p, i) => expect(Math.abs(p - expected[i])).toBeLessThan(1e-6));

    const initial = flatWeights(model);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
    reference.compile({ optimizer: tf.train.sgd(0.5), loss: 'sparseCategoricalCrossentropy' });
    const history = await model.fit(ours, km.tensor(Int32Array.from(labels), [n], 'int32'), { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    const refHistory = await reference.fit(theirs, tf.tensor(labels, [n]), { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    history.history.loss.forEach((loss, i) => expect(Math.abs(loss - (refHistory.history.loss[i] as number))).toBeLessThan(1e-5));

    // The distance from the shared start must agree: ‖ours − theirs‖ / ‖ours − initial‖, per weight.
    const after = flatWeights(model);
    const refAfter = tfjsWeights(reference, after.keys());
    for (const [name, w] of after) {
      let [diff, moved] = [0, 0];
      w.forEach((v, j) => {
        diff += (v - refAfter.get(name)![j]) ** 2;
        moved += (v - initial.get(name)![j]) ** 2;
      });
      expect(Math.sqrt(moved), `${name} moved`).toBeGreaterThan(1e-3);
      expect(Math.sqrt(diff / moved), `${name} against tfjs`).toBeLessThan(1e-4);
    }
  });
});
