import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { scoreAttentionReference, type ScoreAttentionReferenceOptions } from '../testing/score_attention_reference.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { paddedSequences } from '../testing/padded_sequences.js';
import { Random } from '../utils/random.js';

// Attention and AdditiveAttention against a float64 loop written from Keras 3's definition: the
// outputs of a model (a Dense or a masking Embedding in front of each input, so that the inputs'
// gradients show in their weights), then every weight's gradient against finite differences of
// that loop, for both layers, both score modes, with and without scale, causal and padding masks.
beforeAll(() => km.ready());

const BATCH = 3;
const PRE = 2;
const VOCABULARY = 6;

interface Case {
  name: string;
  mode: 'dot' | 'concat' | 'additive';
  useScale: boolean;
  causal?: boolean;
  querySteps: number;
  valueSteps: number;
  /** Features of query (and key) and of value. */
  features: number;
  valueFeatures: number;
  keyGiven?: boolean;
  /** Token ids through Embedding({ maskZero: true }) in front of query and value: padding masks on both. */
  masked?: boolean;
}

const cases: Case[] = [
  { name: 'dot', mode: 'dot', useScale: false, querySteps: 3, valueSteps: 4, features: 3, valueFeatures: 3 },
  { name: 'dot with scale, a key of its own, value features ≠ query features', mode: 'dot', useScale: true, querySteps: 2, valueSteps: 4, features: 3, valueFeatures: 5, keyGiven: true },
  { name: 'dot, causal', mode: 'dot', useScale: true, causal: true, querySteps: 4, valueSteps: 4, features: 3, valueFeatures: 3 },
  { name: 'dot, query and value padding masks, causal', mode: 'dot', useScale: true, causal: true, querySteps: 4, valueSteps: 4, features: 3, valueFeatures: 3, masked: true },
  { name: 'concat', mode: 'concat', useScale: false, querySteps: 3, valueSteps: 2, features: 3, valueFeatures: 3 },
  { name: 'concat with scale, a key of its own', mode: 'concat', useScale: true, querySteps: 2, valueSteps: 3, features: 2, valueFeatures: 4, keyGiven: true },
  { name: 'concat with scale, padding masks', mode: 'concat', useScale: true, querySteps: 3, valueSteps: 4, features: 3, valueFeatures: 3, masked: true },
  { name: 'additive', mode: 'additive', useScale: true, querySteps: 3, valueSteps: 4, features: 3, valueFeatures: 3 },
  { name: 'additive without scale, a key of its own', mode: 'additive', useScale: false, querySteps: 2, valueSteps: 3, features: 3, valueFeatures: 2, keyGiven: true },
  { name: 'additive, causal, padding masks', mode: 'additive', useScale: true, causal: true, querySteps: 4, valueSteps: 4, features: 2, valueFeatures: 2, masked: true },
];

function layerFor(c: Case): km.layers.Attention | km.layers.AdditiveAttention {
  if (c.mode === 'additive') return km.layers.additiveAttention({ useScale: c.useScale, useCausalMask: c.causal });
  return km.layers.attention({ scoreMode: c.mode, useScale: c.useScale, useCausalMask: c.causal });
}

/** Rows of `steps` rows of `width` values for sample `s` of a flat batch. */
function rows(values: ArrayLike<number>, s: number, steps: number, width: number): number[][] {
  return Array.from({ length: steps }, (_, t) => Array.from(values).slice((s * steps + t) * width, (s * steps + t + 1) * width));
}

/** The model of a case, its input data and a float64 loss over its (mutable) weights. */
function setup(c: Case, seed: number) {
  km.utils.setRandomSeed(seed);
  const random = new Random(seed + 1);
  const draw = (n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));
  const steps = [c.querySteps, c.valueSteps, ...(c.keyGiven ? [c.valueSteps] : [])];
  const widths = [c.features, c.valueFeatures, ...(c.keyGiven ? [c.features] : [])];
  const ins = steps.map((t) => km.input({ shape: c.masked ? [t] : [t, PRE] }));
  const front = widths.map((units) => (c.masked ? km.layers.embedding({ inputDim: VOCABULARY, outputDim: units, maskZero: true }) : km.layers.dense({ units, biasInitializer: 'glorotUniform' })));
  const layer = layerFor(c);
  const model = km.model({ inputs: ins, outputs: layer.apply(ins.map((x, i) => front[i].apply(x))) });
  // Scales away from their initial 1, so a wrong use of them shows.
  layer.setWeights(layer.getWeights().map((w) => km.tensor(Float32Array.from({ length: w.size }, () => random.uniform(0.5, 1.5)), w.shape)));
  const xs = steps.map((t, i) => (c.masked ? Array.from(paddedSequences(BATCH, t, VOCABULARY, 1, seed + 7 + i).tokens) : draw(BATCH * t * PRE)));
  const x = steps.map((t, i) => (c.masked ? km.tensor(Int32Array.from(xs[i]), [BATCH, t], 'int32') : km.tensor(xs[i], [BATCH, t, PRE])));
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const perFront = c.masked ? 1 : 2;
  const project = (i: number, s: number): number[][] => {
    const [kernel, bias] = [weights[perFront * i], weights[perFront * i + 1]];
    const units = widths[i];
    if (c.masked) return xs[i].slice(s * steps[i], (s + 1) * steps[i]).map((id) => kernel.slice(id * units, (id + 1) * units));
    return rows(xs[i], s, steps[i], PRE).map((row) => Array.from({ length: units }, (_, u) => row.reduce((a, v, f) => a + v * kernel[f * units + u], bias[u])));
  };
  const reference = (s: number, scores?: number[][]): number[][] => {
    const own = weights.slice(perFront * widths.length);
    const o: ScoreAttentionReferenceOptions = { mode: c.mode, causal: c.causal, scores };
    if (c.mode === 'additive') o.scale = c.useScale ? own[0] : undefined;
    else {
      o.scale = c.useScale ? own[0][0] : undefined;
      if (c.mode === 'concat') o.concatScoreWeight = own[c.useScale ? 1 : 0][0];
    }
    if (c.masked) {
      o.queryMask = xs[0].slice(s * c.querySteps, (s + 1) * c.querySteps).map((id) => id !== 0);
      o.valueMask = xs[1].slice(s * c.valueSteps, (s + 1) * c.valueSteps).map((id) => id !== 0);
    }
    const [q, v] = [project(0, s), project(1, s)];
    return scoreAttentionReference(q, v, c.keyGiven ? project(2, s) : v, o);
  };
  const queryMask = (s: number, i: number) => (c.masked && xs[0][s * c.querySteps + i] === 0 ? 0 : 1);
  return { model, layer, x, weights, reference, queryMask };
}

describe('Attention and AdditiveAttention forward against a float64 loop', () => {
  it.each(cases)('$name', (c) => {
    const { model, x, reference } = setup(c, 3);
    const out = model.predict(x) as km.Tensor;
    expect(out.shape).toEqual([BATCH, c.querySteps, c.valueFeatures]);
    const expected = Array.from({ length: BATCH }, (_, s) => reference(s)).flat(2);
    const actual = out.dataSync();
    expect(actual.length).toBe(expected.length);
    expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 4));
  });
});

describe('Attention and AdditiveAttention gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    const { model, x, weights, reference, queryMask } = setup(c, 5);
    const random = new Random(17);
    const ys = Array.from({ length: BATCH * c.querySteps * c.valueFeatures }, () => random.uniform(-1, 1));
    // The output carries the query's mask, so the loss is Keras' masked mean over the real query steps.
    const loss = () => {
      let [total, steps] = [0, 0];
      for (let s = 0; s < BATCH; s++) {
        reference(s).forEach((row, i) => {
          if (queryMask(s, i) === 0) return;
          steps += 1;
          row.forEach((y, j) => (total += (y - ys[(s * c.querySteps + i) * c.valueFeatures + j]) ** 2 / c.valueFeatures));
        });
      }
      return total / steps;
    };
    const names = model.layers.flatMap((l) => l.weightSpecs.map((w) => w.name));
    const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys, [BATCH, c.querySteps, c.valueFeatures]));
    expectGradientsClose(grads, finiteDifferences(weights, loss), names);
  });
});
