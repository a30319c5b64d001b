import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { dense, finiteDifferences, meanSquaredError as mse } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { SquareSumLoss } from '../testing/loss_layers.js';
import { Random } from '../utils/random.js';

// Several ctx.addLoss calls in one forward pass are summed, as Keras sums a layer's add_loss calls:
// against the same terms added by two layers, against float64 references and finite differences,
// and from a layer that TimeDistributed runs once per step.
beforeAll(() => km.ready());

const [IN, HIDDEN, OUT, BATCH, STEPS] = [4, 3, 2, 6, 3];
const RATES = [0.05, 0.02] as const;
const random = new Random(23);
const xs = Array.from({ length: BATCH }, () => Array.from({ length: IN }, () => random.uniform(-1, 1)));
const ys = Array.from({ length: BATCH }, () => Array.from({ length: OUT }, () => random.uniform(-1, 1)));
const [x, y] = [km.tensor(xs.flat(), [BATCH, IN]), km.tensor(ys.flat(), [BATCH, OUT])];

const readWeights = (model: km.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

function sandwich(penalties: km.layers.Layer[]): km.LayersModel {
  km.utils.setRandomSeed(6);
  return km.sequential([km.layers.dense({ units: HIDDEN, inputShape: [IN], biasInitializer: 'glorotUniform' }), ...penalties, km.layers.dense({ units: OUT })]);
}

/** The sandwich's mean squared error plus (rates[0] + rates[1])·Σh² over the batch, in float64. */
function loss([w1, b1, w2, b2]: number[][]): number {
  const hidden = xs.map((v) => dense(v, w1, b1));
  const error = hidden.reduce((s, h, i) => s + mse(dense(h, w2, b2), ys[i]), 0) / BATCH;
  return error + (RATES[0] + RATES[1]) * hidden.flat().reduce((s, v) => s + v * v, 0);
}

async function batchLosses(model: km.LayersModel): Promise<number[]> {
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  const logged: number[] = [];
  await model.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, callbacks: { onBatchEnd: (_, logs) => void logged.push(logs!.loss as number) } });
  return logged;
}

describe('ctx.addLoss called several times in one forward', () => {
  it('reports the sum of the terms, as two layers adding one term each do', async () => {
    const twoTerms = sandwich([new SquareSumLoss({ rate: RATES })]);
    const weights = readWeights(twoTerms);
    twoTerms.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [evaluated] = (await twoTerms.evaluate(x, y, { batchSize: BATCH, verbose: 0 })) as number[];
    expect(evaluated).toBeCloseTo(loss(weights), 5);
    const oneEach = sandwich([new SquareSumLoss({ rate: RATES[0] }), new SquareSumLoss({ rate: RATES[1] })]);
    expect(readWeights(oneEach)).toEqual(weights);
    const [summed, separate] = [await batchLosses(twoTerms), await batchLosses(oneEach)];
    expect(summed).toHaveLength(9);
    // The first batch's forward passes compute the same floats in the same order.
    expect(summed[0]).toBe(separate[0]);
    // Later ones follow gradients summed in another order: equal to float precision.
    summed.forEach((v, k) => expect(v).toBeCloseTo(separate[k], 5));
  });

  it("trains with the layer's gradient of both terms, matching finite differences", async () => {
    const model = sandwich([new SquareSumLoss({ rate: RATES })]);
    const weights = readWeights(model);
    const expected = finiteDifferences(weights, () => loss(weights));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['kernel 1', 'bias 1', 'kernel 2', 'bias 2']);
  });
});

describe('ctx.addLoss in a layer that TimeDistributed runs once per step', () => {
  const sequences = km.tensor(Array.from({ length: BATCH * STEPS * IN }, () => random.uniform(-1, 1)), [BATCH, STEPS, IN]);

  /** The penalty runs under TimeDistributed, or, where `stepped` is false, once on the whole [batch, steps, hidden] activations. */
  function model(penalty: km.layers.Layer, stepped = true): km.LayersModel {
    km.utils.setRandomSeed(9);
    const input = km.input({ shape: [STEPS, IN] });
    const hidden = km.layers.timeDistributed({ layer: km.layers.dense({ units: HIDDEN }) }).apply(input) as km.SymbolicTensor;
    const penalized = (stepped ? km.layers.timeDistributed({ layer: penalty }) : penalty).apply(hidden) as km.SymbolicTensor;
    const output = km.layers.dense({ units: OUT }).apply(km.layers.flatten().apply(penalized) as km.SymbolicTensor) as km.SymbolicTensor;
    const built = km.model({ inputs: input, outputs: output });
    built.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    return built;
  }

  it("adds every step's term to fit's loss: a term summed over the batch, the one term of all steps at once", async () => {
    const stepped = new SquareSumLoss({ rate: RATES[0], addsLosses: true });
    const [perStep, onePass] = [model(stepped), model(new SquareSumLoss({ rate: RATES[0] }), false)];
    const fit = async (m: km.LayersModel) => (await m.fit(sequences, y, { epochs: 2, batchSize: BATCH, shuffle: false, verbose: 0 })).history.loss;
    const [a, b] = [await fit(perStep), await fit(onePass)];
    expect(stepped.forwards).toBe(2 * STEPS); // one forward per step and batch: STEPS addLoss calls per pass
    a.forEach((v, k) => expect(v).toBeCloseTo(b[k], 5));
    // Without the penalty the loss is clearly smaller, so the steps' terms are all in it.
    const bare = model(km.layers.activation({ activation: 'linear' }));
    const [withoutTerm] = (await bare.fit(sequences, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 })).history.loss;
    expect(a[0] - withoutTerm).toBeGreaterThan(0.01);
  });
});
