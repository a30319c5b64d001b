import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { scoreAttentionReference, type ScoreAttentionReferenceOptions } from '../testing/score_attention_reference.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// The attention scores of Attention and AdditiveAttention (returnAttentionScores) against a float64
// loop of Keras' definition, gradients of a loss on both outputs against finite differences,
// dropout on the weights as Keras applies it, and the query's mask passing on to the next layer.
beforeAll(() => km.ready());

const [BATCH, TQ, TV, F] = [3, 4, 5, 3];
const random = new Random(43);
const draw = (n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));
const rows = (values: ArrayLike<number>, s: number, steps: number, width: number) =>
  Array.from({ length: steps }, (_, t) => Array.from(values).slice((s * steps + t) * width, (s * steps + t + 1) * width));

/** Zeros at padded steps (the Masking layer's mask value) after `lengths[s]` steps. */
function padded(values: number[], lengths: number[], steps: number): number[] {
  return values.map((v, i) => (Math.floor(i / F) % steps < lengths[Math.floor(i / (F * steps))] ? v : 0));
}

const layers = {
  'Attention dot, scaled': () => km.layers.attention({ useScale: true, returnAttentionScores: true, useCausalMask: true }),
  'Attention concat, scaled': () => km.layers.attention({ useScale: true, scoreMode: 'concat', returnAttentionScores: true }),
  AdditiveAttention: () => km.layers.additiveAttention({ returnAttentionScores: true }),
};

/** The reference options of a layer from its weights. */
function optionsOf(layer: km.layers.Attention | km.layers.AdditiveAttention, weights: number[][]): ScoreAttentionReferenceOptions {
  if (layer instanceof km.layers.AdditiveAttention) return { mode: 'additive', scale: weights[0] };
  if (layer.scoreMode === 'dot') return { mode: 'dot', scale: weights[0][0], causal: layer.useCausalMask };
  return { mode: 'concat', scale: weights[0][0], concatScoreWeight: weights[1][0], causal: layer.useCausalMask };
}

describe('Attention and AdditiveAttention scores against a float64 loop', () => {
  it.each(Object.entries(layers))('%s: the scores are the softmax weights, with the query and value padding', (_, make) => {
    km.utils.setRandomSeed(4);
    const [qLengths, vLengths] = [[4, 3, 2], [5, 2, 4]];
    const q = padded(draw(BATCH * TQ * F), qLengths, TQ);
    const v = padded(draw(BATCH * TV * F), vLengths, TV);
    const [qIn, vIn] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] })];
    const layer = make();
    const outputs = layer.apply([km.layers.masking().apply(qIn), km.layers.masking().apply(vIn)]) as unknown as km.SymbolicTensor[];
    expect(outputs.map((t) => t.shape)).toEqual([[TQ, F], [TQ, TV]]);
    const model = km.model({ inputs: [qIn, vIn], outputs });
    layer.setWeights(layer.getWeights().map((w) => km.tensor(draw(w.size).map((x) => x + 1), w.shape)));
    const [out, scores] = model.predict([km.tensor(q, [BATCH, TQ, F]), km.tensor(v, [BATCH, TV, F])]) as km.Tensor[];
    const o = optionsOf(layer, layer.getWeights().map((w) => Array.from(w.dataSync())));
    for (let s = 0; s < BATCH; s++) {
      const expectedScores: number[][] = [];
      const options = { ...o, scores: expectedScores, queryMask: Array.from({ length: TQ }, (_, i) => i < qLengths[s]), valueMask: Array.from({ length: TV }, (_, j) => j < vLengths[s]) };
      const expected = scoreAttentionReference(rows(q, s, TQ, F), rows(v, s, TV, F), rows(v, s, TV, F), options).flat();
      const actual = out.dataSync().slice(s * TQ * F, (s + 1) * TQ * F);
      expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 4));
      const actualScores = scores.dataSync().slice(s * TQ * TV, (s + 1) * TQ * TV);
      expectedScores.flat().forEach((e, i) => expect(actualScores[i]).toBeCloseTo(e, 5));
      // Padded value steps get no weight; padded query steps output 0.
      for (let i = 0; i < TQ; i++) for (let j = vLengths[s]; j < TV; j++) expect(actualScores[i * TV + j] === 0).toBe(true);
      for (let i = qLengths[s]; i < TQ; i++) for (let c = 0; c < F; c++) expect(actual[i * F + c] === 0).toBe(true);
    }
  });

  it.each(Object.entries(layers))('%s: gradients of a loss on the output and the scores match float64 finite differences', async (_, make) => {
    km.utils.setRandomSeed(6);
    const PRE = 2;
    const [qIn, vIn] = [km.input({ shape: [TQ, PRE] }), km.input({ shape: [TV, PRE] })];
    const pre = [km.layers.dense({ units: F, biasInitializer: 'glorotUniform' }), km.layers.dense({ units: F, biasInitializer: 'glorotUniform' })];
    const layer = make();
    const model = km.model({ inputs: [qIn, vIn], outputs: layer.apply([pre[0].apply(qIn), pre[1].apply(vIn)]) as unknown as km.SymbolicTensor[] });
    const [xq, xv, yOut, yScores] = [draw(BATCH * TQ * PRE), draw(BATCH * TV * PRE), draw(BATCH * TQ * F), draw(BATCH * TQ * TV)];
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const project = (x: number[], s: number, steps: number, k: number) =>
      rows(x, s, steps, PRE).map((row) => Array.from({ length: F }, (_, u) => row.reduce((a, value, f) => a + value * weights[2 * k][f * F + u], weights[2 * k + 1][u])));
    const loss = () => {
      let [outLoss, scoreLoss] = [0, 0];
      for (let s = 0; s < BATCH; s++) {
        const scores: number[][] = [];
        const value = project(xv, s, TV, 1);
        scoreAttentionReference(project(xq, s, TQ, 0), value, value, { ...optionsOf(layer, weights.slice(4)), scores }).flat().forEach((y, j) => (outLoss += (y - yOut[s * TQ * F + j]) ** 2));
        scores.flat().forEach((p, j) => (scoreLoss += (p - yScores[s * TQ * TV + j]) ** 2));
      }
      return outLoss / (BATCH * TQ * F) + scoreLoss / (BATCH * TQ * TV);
    };
    const x = [km.tensor(xq, [BATCH, TQ, PRE]), km.tensor(xv, [BATCH, TV, PRE])];
    const y = [km.tensor(yOut, [BATCH, TQ, F]), km.tensor(yScores, [BATCH, TQ, TV])];
    const names = model.layers.flatMap((l) => l.weightSpecs.map((w) => w.name));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), finiteDifferences(weights, loss), names);
  });
});

describe('Attention dropout', () => {
  const [q, v] = [draw(BATCH * TQ * F), draw(BATCH * TV * F)];
  const inputs = () => [km.tensor(q, [BATCH, TQ, F]), km.tensor(v, [BATCH, TV, F])];

  it('drops weights while training, scaling the kept ones by 1/(1 − rate), and returns the dropped weights as Keras does', () => {
    const RATE = 0.4;
    const layer = km.layers.attention({ dropout: RATE, seed: 5, returnAttentionScores: true });
    const [out, scores] = layer.apply(inputs(), { training: true }) as unknown as km.Tensor[];
    const [kept, dropped] = [0, 0].map(() => ({ n: 0 }));
    for (let s = 0; s < BATCH; s++) {
      const weights: number[][] = [];
      scoreAttentionReference(rows(q, s, TQ, F), rows(v, s, TV, F), rows(v, s, TV, F), { mode: 'dot', scores: weights });
      const actual = scores.dataSync().slice(s * TQ * TV, (s + 1) * TQ * TV);
      weights.flat().forEach((w, i) => {
        if (actual[i] === 0) dropped.n++;
        else {
          kept.n++;
          expect(actual[i]).toBeCloseTo(w / (1 - RATE), 5);
        }
      });
      // The output is the dropped weights' product with the value.
      const expected = rows(actual, 0, TQ, TV).map((row) => Array.from({ length: F }, (_, c) => row.reduce((a, w, j) => a + w * v[(s * TV + j) * F + c], 0)));
      expected.flat().forEach((e, i) => expect(out.dataSync()[s * TQ * F + i]).toBeCloseTo(e, 5));
    }
    expect(dropped.n).toBeGreaterThan(0.2 * BATCH * TQ * TV);
    expect(kept.n).toBeGreaterThan(0.4 * BATCH * TQ * TV);
    // The same seed gives the same masks; inference drops nothing.
    const again = km.layers.attention({ dropout: RATE, seed: 5, returnAttentionScores: true }).apply(inputs(), { training: true }) as unknown as km.Tensor[];
    expect(Array.from(again[1].dataSync())).toEqual(Array.from(scores.dataSync()));
    const inference = (layer.apply(inputs()) as unknown as km.Tensor[])[1].dataSync();
    expect(inference.every((w) => w > 0)).toBe(true);
  });
});

describe('the query mask passes on', () => {
  it('a masked GlobalAveragePooling1D after AdditiveAttention averages the real query steps only', () => {
    km.utils.setRandomSeed(8);
    const lengths = [4, 1, 3];
    const q = padded(draw(BATCH * TQ * F), lengths, TQ);
    const v = draw(BATCH * TV * F);
    const [qIn, vIn] = [km.input({ shape: [TQ, F] }), km.input({ shape: [TV, F] })];
    const layer = km.layers.additiveAttention();
    const model = km.model({ inputs: [qIn, vIn], outputs: km.layers.globalAveragePooling1d().apply(layer.apply([km.layers.masking().apply(qIn), vIn])) });
    const pooled = (model.predict([km.tensor(q, [BATCH, TQ, F]), km.tensor(v, [BATCH, TV, F])]) as km.Tensor).dataSync();
    const scale = Array.from(layer.getWeights()[0].dataSync());
    for (let s = 0; s < BATCH; s++) {
      const out = scoreAttentionReference(rows(q, s, TQ, F), rows(v, s, TV, F), rows(v, s, TV, F), { mode: 'additive', scale }).slice(0, lengths[s]);
      for (let c = 0; c < F; c++) expect(pooled[s * F + c]).toBeCloseTo(out.reduce((a, row) => a + row[c], 0) / lengths[s], 5);
    }
  });
});
