import { expect } from 'vitest';
import * as km from '../index.js';
import { attentionReference, type AttentionReferenceOptions } from './attention_reference.js';
import { finiteDifferences } from './reference_ops.js';
import { expectGradientsClose, kerasmGradients } from './sgd_gradients.js';
import { Random } from '../utils/random.js';

/** The sequences of one attention check. */
export interface AttentionShapes {
  querySteps: number;
  valueSteps: number;
  /** Features of query, value and key; key null: not given (it is the value). */
  features: [number, number, number | null];
}

const BATCH = 3;

/** Rows of `steps` rows of `features` values for sample `s` of a flat batch. */
export function rows(values: number[], s: number, steps: number, features: number): number[][] {
  return Array.from({ length: steps }, (_, t) => values.slice((s * steps + t) * features, (s * steps + t + 1) * features));
}

/** Applies `layer` to random `[query, value, key?]` data and compares the output with {@link attentionReference} of its weights. */
export function expectForwardMatchesReference(layer: km.layers.Layer, c: AttentionShapes, o: AttentionReferenceOptions): void {
  km.utils.setRandomSeed(3);
  const random = new Random(11);
  const draw = (n: number) => Array.from({ length: n }, () => random.uniform(-1.5, 1.5));
  const [fq, fv, fk] = c.features;
  const q = draw(BATCH * c.querySteps * fq);
  const v = draw(BATCH * c.valueSteps * fv);
  const k = fk === null ? null : draw(BATCH * c.valueSteps * fk);
  const inputs = [km.tensor(q, [BATCH, c.querySteps, fq]), km.tensor(v, [BATCH, c.valueSteps, fv]), ...(k ? [km.tensor(k, [BATCH, c.valueSteps, fk!])] : [])];
  const out = layer.apply(inputs) as km.Tensor;
  expect(out.shape).toEqual([BATCH, c.querySteps, o.outputDim]);
  const weights = layer.getWeights().map((w) => Array.from(w.dataSync()));
  const expected = Array.from({ length: BATCH }, (_, s) =>
    attentionReference(rows(q, s, c.querySteps, fq), rows(v, s, c.valueSteps, fv), k ? rows(k, s, c.valueSteps, fk!) : rows(v, s, c.valueSteps, fv), weights, o),
  ).flat(2);
  const actual = out.dataSync();
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 4));
}

/**
 * The gradients of every weight of `layer` and (through a Dense in front of each input, so that the
 * inputs' gradients show in the Dense weights') of its query, value and key inputs, under a mean
 * squared error, against float64 finite differences of {@link attentionReference}.
 */
export async function expectGradientsMatchReference(layer: km.layers.Layer, c: AttentionShapes, o: AttentionReferenceOptions): Promise<void> {
  km.utils.setRandomSeed(5);
  const random = new Random(23);
  const draw = (n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));
  const [fq, fv, fk] = c.features;
  const PRE = 3;
  const biasInitializer = { className: 'RandomUniform', config: { minval: -0.5, maxval: 0.5, seed: null } };
  const ins = [km.input({ shape: [c.querySteps, PRE] }), km.input({ shape: [c.valueSteps, PRE] }), ...(fk === null ? [] : [km.input({ shape: [c.valueSteps, PRE] })])];
  const pre = [fq, fv, ...(fk === null ? [] : [fk])].map((units) => km.layers.dense({ units, biasInitializer }));
  const model = km.model({ inputs: ins, outputs: layer.apply(ins.map((x, i) => pre[i].apply(x))) as km.SymbolicTensor });
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
}
