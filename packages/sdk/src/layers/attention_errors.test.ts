import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';

// Every bad input of MultiHeadAttention and PositionEmbedding names what was received and the fix;
// PositionEmbedding's table gradient against finite differences.
beforeAll(() => km.ready());

const seq = (steps: number, features: number) => km.input({ shape: [steps, features] });

describe('MultiHeadAttention: bad input', () => {
  it.each([
    [{ numHeads: 0, keyDim: 4 }, /numHeads must be a positive integer\. Received: numHeads=0/],
    [{ numHeads: 2.5, keyDim: 4 }, /numHeads must be a positive integer\. Received: numHeads=2\.5/],
    [{ numHeads: 2, keyDim: 0 }, /keyDim must be a positive integer\. Received: keyDim=0/],
    [{ numHeads: 2, keyDim: 4, valueDim: -1 }, /valueDim must be a positive integer\. Received: valueDim=-1/],
    [{ numHeads: 2, keyDim: 4, dropout: 1 }, /dropout must be a number in \[0, 1\)\. Received: dropout=1/],
    [{ numHeads: 2, keyDim: 4, useBias: 'yes' }, /useBias/],
    [{ numHeads: 2, keyDim: 4, useCausalMask: 1 }, /useCausalMask/],
    [{ numHeads: 2, keyDim: 4, outputShape: [4, 2] }, /outputShape must be a positive integer .* Received: outputShape=\[4,2\]/],
    [{ numHeads: 2, keyDim: 4, attentionAxes: [2] }, /attends over the steps axis .* Received: attentionAxes=\[2\]/],
    [{ numHeads: 2, keyDim: 4, numHead: 2 }, /has no option 'numHead'; did you mean 'numHeads'/],
  ])('refuses %j', (args, message) => {
    expect(() => km.layers.multiHeadAttention(args as unknown as km.layers.MultiHeadAttentionArgs)).toThrow(message);
  });

  it('accepts the default attention axes spelt out, as a Keras config may', () => {
    expect(() => km.layers.multiHeadAttention({ numHeads: 1, keyDim: 2, attentionAxes: [1] })).not.toThrow();
  });

  it('refuses a wrong number of inputs', () => {
    const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 4 });
    expect(() => mha.apply(seq(3, 4))).toThrow(/takes \[query, value\] or \[query, value, key\] \(and the keyword input attentionMask\), but received 1 input\. .*layer\.apply\(\[x, x\]\)/);
    expect(() => mha.apply([seq(3, 4), seq(3, 4), seq(3, 4), seq(3, 4)])).toThrow(/received 4 inputs/);
  });

  it('refuses inputs whose rank is not 3', () => {
    const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 4 });
    expect(() => mha.apply([km.input({ shape: [4] }), seq(3, 4)])).toThrow(/query must have rank 3, \[batch, steps, features\], but received shape \(None, 4\) \(rank 2\)/);
    expect(() => mha.apply([seq(3, 4), km.input({ shape: [2, 3, 4] })])).toThrow(/value must have rank 3, \[batch, steps, features\], but received shape \(None, 2, 3, 4\) \(rank 4\)/);
  });

  it('refuses a key whose steps differ from the value', () => {
    const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 4 });
    expect(() => mha.apply([seq(3, 4), seq(5, 4), seq(6, 4)])).toThrow(/key and value must have the same number of steps .* key \(None, 6, 4\) and value \(None, 5, 4\)/);
  });

  it('refuses a second call with other shapes than it was built for', () => {
    const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 4 });
    mha.apply([seq(3, 4), seq(3, 4)]);
    expect(() => mha.apply([seq(3, 5), seq(3, 5)])).toThrow(/was built for input shape \(None, 3, 4\) and \(None, 3, 4\), but this call gives it \(None, 3, 5\)/);
  });
});

describe('PositionEmbedding', () => {
  it('refuses a bad sequenceLength, a sequence longer than it, and inputs that are not sequences', () => {
    expect(() => km.layers.positionEmbedding({ sequenceLength: 0 })).toThrow(/sequenceLength must be a positive integer .* Received: sequenceLength=0/);
    expect(() => km.layers.positionEmbedding({ sequenceLength: 4 }).apply(seq(6, 2))).toThrow(/embeds at most sequenceLength=4 positions, but received sequences of 6 steps .* Raise sequenceLength to at least 6/);
    expect(() => km.layers.positionEmbedding({ sequenceLength: 4 }).apply(km.input({ shape: [4] }))).toThrow(/takes sequences \[batch, steps, features\], but received shape \(None, 4\)/);
  });

  it('outputs the first rows of its table for every sample; its gradient sums over the batch (finite differences)', async () => {
    km.utils.setRandomSeed(9);
    const [STEPS, FEATURES, BATCH, LENGTH] = [3, 2, 4, 5];
    const x = seq(STEPS, FEATURES);
    const model = km.model({ inputs: x, outputs: km.layers.add().apply([x, km.layers.positionEmbedding({ sequenceLength: LENGTH }).apply(x)]) });
    const xs = Array.from({ length: BATCH * STEPS * FEATURES }, (_, i) => Math.sin(i));
    const ys = Array.from({ length: BATCH * STEPS * FEATURES }, (_, i) => Math.cos(3 * i));
    const [table] = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(table).toHaveLength(LENGTH * FEATURES);
    const out = model.predict(km.tensor(xs, [BATCH, STEPS, FEATURES])).dataSync();
    xs.forEach((v, i) => expect(out[i]).toBeCloseTo(v + table[i % (STEPS * FEATURES)], 6));
    const loss = () => xs.reduce((s, v, i) => s + (v + table[i % (STEPS * FEATURES)] - ys[i]) ** 2, 0) / xs.length;
    const grads = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs, [BATCH, STEPS, FEATURES]), km.tensor(ys, [BATCH, STEPS, FEATURES]));
    expectGradientsClose(grads, finiteDifferences([table], loss), ['embeddings']);
  });
});
