// km.math.confusionMatrix against tfjs-core 4.22 (CPU backend), and its errors for bad input.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../index.js';
import { Tensor } from '../tensor.js';
import { expectSameAsTfjs, pairOf } from '../testing/tfjs_op_parity.js';
import { Random } from '../utils/random.js';
import { confusionMatrix } from './confusion_matrix.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('km.math.confusionMatrix matches tfjs-core 4.22', () => {
  it('random labels and predictions, int32 and float32, classes that never occur', () => {
    const rng = new Random(41);
    for (const [examples, classes] of [[1, 2], [10, 3], [57, 7], [200, 2], [5, 9]]) {
      const ids = () => Int32Array.from({ length: examples }, () => Math.floor(rng.next() * classes));
      for (const dtype of ['int32', 'float32'] as const) {
        const cast = (v: Int32Array) => (dtype === 'int32' ? v : Float32Array.from(v));
        const labels = pairOf(cast(ids()), [examples]);
        const predictions = pairOf(cast(ids()), [examples]);
        expectSameAsTfjs(confusionMatrix(labels.km, predictions.km, classes), tf.math.confusionMatrix(labels.tf as tf.Tensor1D, predictions.tf as tf.Tensor1D, classes), `${examples} examples, ${classes} classes, ${dtype}`);
      }
    }
    // One class: tfjs' oneHot refuses a depth of 1; the matrix is the count of examples.
    const ones = pairOf(new Int32Array(4), [4]);
    expect(() => tf.math.confusionMatrix(ones.tf as tf.Tensor1D, ones.tf as tf.Tensor1D, 1)).toThrow(/depth must be >=2/);
    expect(Array.from(confusionMatrix(ones.km, ones.km, 1).dataSync())).toEqual([4]);
    const none = pairOf(new Int32Array(0), [0]);
    expectSameAsTfjs(confusionMatrix(none.km, none.km, 3), tf.math.confusionMatrix(none.tf as tf.Tensor1D, none.tf as tf.Tensor1D, 3), 'no examples');
  });

  it('bad input names the problem and the fix', () => {
    const labels = new Tensor(Int32Array.of(0, 1, 2), [3], 'int32');
    expect(() => confusionMatrix(labels, labels, 0)).toThrow(/numClasses must be a positive integer.*Received: numClasses=0/);
    expect(() => confusionMatrix(labels, labels, 2)).toThrow(/labels must hold class indices, integers in \[0, numClasses\) = \[0, 2\).*Received: labels\[2\]=2/);
    expect(() => confusionMatrix(labels, new Tensor(Int32Array.of(0, -1, 0), [3], 'int32'), 3)).toThrow(/predictions must hold class indices.*Received: predictions\[1\]=-1/);
    expect(() => confusionMatrix(labels, new Tensor(Float32Array.of(0, 1.5, 0), [3], 'float32'), 3)).toThrow(/Received: predictions\[1\]=1\.5/);
    expect(() => confusionMatrix(labels.reshape([3, 1]), labels, 3)).toThrow(/labels must be 1-D.*km\.argMax\(labels, 1\).*Received: labels\.shape=\[3, 1\]/);
    expect(() => confusionMatrix(labels, labels.reshape([1, 3]), 3)).toThrow(/predictions must be 1-D.*Received: predictions\.shape=\[1, 3\]/);
    expect(() => confusionMatrix(labels, new Tensor(Int32Array.of(0, 1), [2], 'int32'), 3)).toThrow(/one entry per example each\. Received: labels\.shape=\[3\], predictions\.shape=\[2\]/);
  });

  it('is km.math.confusionMatrix from the package entry', () => {
    expect(sdk.math.confusionMatrix).toBe(confusionMatrix);
  });
});
