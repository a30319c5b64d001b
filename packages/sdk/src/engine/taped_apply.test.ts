import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { SquareSumLoss } from '../testing/loss_layers.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

function values(n: number, random: Random): Float32Array {
  return Float32Array.from({ length: n }, () => random.uniform(-1, 1));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance);
}

/** The same MLP in both libraries, tfjs' with kerasm's initial weights. */
function twinMLPs(seed: number): { ours: km.Sequential; theirs: tfl.Sequential } {
  km.utils.setRandomSeed(seed);
  const ours = km.sequential([km.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), km.layers.dense({ units: 3 })]);
  const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), tfl.layers.dense({ units: 3 })] });
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  return { ours, theirs };
}

/**
 * Steps a model made by `made()` with `cost` and `optimizer.minimize`, and a second one with fit on
 * the same whole batch, one epoch a step: the costs must equal fit's losses and the weights end equal.
 * Returns the costs.
 */
async function expectLoopTakesFitSteps(made: () => km.Sequential, optimizer: () => km.optimizers.Optimizer, x: km.Tensor, y: km.Tensor, cost: (model: km.Sequential) => km.Tensor, steps = 4): Promise<number[]> {
  const [looped, fitted] = [made(), made()];
  const stepper = optimizer();
  const costs = Array.from({ length: steps }, () => stepper.minimize(() => cost(looped), true)!.dataSync()[0]);
  fitted.compile({ optimizer: optimizer(), loss: 'meanSquaredError' });
  const history = await fitted.fit(x, y, { epochs: steps, batchSize: x.shape[0], shuffle: false, verbose: 0 });
  expectClose(costs, history.history.loss as number[], 1e-5);
  const [a, b] = [looped.getWeights(), fitted.getWeights()];
  a.forEach((w, i) => expectClose(w.dataSync(), b[i].dataSync(), 1e-5));
  return costs;
}

describe('models and layers applied to data inside km.variableGrads', () => {
  it('give the gradient of a km-ops cost with respect to every trainable weight, as tf.variableGrads does through tfjs-layers', () => {
    const random = new Random(1);
    const { ours, theirs } = twinMLPs(2);
    const [x, y] = [values(6 * 4, random), values(6 * 3, random)];
    const { value, grads } = km.variableGrads(() => km.mean(km.square(km.sub(ours.apply(km.tensor(x, [6, 4])) as km.Tensor, km.tensor(y, [6, 3])))));
    const reference = tf.variableGrads(
      () => tf.mean(tf.square(tf.sub(theirs.apply(tf.tensor(x, [6, 4])) as tf.Tensor, tf.tensor(y, [6, 3])))) as tf.Scalar,
      theirs.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    expectClose(value.dataSync(), reference.value.dataSync());
    expect(Object.keys(grads)).toEqual(ours.trainableWeights.map((w) => w.name));
    theirs.trainableWeights.forEach((w, i) => expectClose(grads[ours.trainableWeights[i].name].dataSync(), reference.grads[(w.read() as tf.Variable).name].dataSync()));
  });

  it('sum the gradients of a model applied twice and of several outputs, and take a layer applied alone', () => {
    const random = new Random(3);
    km.utils.setRandomSeed(4);
    const input = km.input({ shape: [3] });
    const shared = km.layers.dense({ units: 4, activation: 'sigmoid', name: 'shared' });
    const h = shared.apply(input);
    const ours = km.model({ inputs: input, outputs: [km.layers.dense({ units: 2, name: 'a' }).apply(h), km.layers.dense({ units: 1, name: 'b' }).apply(h)] });
    const extra = km.layers.dense({ units: 2, name: 'extra', inputShape: [3] });
    const [real, fake] = [values(5 * 3, random), values(5 * 3, random)];
    const cost = (r: km.Tensor[], f: km.Tensor[], e: km.Tensor) => km.add(km.add(km.sum(km.mul(r[0], r[0])), km.mean(f[1])), km.sum(km.mul(e, f[0])));
    const { grads } = km.variableGrads(() => cost(ours.apply(km.tensor(real, [5, 3])) as km.Tensor[], ours.apply(km.tensor(fake, [5, 3]), { training: true }) as km.Tensor[], extra.apply(km.tensor(real, [5, 3])) as km.Tensor));

    const tIn = tfl.input({ shape: [3] });
    const tH = tfl.layers.dense({ units: 4, activation: 'sigmoid', name: 'shared' }).apply(tIn) as tfl.SymbolicTensor;
    const theirs = tfl.model({ inputs: tIn, outputs: [tfl.layers.dense({ units: 2, name: 'a' }).apply(tH) as tfl.SymbolicTensor, tfl.layers.dense({ units: 1, name: 'b' }).apply(tH) as tfl.SymbolicTensor] });
    const theirExtra = tfl.layers.dense({ units: 2, name: 'extra', inputShape: [3] });
    theirExtra.apply(tfl.input({ shape: [3] }));
    for (const name of ['shared', 'a', 'b']) theirs.getLayer(name).setWeights((ours.getLayer(name) as km.layers.Layer).getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    theirExtra.setWeights(extra.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const tfCost = (r: tf.Tensor[], f: tf.Tensor[], e: tf.Tensor) => tf.add(tf.add(tf.sum(tf.mul(r[0], r[0])), tf.mean(f[1])), tf.sum(tf.mul(e, f[0]))) as tf.Scalar;
    const variables = [...theirs.trainableWeights, ...theirExtra.trainableWeights].map((w) => w.read() as tf.Variable);
    const reference = tf.variableGrads(() => tfCost(theirs.apply(tf.tensor(real, [5, 3])) as tf.Tensor[], theirs.apply(tf.tensor(fake, [5, 3])) as tf.Tensor[], theirExtra.apply(tf.tensor(real, [5, 3])) as tf.Tensor), variables);
    const ourWeights = [...ours.trainableWeights, ...extra.trainableWeights];
    expect(Object.keys(grads).sort()).toEqual(ourWeights.map((w) => w.name).sort());
    ourWeights.forEach((w, i) => expectClose(grads[w.name].dataSync(), reference.grads[variables[i].name].dataSync(), 1e-4));
  });

  it('optimizer.minimize over a model takes the steps fit takes, Adam state included', async () => {
    const random = new Random(5);
    const [x, y] = [km.tensor(values(8 * 4, random), [8, 4]), km.tensor(values(8 * 3, random), [8, 3])];
    const costs = await expectLoopTakesFitSteps(() => twinMLPs(6).ours, () => km.optimizers.adam({ learningRate: 0.05 }), x, y, (model) => km.mean(km.mean(km.square(km.sub(model.apply(x, { training: true }) as km.Tensor, y)), -1)), 5);
    expect(costs[4]).toBeLessThan(costs[0]);
  });

  it('Σ model.losses in the cost adds the weight penalties and their gradients, as fit adds them', async () => {
    const random = new Random(14);
    const [x, y] = [km.tensor(values(8 * 4, random), [8, 4]), km.tensor(values(8 * 2, random), [8, 2])];
    const regularized = () => {
      km.utils.setRandomSeed(15);
      return km.sequential([
        km.layers.dense({ units: 5, activation: 'tanh', inputShape: [4], kernelRegularizer: km.regularizers.l2({ l2: 0.05 }) }),
        km.layers.dense({ units: 2, biasInitializer: 'ones', biasRegularizer: km.regularizers.l1({ l1: 0.02 }) }),
      ]);
    };
    const models: km.Sequential[] = [];
    const made = () => models[models.push(regularized()) - 1];
    await expectLoopTakesFitSteps(made, () => km.optimizers.sgd({ learningRate: 0.2 }), x, y, (model) => model.losses.reduce((total, penalty) => km.add(total, penalty), km.mean(km.mean(km.square(km.sub(model.apply(x, { training: true }) as km.Tensor, y)), -1))));
    // Outside a gradient call the penalties are numbers of the current weights, as before.
    const [looped, fitted] = models;
    expect(looped.losses.map((t) => t.dataSync()[0])).toEqual(fitted.losses.map((t) => t.dataSync()[0]).map((v) => expect.closeTo(v, 6)));
  });

  it('minimize and fit take turns on one Adam state, and minimize over some weights leaves the others and their state as they were', async () => {
    const random = new Random(16);
    const [x, y] = [km.tensor(values(8 * 4, random), [8, 4]), km.tensor(values(8 * 3, random), [8, 3])];
    const cost = (model: km.Sequential) => km.mean(km.mean(km.square(km.sub(model.apply(x, { training: true }) as km.Tensor, y)), -1));
    const args = { batchSize: 8, shuffle: false, verbose: 0 } as const;
    const [turns, fitted] = [twinMLPs(17).ours, twinMLPs(17).ours];
    for (const model of [turns, fitted]) model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    await turns.fit(x, y, { ...args, epochs: 2 });
    for (let step = 0; step < 2; step++) turns.optimizer!.minimize(() => cost(turns));
    await turns.fit(x, y, { ...args, epochs: 1 });
    await fitted.fit(x, y, { ...args, epochs: 5 });
    turns.getWeights().forEach((w, i) => expectClose(w.dataSync(), fitted.getWeights()[i].dataSync()));

    // The head alone, against fit with the first layer frozen: the same head, the first layer untouched.
    const [headOnly, frozen] = [twinMLPs(18).ours, twinMLPs(18).ours];
    const first = headOnly.getWeights().slice(0, 2).map((w) => Array.from(w.dataSync()));
    const optimizer = km.optimizers.adam({ learningRate: 0.05 });
    for (let step = 0; step < 3; step++) optimizer.minimize(() => cost(headOnly), false, (headOnly.layers[1] as km.layers.Layer).trainableWeights);
    frozen.layers[0].trainable = false;
    frozen.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    await frozen.fit(x, y, { ...args, epochs: 3 });
    const layerWeights = (model: km.Sequential, k: number) => (model.layers[k] as km.layers.Layer).getWeights();
    layerWeights(headOnly, 0).forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(first[i]));
    layerWeights(headOnly, 1).forEach((w, i) => expectClose(w.dataSync(), layerWeights(frozen, 1)[i].dataSync()));
  });

  it('varList picks the weights: a frozen choice leaves the others out', () => {
    const { ours } = twinMLPs(7);
    const x = km.ones([2, 4]);
    const head = ours.layers[1] as km.layers.Layer;
    const { grads } = km.variableGrads(() => km.sum(ours.predict(x) as km.Tensor), head.trainableWeights);
    expect(Object.keys(grads)).toEqual(head.trainableWeights.map((w) => w.name));
    // d(sum of outputs)/d(bias) is the batch size for every unit.
    expect(Array.from(grads[head.trainableWeights[1].name].dataSync())).toEqual([2, 2, 2]);
  });
});

describe('the gradient flows into a model applied to a value the call differentiates', () => {
  it('km.grad through a model gives the gradient of its input, as tf.grad through tfjs-layers', () => {
    const random = new Random(9);
    const { ours, theirs } = twinMLPs(10);
    const x = values(3 * 4, random);
    const ourGrad = km.grad((t) => km.sum(km.square(ours.apply(t) as km.Tensor)))(km.tensor(x, [3, 4]));
    const theirGrad = tf.grad((t) => tf.sum(tf.square(theirs.apply(t) as tf.Tensor)))(tf.tensor(x, [3, 4]));
    expect(ourGrad.shape).toEqual([3, 4]);
    expectClose(ourGrad.dataSync(), theirGrad.dataSync());
  });

  it("a generator trains through a discriminator applied to its output, as tfjs' GAN loop does", () => {
    const random = new Random(11);
    km.utils.setRandomSeed(12);
    const generator = km.sequential([km.layers.dense({ units: 6, activation: 'relu', inputShape: [2] }), km.layers.dense({ units: 4, activation: 'tanh' })]);
    const discriminator = km.sequential([km.layers.dense({ units: 5, activation: 'relu', inputShape: [4] }), km.layers.dense({ units: 1, activation: 'sigmoid' })]);
    const tfGenerator = tfl.sequential({ layers: [tfl.layers.dense({ units: 6, activation: 'relu', inputShape: [2] }), tfl.layers.dense({ units: 4, activation: 'tanh' })] });
    const tfDiscriminator = tfl.sequential({ layers: [tfl.layers.dense({ units: 5, activation: 'relu', inputShape: [4] }), tfl.layers.dense({ units: 1, activation: 'sigmoid' })] });
    tfGenerator.setWeights(generator.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    tfDiscriminator.setWeights(discriminator.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const z = values(7 * 2, random);
    // The generator's loss: -mean(log D(G(z))), differentiated for the generator's weights only.
    const { value, grads } = km.variableGrads(() => km.neg(km.mean(km.log(discriminator.apply(generator.apply(km.tensor(z, [7, 2]))) as km.Tensor))), generator.trainableWeights);
    const variables = tfGenerator.trainableWeights.map((w) => w.read() as tf.Variable);
    const reference = tf.variableGrads(() => tf.neg(tf.mean(tf.log(tfDiscriminator.apply(tfGenerator.apply(tf.tensor(z, [7, 2]))) as tf.Tensor))) as tf.Scalar, variables);
    expectClose(value.dataSync(), reference.value.dataSync());
    expect(Object.keys(grads)).toEqual(generator.trainableWeights.map((w) => w.name));
    generator.trainableWeights.forEach((w, i) => expectClose(grads[w.name].dataSync(), reference.grads[variables[i].name].dataSync()));
  });

  it('an input read twice, and an int32 input beside it, take their gradients as a functional model reads them', () => {
    km.utils.setRandomSeed(13);
    const [a, ids] = [km.input({ shape: [3], name: 'a' }), km.input({ shape: [2], dtype: 'int32', name: 'ids' })];
    const embedded = km.layers.flatten().apply(km.layers.embedding({ inputDim: 5, outputDim: 3 }).apply(ids));
    const both = km.layers.concatenate().apply([km.layers.dense({ units: 2 }).apply(a), a, embedded]);
    const model = km.model({ inputs: [a, ids], outputs: km.layers.dense({ units: 1 }).apply(both) });
    const idValues = km.tensor([[1, 4], [0, 2]], [2, 2], 'int32');
    const f = (t: km.Tensor) => km.sum(model.apply([t, idValues]) as km.Tensor);
    const x0 = km.tensor([[0.3, -0.2, 0.5], [1, 0.1, -0.7]]);
    const analytic = km.grad(f)(x0).dataSync();
    // Central differences of the same model: the cost is linear in a, so they are exact up to rounding.
    const base = x0.dataSync();
    base.forEach((_, i) => {
      const shifted = (d: number) => f(km.tensor(base.map((v, j) => (j === i ? v + d : v)), [2, 3])).dataSync()[0];
      expect(Math.abs((shifted(1e-2) - shifted(-1e-2)) / 2e-2 - analytic[i])).toBeLessThan(1e-3);
    });
  });
});

describe('what a gradient call cannot take through a model gets an error naming the fix', () => {
  it('a model with a layer that adds a loss term (ctx.addLoss), whose backward would add its gradient to a value without it', () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [4] }), new SquareSumLoss({ rate: 0.5, name: 'square_sum' }), km.layers.dense({ units: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [x, y] = [km.ones([2, 4]), km.zeros([2, 2])];
    // The value would be the compiled loss alone while the gradient held the term's: refused.
    expect(() => km.variableGrads(() => model.computeLoss(y, model.apply(x, { training: true })), model.trainableWeights)).toThrow(
      /inside a gradient call: layer 'square_sum' adds a loss term \(ctx\.addLoss\), which a gradient call would leave out of the value but not of the gradient/,
    );
    // Outside a gradient call the model applies as before.
    expect((model.apply(x) as km.Tensor).shape).toEqual([2, 2]);
  });

  it('a model with an activity regularizer, and a varList entry that is not a variable or weight', () => {
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3], activityRegularizer: km.regularizers.l2({ l2: 0.1 }) })]);
    expect(() => km.variableGrads(() => km.sum(model.apply(km.ones([1, 3])) as km.Tensor))).toThrow(/has an activity regularizer, whose penalty a gradient call would leave out of the value but not of the gradient/);
    expect(() => km.variableGrads(() => km.scalar(1), [km.ones([2]) as never])).toThrow(
      "km.variableGrads(): varList takes variables (km.variable(...)) and model weights (model.trainableWeights). Received: varList[0]=Tensor. A model weight's read() is a copy of its values: pass the weights themselves, model.trainableWeights, where tfjs passes model.trainableWeights.map((w) => w.read()).",
    );
  });
});
