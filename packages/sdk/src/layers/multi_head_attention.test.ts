import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { attentionReference, type AttentionReferenceOptions } from '../testing/attention_reference.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// MultiHeadAttention against a float64 loop written from Keras' definition: the forward pass on
// data, then the gradients of every weight and (through a Dense in front of each input) of the
// query, key and value inputs against finite differences of that loop.
beforeAll(() => km.ready());

const BIAS_INIT = { className: 'RandomUniform', config: { minval: -0.5, maxval: 0.5, seed: null } };

interface Case {
  name: string;
  heads: number;
  keyDim: number;
  valueDim?: number;
  outputShape?: number;
  useBias?: boolean;
  causal?: boolean;
  querySteps: number;
  valueSteps: number;
  /** Features of query, value and key; key null: not given (it is the value). */
  features: [number, number, number | null];
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

/** Rows of `steps` rows of `features` values for sample `s` of a flat batch. */
function rows(values: number[], s: number, steps: number, features: number): number[][] {
  return Array.from({ length: steps }, (_, t) => values.slice((s * steps + t) * features, (s * steps + t + 1) * features));
}

describe('MultiHeadAttention forward against a float64 loop', () => {
  it.each(cases)('$name', (c) => {
    km.utils.setRandomSeed(3);
    const random = new Random(11);
    const draw = (n: number) => Array.from({ length: n }, () => random.uniform(-1.5, 1.5));
    const [fq, fv, fk] = c.features;
    const q = draw(BATCH * c.querySteps * fq);
    const v = draw(BATCH * c.valueSteps * fv);
    const k = fk === null ? null : draw(BATCH * c.valueSteps * fk);
    const mha = layerFor(c);
    const inputs = [km.tensor(q, [BATCH, c.querySteps, fq]), km.tensor(v, [BATCH, c.valueSteps, fv]), ...(k ? [km.tensor(k, [BATCH, c.valueSteps, fk!])] : [])];
    const out = mha.apply(inputs);
    const o = referenceOptions(c);
    expect(out.shape).toEqual([BATCH, c.querySteps, o.outputDim]);
    const weights = mha.getWeights().map((w) => Array.from(w.dataSync()));
    expect(mha.getWeights().map((w) => w.shape)).toEqual([
      [fq, c.heads, c.keyDim], ...(o.useBias ? [[c.heads, c.keyDim]] : []),
      [fk ?? fv, c.heads, c.keyDim], ...(o.useBias ? [[c.heads, c.keyDim]] : []),
      [fv, c.heads, o.valueDim], ...(o.useBias ? [[c.heads, o.valueDim]] : []),
      [c.heads, o.valueDim, o.outputDim], ...(o.useBias ? [[o.outputDim]] : []),
    ]);
    const expected = Array.from({ length: BATCH }, (_, s) =>
      attentionReference(rows(q, s, c.querySteps, fq), rows(v, s, c.valueSteps, fv), k ? rows(k, s, c.valueSteps, fk!) : rows(v, s, c.valueSteps, fv), weights, o),
    ).flat(2);
    const actual = out.dataSync();
    expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 4));
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
    km.utils.setRandomSeed(5);
    const random = new Random(23);
    const draw = (n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));
    const [fq, fv, fk] = c.features;
    const o = referenceOptions(c);
    // A Dense in front of each input, so that the inputs' gradients show in the Dense weights'.
    const PRE = 3;
    const qIn = km.input({ shape: [c.querySteps, PRE] });
    const vIn = km.input({ shape: [c.valueSteps, PRE] });
    const kIn = fk === null ? null : km.input({ shape: [c.valueSteps, PRE] });
    const pre = [fq, fv, ...(fk === null ? [] : [fk])].map((units) => km.layers.dense({ units, biasInitializer: BIAS_INIT }));
    const ins = [qIn, vIn, ...(kIn ? [kIn] : [])];
    const mha = layerFor(c);
    const model = km.model({ inputs: ins, outputs: mha.apply(ins.map((x, i) => pre[i].apply(x))) });
    const xs = ins.map((x) => draw(BATCH * x.shape[0]! * PRE));
    const ys = draw(BATCH * c.querySteps * o.outputDim);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    // getWeights follows the layers' order: the Dense layers (kernel, bias each), then the attention's.
    const preWeights = weights.slice(0, 2 * pre.length);
    const attention = weights.slice(2 * pre.length);
    const loss = () => {
      let total = 0;
      for (let s = 0; s < BATCH; s++) {
        const projected = ins.map((x, i) =>
          rows(xs[i], s, x.shape[0]!, PRE).map((row) => Array.from({ length: pre[i].units }, (_, u) => row.reduce((a, v, f) => a + v * preWeights[2 * i][f * pre[i].units + u], preWeights[2 * i + 1][u]))),
        );
        const out = attentionReference(projected[0], projected[1], projected[2] ?? projected[1], attention, o).flat();
        out.forEach((y, j) => (total += (y - ys[s * out.length + j]) ** 2));
      }
      return total / (BATCH * c.querySteps * o.outputDim);
    };
    const x = ins.map((input, i) => km.tensor(xs[i], [BATCH, input.shape[0]!, PRE]));
    const names = model.layers.flatMap((l) => l.weightSpecs.map((w) => w.name));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys, [BATCH, c.querySteps, o.outputDim])), finiteDifferences(weights, loss), names);
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
