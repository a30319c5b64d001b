import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Embedding's and Masking's computeMask (Keras' compute_mask, the masking guide's way to look at a
// mask) against tfjs-layers 4.22's, which returns booleans where kerasm returns float32 0/1.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const tfjsMask = (m: tf.Tensor | tf.Tensor[] | null) => Array.from((m as tf.Tensor).dataSync(), Number);

describe('computeMask on data', () => {
  it("Embedding with maskZero: 1 for a token, 0 for padding, as tfjs' computeMask", () => {
    const ids = [[711, 632, 71, 0, 0, 0], [73, 8, 3215, 55, 927, 0], [0, 0, 83, 91, 1, 645]];
    const mask = km.layers.embedding({ inputDim: 5000, outputDim: 4, maskZero: true }).computeMask(km.tensor(ids, [3, 6], 'int32'))!;
    expect(mask.shape).toEqual([3, 6]);
    expect(mask.dtype).toBe('float32');
    expect(Array.from(mask.dataSync())).toEqual(tfjsMask(tfl.layers.embedding({ inputDim: 5000, outputDim: 4, maskZero: true }).computeMask(tf.tensor2d(ids))));
  });

  it('Embedding without maskZero: null, as Keras returns None', () => {
    expect(km.layers.embedding({ inputDim: 10, outputDim: 2 }).computeMask(km.tensor([[1, 0]]))).toBeNull();
  });

  it("Masking: a step is masked when every feature equals maskValue, as tfjs' computeMask", () => {
    const values = [[[1, 2], [-1, -1], [0, -1]], [[-1, -1], [-1, -1], [3, 3]]];
    const mask = km.layers.masking({ maskValue: -1 }).computeMask(km.tensor(values));
    expect(mask.shape).toEqual([2, 3]);
    expect(Array.from(mask.dataSync())).toEqual(tfjsMask(tfl.layers.masking({ maskValue: -1 }).computeMask(tf.tensor3d(values))));
    expect(Array.from(mask.dataSync())).toEqual([1, 0, 1, 0, 0, 1]);
  });

  it('the mask given back as apply(x, { mask }) gives what the model computes from the padding', () => {
    const ids = km.tensor([[4, 2, 0, 0], [1, 3, 2, 0]], [2, 4]);
    const embedding = km.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] });
    const lstm = km.layers.lstm({ units: 2 });
    const inModel = km.sequential([embedding, lstm]).predict(ids).dataSync();
    const byHand = lstm.apply(embedding.apply(ids), { mask: embedding.computeMask(ids)! }).dataSync();
    expect(Array.from(byHand)).toEqual(Array.from(inModel));
  });

  it('a symbolic tensor is refused, naming what it takes', () => {
    const masking = km.layers.masking({ name: 'pad' });
    expect(() => masking.computeMask(km.input({ shape: [3, 2] }) as unknown as km.Tensor)).toThrow(
      "Masking layer 'pad'.computeMask takes the layer's input as a km.Tensor (data, not a symbolic tensor)",
    );
  });

  it('a subclass of Embedding inherits it; a custom computeMask of its own is still refused', () => {
    class Tagged extends km.layers.Embedding {}
    expect(new Tagged({ inputDim: 3, outputDim: 2, maskZero: true }).computeMask(km.tensor([[1, 0]]))!.dataSync()).toEqual(new Float32Array([1, 0]));
    class Own extends km.layers.Embedding {
      override computeMask(): null {
        return null;
      }
    }
    expect(() => new Own({ inputDim: 3, outputDim: 2 })).toThrow('Own defines computeMask, which kerasm never calls');
  });
});
