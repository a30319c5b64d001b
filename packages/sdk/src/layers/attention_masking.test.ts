import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { paddedSequences } from '../testing/padded_sequences.js';

beforeAll(() => km.ready());

/** Embedding(maskZero) → self-attention + residual → LayerNormalization → masked mean → Dense, over `steps` token ids. */
function classifier(steps: number, maskZero: boolean, options: { useCausalMask?: boolean } = {}): km.LayersModel {
  const tokens = km.input({ shape: [steps] });
  const x = km.layers.embedding({ inputDim: 9, outputDim: 6, maskZero }).apply(tokens) as km.SymbolicTensor;
  const attended = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 3, ...options }).apply([x, x]) as km.SymbolicTensor;
  const mixed = km.layers.layerNormalization().apply(km.layers.add().apply([x, attended]) as km.SymbolicTensor) as km.SymbolicTensor;
  const pooled = km.layers.globalAveragePooling1d().apply(mixed) as km.SymbolicTensor;
  return km.model({ inputs: tokens, outputs: km.layers.dense({ units: 1 }).apply(pooled) as km.SymbolicTensor });
}

/** The same sequences with `extra` more padding steps at the end. */
function padMore(tokens: Int32Array, n: number, steps: number, extra: number): Int32Array {
  const longer = new Int32Array(n * (steps + extra));
  for (let s = 0; s < n; s++) longer.set(tokens.subarray(s * steps, (s + 1) * steps), s * (steps + extra));
  return longer;
}

describe('MultiHeadAttention with padding masks (Embedding maskZero)', () => {
  const [n, steps, extra] = [12, 6, 4];
  const { tokens, lengths } = paddedSequences(n, steps, 9, 1, 4, 'end');

  it.each([{ useCausalMask: false }, { useCausalMask: true }])('gives padded steps no attention: more padding changes no prediction and no trained weight (causal $useCausalMask)', async (options) => {
    km.utils.setRandomSeed(7);
    const [short, long] = [classifier(steps, true, options), classifier(steps + extra, true, options)];
    long.setWeights(short.getWeights());
    const [x, xLong] = [km.tensor(tokens, [n, steps], 'int32'), km.tensor(padMore(tokens, n, steps, extra), [n, steps + extra], 'int32')];
    const a = short.predict(x).dataSync();
    long.predict(xLong).dataSync().forEach((v, i) => expect(v).toBeCloseTo(a[i], 5));

    const y = km.tensor(Float32Array.from({ length: n }, (_, i) => (i % 3) - 1), [n, 1]);
    for (const model of [short, long]) model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    await short.trainOnBatch(x, y);
    await long.trainOnBatch(xLong, y);
    const after = long.getWeights();
    short.getWeights().forEach((w, k) => after[k].dataSync().forEach((v, j) => expect(v).toBeCloseTo(w.dataSync()[j], 5)));
  });

  it('the mask matters: without maskZero the padded samples predict differently', () => {
    km.utils.setRandomSeed(7);
    const [masked, unmasked] = [classifier(steps, true), classifier(steps, false)];
    unmasked.setWeights(masked.getWeights());
    const x = km.tensor(tokens, [n, steps], 'int32');
    const [a, b] = [masked.predict(x).dataSync(), unmasked.predict(x).dataSync()];
    lengths.forEach((length, i) => (length < steps ? expect(Math.abs(a[i] - b[i])).toBeGreaterThan(1e-6) : expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-6)));
  });

  it("passes the query's mask on: a masked value into an unmasked query leaves no mask for Flatten to refuse", () => {
    const query = km.input({ shape: [4, 6] });
    const ids = km.input({ shape: [5] });
    const value = km.layers.embedding({ inputDim: 9, outputDim: 6, maskZero: true }).apply(ids) as km.SymbolicTensor;
    const attended = km.layers.multiHeadAttention({ numHeads: 1, keyDim: 2 }).apply([query, value]) as km.SymbolicTensor;
    expect(() => km.model({ inputs: [query, ids], outputs: km.layers.flatten().apply(attended) as km.SymbolicTensor })).not.toThrow();
    const selfAttended = km.layers.multiHeadAttention({ numHeads: 1, keyDim: 2 }).apply([value, value]) as km.SymbolicTensor;
    expect(() => km.model({ inputs: ids, outputs: km.layers.flatten().apply(selfAttended) as km.SymbolicTensor })).toThrow('(Flatten) does not support masking');
  });
});
