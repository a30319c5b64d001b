import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { dense, finiteDifferences, meanSquaredError as mse } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { KlDivergence, SquareSumLoss } from '../testing/loss_layers.js';
import { Random } from '../utils/random.js';

// Layers that add a loss term in forward (`ctx.addLoss`, Keras' `add_loss`) against float64
// references written from Keras' definition: each batch's loss is its mean compiled loss plus the
// terms as the layers computed them, and the reported loss is the batches' losses weighted by size.
beforeAll(() => km.ready());

const [IN, HIDDEN, OUT, BATCH, RATE] = [4, 3, 2, 5, 0.05];
const random = new Random(17);
const xs = Array.from({ length: BATCH }, () => Array.from({ length: IN }, () => random.uniform(-1, 1)));
const ys = Array.from({ length: BATCH }, () => Array.from({ length: OUT }, () => random.uniform(-1, 1)));
const [x, y] = [km.tensor(xs.flat(), [BATCH, IN]), km.tensor(ys.flat(), [BATCH, OUT])];

const readWeights = (model: km.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

/** Dense → SquareSumLoss → Dense. */
function squareSandwich(): km.LayersModel {
  km.utils.setRandomSeed(4);
  return km.sequential([
    km.layers.dense({ units: HIDDEN, inputShape: [IN], biasInitializer: 'glorotUniform' }),
    new SquareSumLoss({ rate: RATE }),
    km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
  ]);
}

/** The sandwich's batch loss over samples `rows`: mean squared error plus RATE·Σh² over those samples. */
function squareLoss([w1, b1, w2, b2]: number[][], rows: number[], rate = RATE): number {
  const hidden = rows.map((r) => dense(xs[r], w1, b1));
  const error = hidden.reduce((s, h, i) => s + mse(dense(h, w2, b2), ys[rows[i]]), 0) / rows.length;
  return error + rate * hidden.flat().reduce((s, v) => s + v * v, 0);
}

const allRows = Array.from({ length: BATCH }, (_, i) => i);

describe('a layer that adds a loss term (ctx.addLoss)', () => {
  it("adds the term to evaluate's loss, batch by batch as it is, and to the loss fit reports", async () => {
    const model = squareSandwich();
    const weights = readWeights(model);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const whole = squareLoss(weights, allRows);
    expect(whole - squareLoss(weights, allRows, 0)).toBeGreaterThan(0.02); // a term large enough to see
    const [evaluated] = (await model.evaluate(x, y, { batchSize: BATCH, verbose: 0 })) as number[];
    expect(evaluated).toBeCloseTo(whole, 5);
    // Batches of 2, 2 and 1: each batch's term is its own sum, weighted by the batch's size.
    const batches = [[0, 1], [2, 3], [4]];
    const batched = batches.reduce((s, rows) => s + rows.length * squareLoss(weights, rows), 0) / BATCH;
    expect(Math.abs(batched - whole)).toBeGreaterThan(1e-3);
    const [evaluatedInBatches] = (await model.evaluate(x, y, { batchSize: 2, verbose: 0 })) as number[];
    expect(evaluatedInBatches).toBeCloseTo(batched, 5);
    // fit's loss is taken before the step: the same value, in History and in the callbacks' logs.
    const logged: number[] = [];
    const history = await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: false, callbacks: { onBatchEnd: (_, logs) => void logged.push(logs!.loss as number) } });
    expect(history.history.loss[0]).toBeCloseTo(whole, 5);
    expect(logged[0]).toBeCloseTo(whole, 5);
    // The validation loss has it too.
    const after = squareLoss(readWeights(model), allRows);
    const validated = await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0, validationData: [x, y], shuffle: false });
    expect(validated.history.loss[0]).toBeCloseTo(after, 5);
    expect(validated.history.val_loss[0]).toBeCloseTo(squareLoss(readWeights(model), allRows), 5);
  });

  it("trains with the term's gradient, which the layer adds in backward, matching finite differences of the total loss", async () => {
    const model = squareSandwich();
    const weights = readWeights(model);
    const expected = finiteDifferences(weights, () => squareLoss(weights, allRows));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['kernel 1', 'bias 1', 'kernel 2', 'bias 2']);
  });

  it('adds each term of a shared layer called twice', async () => {
    km.utils.setRandomSeed(5);
    const penalty = new SquareSumLoss({ rate: RATE });
    const input = km.input({ shape: [IN] });
    const first = penalty.apply(km.layers.dense({ units: HIDDEN }).apply(input) as km.SymbolicTensor) as km.SymbolicTensor;
    const second = penalty.apply(km.layers.dense({ units: HIDDEN }).apply(input) as km.SymbolicTensor) as km.SymbolicTensor;
    const model = km.model({ inputs: input, outputs: km.layers.dense({ units: OUT }).apply(km.layers.add().apply([first, second]) as km.SymbolicTensor) as km.SymbolicTensor });
    const [w1, b1, w2, b2, w3, b3] = readWeights(model);
    const h1 = xs.map((v) => dense(v, w1, b1));
    const h2 = xs.map((v) => dense(v, w2, b2));
    const error = xs.reduce((s, _, i) => s + mse(dense(h1[i].map((v, u) => v + h2[i][u]), w3, b3), ys[i]), 0) / BATCH;
    const terms = RATE * [...h1.flat(), ...h2.flat()].reduce((s, v) => s + v * v, 0);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [evaluated] = (await model.evaluate(x, y, { batchSize: BATCH, verbose: 0 })) as number[];
    expect(evaluated).toBeCloseTo(error + terms, 5);
  });
});

const LATENT = 3;

/** From seed 8: x → Dense (zMean), Dense (zLogVar) → KlDivergence → add → Dense, the KL example without sampling noise. */
function klBranch() {
  km.utils.setRandomSeed(8);
  const input = km.input({ shape: [IN] });
  const mean = km.layers.dense({ units: LATENT, biasInitializer: 'glorotUniform' }).apply(input) as km.SymbolicTensor;
  const logVar = km.layers.dense({ units: LATENT, biasInitializer: 'glorotUniform' }).apply(input) as km.SymbolicTensor;
  const [m, v] = new KlDivergence().apply([mean, logVar]) as unknown as km.SymbolicTensor[];
  const output = km.layers.dense({ units: OUT }).apply(km.layers.add().apply([m, v]) as km.SymbolicTensor) as km.SymbolicTensor;
  return { input, mean, logVar, output };
}

function klModel(): km.LayersModel {
  const { input, output } = klBranch();
  return km.model({ inputs: input, outputs: output });
}

/** The batch's mean of −½·Σ(1 + zLogVar − zMean² − exp(zLogVar)), from the zMean and zLogVar Dense weights. */
function klTerm([wm, bm, wv, bv]: number[][]): number {
  return xs.reduce((kl, v) => {
    const [m, lv] = [dense(v, wm, bm), dense(v, wv, bv)];
    return kl + m.reduce((s, mj, j) => s - 0.5 * (1 + lv[j] - mj * mj - Math.exp(lv[j])), 0) / BATCH;
  }, 0);
}

function klLoss(weights: number[][]): { loss: number; kl: number } {
  const [wm, bm, wv, bv, wo, bo] = weights;
  const error = xs.reduce((s, v, i) => s + mse(dense(dense(v, wm, bm).map((mj, j) => mj + dense(v, wv, bv)[j]), wo, bo), ys[i]), 0) / BATCH;
  const kl = klTerm(weights);
  return { loss: error + kl, kl };
}

describe("docs/CUSTOM_LAYERS.md's KL divergence layer", () => {
  it("adds the batch's mean KL term to evaluate's loss, and its gradient matches finite differences", async () => {
    const model = klModel();
    const weights = readWeights(model);
    const { loss, kl } = klLoss(weights);
    expect(kl).toBeGreaterThan(0.05);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [evaluated] = (await model.evaluate(x, y, { batchSize: BATCH, verbose: 0 })) as number[];
    expect(evaluated).toBeCloseTo(loss, 5);
    const expected = finiteDifferences(weights, () => klLoss(weights).loss);
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['zMean kernel', 'zMean bias', 'zLogVar kernel', 'zLogVar bias', 'kernel', 'bias']);
  });

  it('trains the layers before it when it reaches only an output compiled without a loss, as Keras does', async () => {
    // Two heads: Dense → mse, and the KL branch → Dense, compiled with loss null. Only the KL term reaches zMean's and zLogVar's weights.
    const { input, mean, logVar, output: idle } = klBranch();
    const head = km.layers.dense({ units: OUT });
    const model = km.model({ inputs: input, outputs: [head.apply(input) as km.SymbolicTensor, idle] });
    const weightsOf = (layer: km.layers.Layer) => layer.getWeights().map((w) => Array.from(w.dataSync()));
    const [meanLayer, logVarLayer, idleLayer] = [mean, logVar, idle].map((t) => t.sourceLayer);
    const latentWeights = () => [...weightsOf(meanLayer), ...weightsOf(logVarLayer)];
    const kl = klTerm;
    const before = latentWeights();
    const [idleBefore, [wf, bf]] = [weightsOf(idleLayer), weightsOf(head)];
    const warn = console.warn;
    console.warn = () => {};
    try {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: ['meanSquaredError', null] });
      const history = await model.fit(x, [y, km.zeros([BATCH, OUT])], { epochs: 20, batchSize: BATCH, verbose: 0 });
      const error = xs.reduce((s, v, i) => s + mse(dense(v, wf, bf), ys[i]), 0) / BATCH;
      expect(history.history.loss[0]).toBeCloseTo(error + kl(before), 5);
    } finally {
      console.warn = warn;
    }
    expect(kl(latentWeights())).toBeLessThan(kl(before) / 4);
    // The idle head's Dense gets no gradient, so the optimizer leaves it as it was.
    expect(weightsOf(idleLayer)).toEqual(idleBefore);
  });
});

type Misuse = 'in backward' | 'twice' | 'output' | 'no buffer';

/** Identity on [IN] features that calls ctx.addLoss the wrong way. */
class MisusesAddLoss extends km.layers.Layer {
  readonly className = 'MisusesAddLoss';

  constructor(readonly misuse: Misuse) {
    super({ name: 'misuses_add_loss' }, 'MisusesAddLoss');
  }

  computeOutputShape([shape]: readonly km.layers.Shape[]): km.layers.Shape {
    return shape;
  }

  override workspaceSize(): number {
    return 1;
  }

  forward(ctx: km.layers.ForwardContext): void {
    ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * IN);
    if (this.misuse === 'twice') ctx.addLoss(ctx.workspace);
    if (this.misuse !== 'in backward') ctx.addLoss(this.misuse === 'output' ? ctx.output : this.misuse === 'no buffer' ? 0 : ctx.workspace);
  }

  backward(ctx: km.layers.BackwardContext): void {
    if (this.misuse === 'in backward') ctx.addLoss(ctx.workspace);
    if (ctx.inputGrads[0]) ctx.backend.copy(ctx.outputGrad, ctx.inputGrads[0], ctx.batch * IN);
  }
}

describe('ctx.addLoss used the wrong way', () => {
  const fit = (misuse: Misuse) => {
    const model = km.sequential([km.layers.dense({ units: IN, inputShape: [IN] }), new MisusesAddLoss(misuse), km.layers.dense({ units: OUT })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    return model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
  };

  it('outside forward (from backward): names the layer and where to call it', async () => {
    await expect(fit('in backward')).rejects.toThrow(
      /^Layer 'misuses_add_loss': ctx\.addLoss was called outside the layer's forward pass \(in backward, or after forward returned\)\. Call it in forward\(ctx\)/,
    );
  });

  it('the same buffer twice in one forward: says each term needs a float of its own', async () => {
    await expect(fit('twice')).rejects.toThrow(
      /^Layer 'misuses_add_loss': ctx\.addLoss received the same buffer \(\d+\) twice in one forward pass\. .* counts its last value twice\. Give each term a float of its own/,
    );
  });

  it('on a buffer of more than one float: names it, its length, and how to reduce it', async () => {
    await expect(fit('output')).rejects.toThrow(
      /^Layer 'misuses_add_loss': ctx\.addLoss takes a buffer of one float, this batch's loss term; received ctx\.output, which holds 20 floats\. Reduce it to one float of your workspace first, e\.g\. backend\.columnSum\(values, term, 20, 1, false\)/,
    );
  });

  it('on no buffer: quotes the value received', async () => {
    await expect(fit('no buffer')).rejects.toThrow(/^Layer 'misuses_add_loss': ctx\.addLoss takes a backend buffer holding this batch's loss term; received 0\./);
  });

  it("tfjs' layer.addLoss(fn): refused with the way to add a term in kerasm", () => {
    const layer = km.layers.dense({ units: 2, name: 'ported' });
    expect(() => layer.addLoss(() => 0)).toThrow(/^Layer 'ported': layer\.addLoss\(fn\) is tfjs' form, .* no automatic differentiation\. .* call ctx\.addLoss\(term\) in forward\(ctx\), .*docs\/CUSTOM_LAYERS\.md/);
  });
});
