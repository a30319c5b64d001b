import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { attentionReference, type AttentionReferenceOptions } from '../testing/attention_reference.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// MultiHeadAttention's attentionMask keyword input and returnAttentionScores output against a
// float64 loop of Keras' definition (its mask is the AND of the attention mask, the query's and
// value's padding and the causal mask), their gradients against finite differences, and the
// equivalence of a padding mask with the attention mask it stands for.
beforeAll(() => km.ready());

const [BATCH, TQ, TV, F] = [3, 4, 5, 3];
const random = new Random(41);
const draw = (n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));
const rows = (values: number[], s: number, steps: number, width: number) =>
  Array.from({ length: steps }, (_, t) => values.slice((s * steps + t) * width, (s * steps + t + 1) * width));

/**
 * 0/1 masks `[BATCH, TQ, TV]` with random holes; with `emptyRow`, query row 2 of sample 1 may attend
 * to nothing. Every row keeps step 0 otherwise, so that the causal mask leaves each row a step.
 */
function attentionMask(emptyRow: boolean): number[] {
  const mask = Array.from({ length: BATCH * TQ * TV }, (_, i) => (i % TV === 0 || random.next() < 0.6 ? 1 : 0));
  if (emptyRow) for (let j = 0; j < TV; j++) mask[(1 * TQ + 2) * TV + j] = 0;
  return mask;
}

/** Zeros at padded steps (the Masking layer's mask value) after `lengths[s]` steps. */
function padded(values: number[], lengths: number[], steps: number): number[] {
  return values.map((v, i) => (Math.floor(i / F) % steps < lengths[Math.floor(i / (F * steps))] ? v : 0));
}

describe('MultiHeadAttention attentionMask and returnAttentionScores against a float64 loop', () => {
  it.each([{ causal: false }, { causal: true }])('combines the mask with the query and value padding (causal $causal); the scores are the weights', ({ causal }) => {
    km.utils.setRandomSeed(4);
    const [qLengths, vLengths] = [[4, 3, 2], [5, 2, 4]];
    const q = padded(draw(BATCH * TQ * F), qLengths, TQ);
    const v = padded(draw(BATCH * TV * F), vLengths, TV);
    const m = attentionMask(true);
    const [qIn, vIn, mIn] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TQ, TV] })];
    const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 2, useCausalMask: causal, returnAttentionScores: true, biasInitializer: 'glorotUniform' });
    const outputs = mha.apply([km.layers.masking().apply(qIn), km.layers.masking().apply(vIn)], { attentionMask: mIn }) as unknown as km.SymbolicTensor[];
    expect(outputs.map((t) => t.shape)).toEqual([[TQ, F], [2, TQ, TV]]);
    const model = km.model({ inputs: [qIn, vIn, mIn], outputs });
    const [out, scores] = model.predict([km.tensor(q, [BATCH, TQ, F]), km.tensor(v, [BATCH, TV, F]), km.tensor(m, [BATCH, TQ, TV])]) as km.Tensor[];
    const weights = mha.getWeights().map((w) => Array.from(w.dataSync()));
    for (let s = 0; s < BATCH; s++) {
      const expectedScores: number[][][] = [];
      const options: AttentionReferenceOptions = {
        heads: 2, keyDim: 2, valueDim: 2, outputDim: F, useBias: true, causal: false, scores: expectedScores,
        allowed: (i, j) => m[(s * TQ + i) * TV + j] === 1 && i < qLengths[s] && j < vLengths[s] && (!causal || j <= i),
      };
      const expected = attentionReference(rows(q, s, TQ, F), rows(v, s, TV, F), rows(v, s, TV, F), weights, options).flat();
      const actual = out.dataSync().slice(s * TQ * F, (s + 1) * TQ * F);
      expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 4));
      const actualScores = scores.dataSync().slice(s * 2 * TQ * TV, (s + 1) * 2 * TQ * TV);
      expectedScores.flat(2).forEach((e, i) => expect(actualScores[i]).toBeCloseTo(e, 5));
    }
    // A row that may attend to nothing is uniform, as Keras' float32 masked softmax makes it.
    const row = Array.from(scores.dataSync().slice((1 * 2 * TQ + 2) * TV, (1 * 2 * TQ + 3) * TV));
    row.forEach((w) => expect(w).toBeCloseTo(1 / TV, 6));
  });

  it('an attentionMask of the value padding is the padding mask', () => {
    km.utils.setRandomSeed(9);
    const lengths = [5, 2, 3];
    const [q, v] = [draw(BATCH * TQ * F), padded(draw(BATCH * TV * F), lengths, TV)];
    const m = Array.from({ length: BATCH * TQ * TV }, (_, i) => (i % TV < lengths[Math.floor(i / (TQ * TV))] ? 1 : 0));
    const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 3 });
    const [qIn, vIn, mIn] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] }), km.input({ shape: [TQ, TV] })];
    const byPadding = km.model({ inputs: [qIn, vIn], outputs: mha.apply([qIn, km.layers.masking().apply(vIn)]) });
    const byMask = km.model({ inputs: [qIn, vIn, mIn], outputs: mha.apply([qIn, vIn], { attentionMask: mIn }) });
    const unmasked = km.model({ inputs: [qIn, vIn], outputs: mha.apply([qIn, vIn]) });
    const [x, y] = [km.tensor(q, [BATCH, TQ, F]), km.tensor(v, [BATCH, TV, F])];
    const a = (byPadding.predict([x, y]) as km.Tensor).dataSync();
    const b = (byMask.predict([x, y, km.tensor(m, [BATCH, TQ, TV])]) as km.Tensor).dataSync();
    const c = (unmasked.predict([x, y]) as km.Tensor).dataSync();
    a.forEach((value, i) => expect(b[i]).toBeCloseTo(value, 6));
    // Samples with padding differ without the mask, so the comparison above could fail.
    expect(Math.max(...Array.from(a, (value, i) => Math.abs(value - c[i])))).toBeGreaterThan(1e-3);
  });
});

describe('MultiHeadAttention gradients through the attention scores and with a mask', () => {
  it('matches float64 finite differences of a loss on both outputs', async () => {
    km.utils.setRandomSeed(6);
    const PRE = 2;
    const [qIn, vIn, mIn] = [km.input({ shape: [TQ, PRE] }), km.input({ shape: [TV, PRE] }), km.input({ shape: [TQ, TV] })];
    const pre = [km.layers.dense({ units: F, biasInitializer: 'glorotUniform' }), km.layers.dense({ units: F, biasInitializer: 'glorotUniform' })];
    const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 2, valueDim: 3, useCausalMask: true, returnAttentionScores: true, biasInitializer: 'glorotUniform' });
    const outputs = mha.apply([pre[0].apply(qIn), pre[1].apply(vIn)], { attentionMask: mIn }) as unknown as km.SymbolicTensor[];
    const model = km.model({ inputs: [qIn, vIn, mIn], outputs });
    // No row without a step to attend to: float32 makes such a row uniform, a constant whose float64
    // finite differences are 0 while backpropagation (Keras' too) sees the softmax beneath it.
    const [xq, xv, m] = [draw(BATCH * TQ * PRE), draw(BATCH * TV * PRE), attentionMask(false)];
    const [yOut, yScores] = [draw(BATCH * TQ * F), draw(BATCH * 2 * TQ * TV)];
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const project = (x: number[], s: number, steps: number, k: number) =>
      rows(x, s, steps, PRE).map((row) => Array.from({ length: F }, (_, u) => row.reduce((a, value, f) => a + value * weights[2 * k][f * F + u], weights[2 * k + 1][u])));
    const loss = () => {
      let [outLoss, scoreLoss] = [0, 0];
      for (let s = 0; s < BATCH; s++) {
        const scores: number[][][] = [];
        const options: AttentionReferenceOptions = { heads: 2, keyDim: 2, valueDim: 3, outputDim: F, useBias: true, causal: false, scores, allowed: (i, j) => m[(s * TQ + i) * TV + j] === 1 && j <= i };
        const value = project(xv, s, TV, 1);
        attentionReference(project(xq, s, TQ, 0), value, value, weights.slice(4), options).flat().forEach((y, j) => (outLoss += (y - yOut[s * TQ * F + j]) ** 2));
        scores.flat(2).forEach((p, j) => (scoreLoss += (p - yScores[s * 2 * TQ * TV + j]) ** 2));
      }
      return outLoss / (BATCH * TQ * F) + scoreLoss / (BATCH * 2 * TQ * TV);
    };
    const x = [km.tensor(xq, [BATCH, TQ, PRE]), km.tensor(xv, [BATCH, TV, PRE]), km.tensor(m, [BATCH, TQ, TV])];
    const y = [km.tensor(yOut, [BATCH, TQ, F]), km.tensor(yScores, [BATCH, 2, TQ, TV])];
    const names = model.layers.flatMap((l) => l.weightSpecs.map((w) => w.name));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), finiteDifferences(weights, loss), names);
  });
});

describe('MultiHeadAttention attentionMask: errors', () => {
  it('refuses a mask whose shape is not [querySteps, valueSteps], naming both', () => {
    const mha = km.layers.multiHeadAttention({ numHeads: 1, keyDim: 2 });
    const [q, v] = [km.input({ shape: [4, 3] }), km.input({ shape: [6, 3] })];
    expect(() => mha.apply([q, v], { attentionMask: km.input({ shape: [6, 4] }) })).toThrow(
      /attentionMask must have shape \(None, 4, 6\), \[batch, querySteps, valueSteps\] \(1: attend, 0: not\), but received \(None, 6, 4\)/,
    );
  });

  it('refuses attentionMask on a layer that does not take it, naming the one that does', () => {
    expect(() => km.layers.dense({ units: 2 }).apply(km.input({ shape: [3] }), { attentionMask: km.input({ shape: [3, 3] }) })).toThrow(
      /does not take\. It takes no keyword inputs\. .*attentionMask: to multiHeadAttention/,
    );
  });
});
