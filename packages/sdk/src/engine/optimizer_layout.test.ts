import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { adamRule } from '../testing/optimizer_reference.js';

// Optimizer state belongs to each weight, as in Keras 3 and tfjs: freezing a layer, sharing an
// optimizer between models or moving to another backend must not restart anyone's moments. The
// reference steps Adam per weight in float64 on hand-written gradients of a two-layer linear model.

const X = [[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.2, 2.0]];
const Y = [[1.0], [-0.5], [0.3], [2.2]];
const LR = 0.05;

/** Float64 copies of a model's weights in `getWeights()` order, keyed by weight name. */
type Weights = Map<string, Float64Array>;

function weightsOf(model: km.LayersModel): Weights {
  return new Map(model.weights.map((w, i) => [w.name, Float64Array.from(model.getWeights()[i].dataSync())]));
}

/** Mean-squared-error gradients of `inputs → dense(3) → dense(1)`, both linear, for the whole batch. */
function twoLayerGradients(w: Weights, first: string, second: string): Weights {
  const [w1, b1, w2, b2] = [w.get(`${first}/kernel`)!, w.get(`${first}/bias`)!, w.get(`${second}/kernel`)!, w.get(`${second}/bias`)!];
  const g = new Map([...w].map(([name, v]) => [name, new Float64Array(v.length)]));
  const [gw1, gb1, gw2, gb2] = [g.get(`${first}/kernel`)!, g.get(`${first}/bias`)!, g.get(`${second}/kernel`)!, g.get(`${second}/bias`)!];
  X.forEach((x, n) => {
    const h = [0, 1, 2].map((k) => b1[k] + x[0] * w1[k] + x[1] * w1[3 + k]);
    const p = b2[0] + h.reduce((sum, hk, k) => sum + hk * w2[k], 0);
    const r = (2 * (p - Y[n][0])) / X.length;
    gb2[0] += r;
    h.forEach((hk, k) => {
      gw2[k] += hk * r;
      const dh = r * w2[k];
      gb1[k] += dh;
      gw1[k] += x[0] * dh;
      gw1[3 + k] += x[1] * dh;
    });
  });
  return g;
}

/** Keras 3's Adam with one state per weight and one step count for all, over the weights in `trainable`. */
class ReferenceAdam {
  #state = new Map<string, Record<string, Float64Array>>();
  #rule = adamRule();
  steps = 0;

  apply(weights: Weights, grads: Weights, trainable: (name: string) => boolean): void {
    this.steps++;
    for (const [name, g] of grads) {
      if (!trainable(name)) continue;
      const state = this.#state.get(name) ?? {};
      this.#state.set(name, state);
      this.#rule(weights.get(name)!, g, state, this.steps, LR);
    }
  }

  /** What an optimizer that forgets everything on a new layout would do next. */
  restart(): void {
    this.#state.clear();
    this.steps = 0;
  }
}

function twoLayerModel(name: string): km.LayersModel {
  const model = km.sequential({
    name,
    layers: [km.layers.dense({ units: 3, inputShape: [2], name: `${name}_first` }), km.layers.dense({ units: 1, name: `${name}_second` })],
  });
  model.compile({ optimizer: km.optimizers.adam({ learningRate: LR }), loss: 'meanSquaredError' });
  return model;
}

function expectWeightsClose(model: km.LayersModel, expected: Weights): void {
  for (const [name, values] of weightsOf(model)) {
    const want = expected.get(name)!;
    values.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(2e-5));
  }
}

/** The largest elementwise difference between two sets of weights. */
function distance(a: Weights, b: Weights): number {
  return Math.max(...[...a].flatMap(([name, v]) => Array.from(v, (x, i) => Math.abs(x - b.get(name)![i]))));
}

const x = () => km.tensor(X);
const y = () => km.tensor(Y);

describe('optimizer state follows each weight through new layouts', () => {
  afterEach(() => km.setBackend('wasm'));

  it('a layer frozen and unfrozen between steps resumes its Adam moments; the others keep theirs', async () => {
    km.utils.setRandomSeed(3);
    const model = twoLayerModel('toggled');
    const first = model.getLayer('toggled_first');
    const [f, s] = ['toggled_first', 'toggled_second'];
    const reference = weightsOf(model);
    const restarted = weightsOf(model);
    const adam = new ReferenceAdam();
    const forgetful = new ReferenceAdam();
    for (const [steps, frozen] of [[3, false], [3, true], [3, false]] as const) {
      first.trainable = !frozen;
      forgetful.restart();
      const trainable = (name: string) => !(frozen && name.startsWith(`${f}/`));
      for (let i = 0; i < steps; i++) {
        await model.trainOnBatch(x(), y());
        adam.apply(reference, twoLayerGradients(reference, f, s), trainable);
        forgetful.apply(restarted, twoLayerGradients(restarted, f, s), trainable);
      }
    }
    expectWeightsClose(model, reference);
    // Restarting the moments at each change would have ended elsewhere: the check can tell.
    expect(distance(reference, restarted)).toBeGreaterThan(1e-2);
    expect(model.optimizer!.iterations).toBe(9);
  });

  it('one optimizer shared by two models keeps each model\'s moments and counts every step', async () => {
    km.utils.setRandomSeed(4);
    const a = twoLayerModel('left');
    const b = twoLayerModel('right');
    const optimizer = km.optimizers.adam({ learningRate: LR });
    a.compile({ optimizer, loss: 'meanSquaredError' });
    b.compile({ optimizer, loss: 'meanSquaredError' });
    const [ra, rb] = [weightsOf(a), weightsOf(b)];
    const adam = new ReferenceAdam();
    for (let i = 0; i < 4; i++) {
      await a.trainOnBatch(x(), y());
      adam.apply(ra, twoLayerGradients(ra, 'left_first', 'left_second'), () => true);
      await b.fit(x(), y(), { batchSize: 4, epochs: 1, verbose: 0 });
      adam.apply(rb, twoLayerGradients(rb, 'right_first', 'right_second'), () => true);
    }
    expectWeightsClose(a, ra);
    expectWeightsClose(b, rb);
    expect(optimizer.iterations).toBe(8);
    // Disposing one model frees its weights' state only: the other trains on from its own.
    a.dispose();
    await b.trainOnBatch(x(), y());
    adam.apply(rb, twoLayerGradients(rb, 'right_first', 'right_second'), () => true);
    expectWeightsClose(b, rb);
    expect(optimizer.iterations).toBe(9);
  });

  it('moving to another backend between steps carries the moments, a frozen layer\'s included', async () => {
    km.utils.setRandomSeed(5);
    const model = twoLayerModel('moved');
    const first = model.getLayer('moved_first');
    const [f, s] = ['moved_first', 'moved_second'];
    const reference = weightsOf(model);
    const adam = new ReferenceAdam();
    const step = async (frozen: boolean) => {
      first.trainable = !frozen;
      await model.trainOnBatch(x(), y());
      adam.apply(reference, twoLayerGradients(reference, f, s), (name) => !(frozen && name.startsWith(`${f}/`)));
    };
    for (let i = 0; i < 3; i++) await step(false);
    await step(true);
    await km.setBackend('tfjs-cpu');
    for (let i = 0; i < 2; i++) await step(true);
    for (let i = 0; i < 3; i++) await step(false);
    expectWeightsClose(model, reference);
  });

  it('useEma: after a new layout the moving average restarts from the weights', async () => {
    const run = async (useEma: boolean) => {
      km.utils.setRandomSeed(7);
      const model = twoLayerModel(useEma ? 'averaged' : 'plain');
      model.compile({ optimizer: km.optimizers.adam({ learningRate: LR, ...(useEma ? { useEma, emaMomentum: 0.5 } : {}) }), loss: 'meanSquaredError' });
      for (let i = 0; i < 2; i++) await model.trainOnBatch(x(), y());
      model.layers[0].trainable = false;
      // fit ends by writing the average into the weights: restarted at this one update, it is them.
      await model.fit(x(), y(), { batchSize: 4, epochs: 1, verbose: 0 });
      return model.getWeights().map((w) => Array.from(w.dataSync()));
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('a model saved with a layer frozen keeps every weight\'s state: unfrozen after loading, it resumes as the model it was saved from; tfjs reads the file too', async () => {
    km.utils.setRandomSeed(6);
    const model = twoLayerModel('saved');
    for (let i = 0; i < 2; i++) await model.trainOnBatch(x(), y());
    model.getLayer('saved_first').trainable = false;
    await model.trainOnBatch(x(), y());
    let artifacts: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (a) => void (artifacts = a)), { includeOptimizer: true });
    const names = artifacts!.weightSpecs!.map((w) => w.name);
    // Each state's trainable weights first (what tfjs reads by position), then the frozen layer's.
    expect(names.slice(4)).toEqual([
      'iter', 'saved_second/kernel/m', 'saved_second/bias/m', 'saved_first/kernel/m', 'saved_first/bias/m',
      'saved_second/kernel/v', 'saved_second/bias/v', 'saved_first/kernel/v', 'saved_first/bias/v',
    ]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts!));
    expect(loaded.getLayer('saved_first').trainable).toBe(false);
    for (const m of [model, loaded]) await m.trainOnBatch(x(), y());
    expect(distance(weightsOf(loaded), weightsOf(model))).toBe(0);
    // Unfrozen, the first layer resumes the moments it had when it was frozen, in both.
    for (const m of [model, loaded]) {
      m.getLayer('saved_first').trainable = true;
      await m.trainOnBatch(x(), y());
    }
    expect(distance(weightsOf(loaded), weightsOf(model))).toBe(0);
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    theirs.compile({ optimizer: theirs.optimizer, loss: 'meanSquaredError' });
    const loss = (await theirs.trainOnBatch(tf.tensor(X), tf.tensor(Y))) as number;
    expect(Number.isFinite(loss)).toBe(true);
  });
});
