import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkFunctionalRoundTrip } from '../io/testing/round_trip.js';
import { expectSameModelFit } from '../testing/tfjs_model_parity.js';
import { Random } from '../utils/random.js';

// Concatenate along any sample axis, against a naive loop and tfjs-layers 4.22.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const random = new Random(47);
const draw = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));

/** The naive join of row-major batches along `axis` (0 is the batch). */
function naiveConcat(inputs: readonly Float32Array[], shapes: readonly number[][], axis: number): number[] {
  const outer = shapes[0].slice(0, axis).reduce((a, b) => a * b, 1);
  const blocks = shapes.map((s) => s.slice(axis).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) inputs.forEach((x, k) => out.push(...x.slice(o * blocks[k], (o + 1) * blocks[k])));
  return out;
}

type Api = typeof km | typeof tfl;

/** Two branches of one sequence, joined along the steps, along features and along a middle axis. */
function joins(api: Api): km.LayersModel | tfl.LayersModel {
  const x = (api === km ? km.input({ shape: [4, 3] }) : tfl.input({ shape: [4, 3] })) as never;
  const a = api.layers.dense({ units: 2, activation: 'tanh', name: 'a' }).apply(x) as never;
  const b = api.layers.dense({ units: 2, name: 'b' }).apply(x) as never;
  const steps = api.layers.concatenate({ axis: 1, name: 'steps' }).apply([a, b, a]) as never;
  const features = api.layers.concatenate({ axis: -1, name: 'features' }).apply([steps, steps]) as never;
  const grid = api.layers.reshape({ targetShape: [3, 4, 4], name: 'grid' }).apply(features) as never;
  // Axis 2, not -2: tfjs-layers 4.22 joins any negative axis as the last one.
  const middle = api.layers.concatenate({ axis: 2, name: 'middle' }).apply([grid, grid]) as never;
  const outputs = api.layers.dense({ units: 2, name: 'head' }).apply(api.layers.flatten({ name: 'flat' }).apply(middle) as never) as never;
  return api === km ? km.model({ inputs: x, outputs, name: 'joins' }) : tfl.model({ inputs: x, outputs, name: 'joins' });
}

describe('Concatenate along any axis', () => {
  const cases: [number, number[][]][] = [[1, [[2, 3, 4], [2, 5, 4]]], [2, [[2, 3, 1, 2], [2, 3, 4, 2]]], [-3, [[2, 2, 3, 2], [2, 1, 3, 2], [2, 4, 3, 2]]]];
  it.each(cases)('axis %s: values against a naive loop', (axis, shapes) => {
    const values = shapes.map((s) => draw(s.reduce((a, b) => a * b, 1)));
    const y = km.layers.concatenate({ axis }).apply(values.map((v, k) => km.tensor(v, shapes[k]))) as km.Tensor;
    const at = axis < 0 ? shapes[0].length + axis : axis;
    expect(y.shape).toEqual(shapes[0].map((d, i) => (i === at ? shapes.reduce((sum, s) => sum + s[at], 0) : d)));
    expect(Array.from(y.dataSync())).toEqual(naiveConcat(values, shapes, at));
  });

  it('predictions and 3 epochs of SGD match tfjs-layers 4.22 joining steps, features and a middle axis', async () => {
    const n = 10;
    await expectSameModelFit({ ours: joins(km) as km.LayersModel, theirs: joins(tfl) as tfl.LayersModel, x: [[draw(n * 12), [n, 4, 3]]], y: [[draw(n * 2), [n, 2]]], losses: ['meanSquaredError'] }, { learningRate: 0.1, batchSize: 4 });
  });

  it('saves its axis and loads both ways with tfjs-layers 4.22', async () => {
    await checkFunctionalRoundTrip({ inputShape: [4, 3], kerasm: () => joins(km) as km.LayersModel, tfjs: () => joins(tfl) as tfl.LayersModel });
  });

  it('refuses the batch axis, an axis outside the inputs, and inputs that differ off the axis', () => {
    expect(() => km.layers.concatenate({ axis: 0 })).toThrow(/joins along an axis of the samples: a whole number other than 0 \(the batch\).*Received: axis=0/);
    expect(() => km.layers.concatenate({ axis: 1.5 })).toThrow(/Received: axis=1\.5/);
    const [a, b] = [km.input({ shape: [4, 3] }), km.input({ shape: [5, 3] })];
    expect(() => km.layers.concatenate({ axis: 3, name: 'far' }).apply([a, b])).toThrow(/Concatenate layer 'far' cannot join axis 3 of inputs of rank 3 \(batch included\)\. Use an axis from 1 to 2, or from -2 to -1\./);
    expect(() => km.layers.concatenate({ name: 'cat' }).apply([a, b])).toThrow(/Concatenate layer 'cat' joins axis -1, so its inputs must agree on every other axis, but received \(None, 4, 3\) and \(None, 5, 3\) \(input 1 differs\)/);
  });

  it('joins masks along the steps only when an input has one: no mask for a Dense after unmasked inputs', () => {
    const tokens = km.input({ shape: [6] });
    const embedded = km.layers.embedding({ inputDim: 9, outputDim: 3 }).apply(tokens) as km.SymbolicTensor;
    const joined = km.layers.concatenate({ axis: 1 }).apply([embedded, embedded]) as km.SymbolicTensor;
    // A mask here would reach Flatten, which refuses one.
    const model = km.model({ inputs: tokens, outputs: km.layers.flatten().apply(joined) as km.SymbolicTensor });
    expect(model.predict(km.tensor(Int32Array.from({ length: 12 }, (_, i) => i % 9), [2, 6], 'int32')).shape).toEqual([2, 36]);
    const masked = km.layers.embedding({ inputDim: 9, outputDim: 3, maskZero: true }).apply(tokens) as km.SymbolicTensor;
    const maskedJoin = km.layers.concatenate({ axis: 1 }).apply([masked, embedded]) as km.SymbolicTensor;
    expect(() => km.model({ inputs: tokens, outputs: km.layers.flatten().apply(maskedJoin) as km.SymbolicTensor })).toThrow(/Layer '.*' \(Flatten\) does not support masking, but its input carries the mask of layer '.*' \(Concatenate\)/);
  });
});
