import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { attentionReference, type AttentionReferenceOptions } from '../testing/attention_reference.js';
import { expectForwardMatchesReference, expectGradientsMatchReference, type AttentionShapes } from '../testing/attention_checks.js';
import { paddedSequences } from '../testing/padded_sequences.js';

// GroupedQueryAttention against the float64 multi-head loop with each key/value head read by its
// group of query heads (Keras' repeat): the forward pass, finite-difference gradients of every
// weight and input, padding, causal and explicit masks with the returned scores, and equality with
// MultiHeadAttention given the same weights when every query head has its own key/value head.
beforeAll(() => km.ready());

interface Case extends AttentionShapes {
  name: string;
  headDim: number;
  queryHeads: number;
  keyValueHeads: number;
  useBias?: boolean;
  causal?: boolean;
}

const cases: Case[] = [
  { name: 'multi-query: four query heads share one key/value head', headDim: 3, queryHeads: 4, keyValueHeads: 1, querySteps: 3, valueSteps: 4, features: [5, 5, null] },
  { name: 'two groups of two query heads, an explicit key of its own width', headDim: 2, queryHeads: 4, keyValueHeads: 2, querySteps: 4, valueSteps: 3, features: [4, 4, 6] },
  { name: 'three groups of two, causal', headDim: 2, queryHeads: 6, keyValueHeads: 3, querySteps: 4, valueSteps: 4, causal: true, features: [3, 3, null] },
  { name: 'useBias false, causal with fewer query steps than value steps', headDim: 3, queryHeads: 2, keyValueHeads: 1, useBias: false, querySteps: 2, valueSteps: 5, causal: true, features: [4, 4, 3] },
  { name: 'one key/value head per query head', headDim: 2, queryHeads: 3, keyValueHeads: 3, querySteps: 3, valueSteps: 2, features: [4, 4, null] },
];

const BIAS_INIT = { className: 'RandomUniform', config: { minval: -0.5, maxval: 0.5, seed: null } };

function referenceOptions(c: Case): AttentionReferenceOptions {
  return {
    heads: c.queryHeads, keyValueHeads: c.keyValueHeads, keyDim: c.headDim, valueDim: c.headDim, outputDim: c.features[0],
    useBias: c.useBias ?? true, causal: c.causal ?? false,
  };
}

function layerFor(c: Case, name?: string): km.layers.GroupedQueryAttention {
  return km.layers.groupQueryAttention({
    headDim: c.headDim, numQueryHeads: c.queryHeads, numKeyValueHeads: c.keyValueHeads, useBias: c.useBias,
    useCausalMask: c.causal, biasInitializer: BIAS_INIT, name,
  });
}

describe('GroupedQueryAttention forward against a float64 loop', () => {
  it.each(cases)('$name', (c) => {
    const gqa = layerFor(c);
    const o = referenceOptions(c);
    expectForwardMatchesReference(gqa, c, o);
    const [fq, fv, fk] = c.features;
    const [h, g, d] = [c.queryHeads, c.keyValueHeads, c.headDim];
    expect(gqa.getWeights().map((w) => w.shape)).toEqual([
      [fq, h, d], ...(o.useBias ? [[h, d]] : []),
      [fk ?? fv, g, d], ...(o.useBias ? [[g, d]] : []),
      [fv, g, d], ...(o.useBias ? [[g, d]] : []),
      [h, d, fq], ...(o.useBias ? [[fq]] : []),
    ]);
  });

  it('names its weights as Keras does', () => {
    const gqa = layerFor(cases[1], 'gqa');
    gqa.apply([km.input({ shape: [4, 5] }), km.input({ shape: [6, 5] })]);
    expect(gqa.weightSpecs.map((w) => w.name)).toEqual([
      'gqa/query/kernel', 'gqa/query/bias', 'gqa/key/kernel', 'gqa/key/bias', 'gqa/value/kernel', 'gqa/value/bias', 'gqa/attention_output/kernel', 'gqa/attention_output/bias',
    ]);
  });
});

describe('GroupedQueryAttention gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    await expectGradientsMatchReference(layerFor(c), c, referenceOptions(c));
  });
});

const [N, STEPS, VOCABULARY, FEATURES] = [5, 5, 9, 4];
const padded = paddedSequences(N, STEPS, VOCABULARY, 1, 3, 'end');
const explicitMask = Float32Array.from({ length: N * STEPS * STEPS }, (_, i) => (i % STEPS === 0 || (i * 7) % 3 !== 0 ? 1 : 0));

/** Embedding(maskZero) → causal self-attention with an explicit mask, the output and scores both model outputs. */
function maskedModel(attention: km.layers.Layer): km.LayersModel {
  const [ids, mask] = [km.input({ shape: [STEPS] }), km.input({ shape: [STEPS, STEPS] })];
  const x = km.layers.embedding({ inputDim: VOCABULARY, outputDim: FEATURES, maskZero: true, embeddingsInitializer: BIAS_INIT }).apply(ids);
  const outputs = attention.apply([x, x], { attentionMask: mask }) as unknown as km.SymbolicTensor[];
  return km.model({ inputs: [ids, mask], outputs });
}

const maskedInputs = () => [km.tensor(padded.tokens, [N, STEPS], 'int32'), km.tensor(explicitMask, [N, STEPS, STEPS])];

describe('GroupedQueryAttention with masks', () => {
  it('padding (Embedding maskZero), causal and an explicit mask combine as Keras combines them, in the output and the returned scores', () => {
    km.utils.setRandomSeed(9);
    const gqa = km.layers.groupQueryAttention({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2, useCausalMask: true, returnAttentionScores: true, biasInitializer: BIAS_INIT });
    const model = maskedModel(gqa);
    const [output, scores] = model.predict(maskedInputs()) as km.Tensor[];
    expect(scores.shape).toEqual([N, 4, STEPS, STEPS]);
    const [table, ...weights] = model.getWeights().map((w) => Array.from(w.dataSync()));
    const [actualOutput, actualScores] = [output.dataSync(), scores.dataSync()];
    for (let s = 0; s < N; s++) {
      const ids = Array.from(padded.tokens.subarray(s * STEPS, (s + 1) * STEPS));
      const x = ids.map((id) => table.slice(id * FEATURES, (id + 1) * FEATURES));
      const real = (t: number) => ids[t] !== 0;
      // Keras' AND of the query's and value's padding, the causal mask and the explicit mask; a row
      // with nothing allowed (a padded query step) comes out uniform over every value step.
      const allowed = (i: number, j: number) => real(i) && real(j) && j <= i && explicitMask[(s * STEPS + i) * STEPS + j] === 1;
      const expectedScores: number[][][] = [];
      const expected = attentionReference(x, x, x, weights, { heads: 4, keyValueHeads: 2, keyDim: 2, valueDim: 2, outputDim: FEATURES, useBias: true, causal: false, allowed, scores: expectedScores });
      expected.flat().forEach((e, i) => expect(actualOutput[s * STEPS * FEATURES + i]).toBeCloseTo(e, 4));
      expectedScores.flat(2).forEach((e, i) => expect(actualScores[s * 4 * STEPS * STEPS + i]).toBeCloseTo(e, 5));
    }
  });
});

describe('GroupedQueryAttention with one key/value head per query head is MultiHeadAttention', () => {
  it('gives the same outputs, scores and trained weights from the same weights, masks included', async () => {
    km.utils.setRandomSeed(4);
    const options = { useCausalMask: true, returnAttentionScores: true, biasInitializer: BIAS_INIT };
    const gqa = maskedModel(km.layers.groupQueryAttention({ headDim: 3, numQueryHeads: 3, numKeyValueHeads: 3, ...options }));
    const mha = maskedModel(km.layers.multiHeadAttention({ numHeads: 3, keyDim: 3, ...options }));
    mha.setWeights(gqa.getWeights());
    const x = maskedInputs();
    const expected = (mha.predict(x) as km.Tensor[]).map((t) => Array.from(t.dataSync()));
    (gqa.predict(x) as km.Tensor[]).forEach((t, k) => t.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected[k][i], 6)));

    const before = gqa.getWeights().map((w) => Array.from(w.dataSync()));
    const y = [km.tensor(Float32Array.from({ length: N * STEPS * FEATURES }, (_, i) => Math.sin(i)), [N, STEPS, FEATURES]), km.tensor(new Float32Array(N * 3 * STEPS * STEPS).fill(0.2), [N, 3, STEPS, STEPS])];
    for (const model of [gqa, mha]) {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
      await model.trainOnBatch(x, y);
    }
    const trained = mha.getWeights().map((w) => Array.from(w.dataSync()));
    gqa.getWeights().forEach((w, k) => w.dataSync().forEach((v, i) => expect(v).toBeCloseTo(trained[k][i], 5)));
    // The step moved the weights by more than the tolerance, so their agreement says the gradients
    // agree; all but the key's bias (index 4), which shifts a query's scores equally, so the softmax
    // gives it no gradient.
    const moved = trained.map((w, k) => Math.max(...w.map((v, i) => Math.abs(v - before[k][i]))) > 5e-5);
    expect(moved).toEqual(trained.map((_, k) => k !== 4));
  });
});
