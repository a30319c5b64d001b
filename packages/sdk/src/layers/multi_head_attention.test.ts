import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { attentionReference, type AttentionReferenceOptions } from '../testing/attention_reference.js';
import { expectForwardMatchesReference, expectGradientsMatchReference, rows, type AttentionShapes } from '../testing/attention_checks.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// MultiHeadAttention against a float64 loop written from Keras' definition: the forward pass on
// data, then the gradients of every weight and (through a Dense in front of each input) of the
// query, key and value inputs against finite differences of that loop.
beforeAll(() => km.ready());

const BIAS_INIT = { className: 'RandomUniform', config: { minval: -0.5, maxval: 0.5, seed: null } };

interface Case extends AttentionShapes {
  name: string;
  heads: number;
  keyDim: number;
  valueDim?: number;
  outputShape?: number;
  useBias?: boolean;
  causal?: boolean;
}

const cases: Case[] = [
  { name: 'one head, self-sized', heads: 1, keyDim: 4, querySteps: 3, valueSteps: 3, features: [5, 5, null] },
  { name: 'two heads, keyDim ≠ valueDim, query steps ≠ value steps', heads: 2, keyDim: 3, valueDim: 5, querySteps: 2, valueSteps: 4, features: [4, 6, null] },
  { name: 'three heads, explicit key of its own width, outputShape', heads: 3, keyDim: 2, valueDim: 3, outputShape: 7, querySteps: 4, valueSteps: 3, features: [3, 4, 5] },
  { name: 'causal mask', heads: 2, keyDim: 3, querySteps: 4, valueSteps: 4, causal: true, features: [4, 4, null] },
  { name: 'causal mask, fewer query steps than value steps', heads: 2, keyDim: 2, querySteps: 2, valueSteps: 5, causal: true, features: [3, 3, 3] },
  { name: 'useBias false', heads: 2, keyDim: 3, valueDim: 2, useBias: false, querySteps: 3, valueSteps: 2, features: [4, 3, null] },
];

const BATCH = 3;

function referenceOptions(c: Case): AttentionReferenceOptions {
  return {
    heads: c.heads, keyDim: c.keyDim, valueDim: c.valueDim ?? c.keyDim, outputDim: c.outputShape ?? c.features[0],
    useBias: c.useBias ?? true, causal: c.causal ?? false,
  };
}

function layerFor(c: Case): km.layers.MultiHeadAttention {
  return km.layers.multiHeadAttention({
    numHeads: c.heads, keyDim: c.keyDim, valueDim: c.valueDim, outputShape: c.outputShape, useBias: c.useBias,
    useCausalMask: c.causal, biasInitializer: BIAS_INIT,
  });
}

describe('MultiHeadAttention forward against a float64 loop', () => {
  it.each(cases)('$name', (c) => {
    const mha = layerFor(c);
    const o = referenceOptions(c);
    expectForwardMatchesReference(mha, c, o);
    const [fq, fv, fk] = c.features;
    expect(mha.getWeights().map((w) => w.shape)).toEqual([
      [fq, c.heads, c.keyDim], ...(o.useBias ? [[c.heads, c.keyDim]] : []),
      [fk ?? fv, c.heads, c.keyDim], ...(o.useBias ? [[c.heads, c.keyDim]] : []),
      [fv, c.heads, o.valueDim], ...(o.useBias ? [[c.heads, o.valueDim]] : []),
      [c.heads, o.valueDim, o.outputDim], ...(o.useBias ? [[o.outputDim]] : []),
    ]);
  });

  it('names its weights as Keras does', () => {
    const mha = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 3, name: 'mha' });
    mha.apply([km.input({ shape: [4, 5] }), km.input({ shape: [6, 5] })]);
    expect(mha.weightSpecs.map((w) => w.name)).toEqual([
      'mha/query/kernel', 'mha/query/bias', 'mha/key/kernel', 'mha/key/bias', 'mha/value/kernel', 'mha/value/bias', 'mha/attention_output/kernel', 'mha/attention_output/bias',
    ]);
  });
});

describe('MultiHeadAttention gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    await expectGradientsMatchReference(layerFor(c), c, referenceOptions(c));
  });

  it('self-attention: one tensor feeds query, value and key, and its gradient sums the three paths', async () => {
    km.utils.setRandomSeed(8);
    const random = new Random(5);
    const [STEPS, FEATURES] = [4, 3];
    const x = km.input({ shape: [STEPS, 2] });
    const dense = km.layers.dense({ units: FEATURES, biasInitializer: BIAS_INIT });
    const h = dense.apply(x);
    const c: Case = { name: 'self', heads: 2, keyDim: 2, querySteps: STEPS, valueSteps: STEPS, features: [FEATURES, FEATURES, null] };
    const model = km.model({ inputs: x, outputs: layerFor(c).apply([h, h]) });
    const xs = Array.from({ length: BATCH * STEPS * 2 }, () => random.uniform(-1, 1));
    const ys = Array.from({ length: BATCH * STEPS * FEATURES }, () => random.uniform(-1, 1));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const loss = () => {
      let total = 0;
      for (let s = 0; s < BATCH; s++) {
        const hs = rows(xs, s, STEPS, 2).map((row) => Array.from({ length: FEATURES }, (_, u) => row.reduce((a, v, f) => a + v * weights[0][f * FEATURES + u], weights[1][u])));
        attentionReference(hs, hs, hs, weights.slice(2), referenceOptions(c)).flat().forEach((y, j) => (total += (y - ys[s * STEPS * FEATURES + j]) ** 2));
      }
      return total / (BATCH * STEPS * FEATURES);
    };
    const grads = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs, [BATCH, STEPS, 2]), km.tensor(ys, [BATCH, STEPS, FEATURES]));
    expectGradientsClose(grads, finiteDifferences(weights, loss), model.layers.flatMap((l) => l.weightSpecs.map((w) => w.name)));
  });
});
