import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';

// optimizer.getWeights()/setWeights() on every kerasm optimizer: the list is the optimizer part of
// model.save(..., { includeOptimizer: true }), and a twin given it continues exactly alike. What
// setWeights refuses, it refuses whole.

const SAMPLES = 16;
let x: km.Tensor;
let y: km.Tensor;

beforeAll(async () => {
  await km.ready();
  const random = new Random(5);
  x = km.tensor(Float32Array.from({ length: SAMPLES * 3 }, () => random.uniform(-1, 1)), [SAMPLES, 3]);
  y = km.tensor(Float32Array.from({ length: SAMPLES * 2 }, () => random.uniform(-1, 1)), [SAMPLES, 2]);
});

function trainedModel(optimizer: km.optimizers.Optimizer): km.Sequential {
  km.utils.setRandomSeed(3);
  const model = km.sequential([km.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), km.layers.dense({ units: 2 })]);
  model.compile({ optimizer, loss: 'mse' });
  return model;
}

// One batch per epoch: three epochs leave a gradient accumulation of 2 mid-way.
const fitArgs = { epochs: 3, batchSize: SAMPLES, shuffle: false, verbose: 0 as const };

async function listed(list: readonly km.optimizers.NamedTensor[]) {
  return Promise.all(list.map(async ({ name, tensor }) => ({ name, shape: [...tensor.shape], dtype: tensor.dtype, values: Array.from(await tensor.data()) })));
}

const optimizers: [string, () => km.optimizers.Optimizer][] = [
  ['adam', () => km.optimizers.adam(0.01)],
  ['adam amsgrad', () => km.optimizers.adam({ learningRate: 0.01, amsgrad: true })],
  ['adamw', () => km.optimizers.adamw(0.01)],
  ['sgd', () => km.optimizers.sgd(0.1)],
  ['sgd nesterov momentum', () => km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['rmsprop centered', () => km.optimizers.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 })],
  ['adagrad', () => km.optimizers.adagrad(0.1)],
  ['adamax', () => km.optimizers.adamax(0.01)],
  ['nadam', () => km.optimizers.nadam(0.01)],
  ['adadelta', () => km.optimizers.adadelta(1)],
  ['lion', () => km.optimizers.lion(0.001)],
  ['ftrl', () => km.optimizers.ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.001 })],
  ['lamb', () => km.optimizers.lamb(0.01)],
  ['adafactor', () => km.optimizers.adafactor(0.01)],
  ['adam useEma', () => km.optimizers.adam({ learningRate: 0.01, useEma: true, emaMomentum: 0.5 })],
  ['adam gradientAccumulationSteps', () => km.optimizers.adam({ learningRate: 0.01, gradientAccumulationSteps: 2 })],
];

describe('every optimizer', () => {
  it.each(optimizers)('%s: getWeights() is what save writes, and setWeights() on a twin continues exactly alike', async (name, make) => {
    const ours = trainedModel(make());
    await ours.fit(x, y, fitArgs);
    const state = await ours.optimizer!.getWeights();
    let saved: km.io.ModelArtifacts | undefined;
    await ours.save(km.io.withSaveHandler(async (a) => void (saved = a)), { includeOptimizer: true });
    const specs = saved!.weightSpecs!.filter((w) => w.group === 'optimizer');
    expect(state.map((w) => w.name)).toEqual(specs.map((w) => w.name));
    expect(state.map((w) => w.tensor.shape)).toEqual(specs.map((w) => w.shape));
    const bytes = new Uint8Array(saved!.weightData as ArrayBuffer).slice(4 * ours.countParams());
    const fromList = new Uint8Array(state.reduce((n, w) => n + w.tensor.size * 4, 0));
    let at = 0;
    for (const { tensor } of state) fromList.set(new Uint8Array(tensor.dataSync().buffer, tensor.dataSync().byteOffset, tensor.size * 4), (at += tensor.size * 4) - tensor.size * 4);
    expect(fromList).toEqual(bytes);

    // A twin of the trained model, compiled with a fresh optimizer of the same config, then given the list.
    const twin = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(ours)));
    const restarted = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(ours)));
    for (const model of [twin, restarted]) model.compile({ optimizer: make(), loss: 'mse' });
    await twin.optimizer!.setWeights(state);
    expect(await listed(await twin.optimizer!.getWeights())).toEqual(await listed(state));
    await ours.fit(x, y, fitArgs);
    await twin.fit(x, y, fitArgs);
    await restarted.fit(x, y, fitArgs);
    const values = (m: km.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    // SGD's momentum is listed as tfjs' accumulator, velocity / −learningRate, which rounds.
    if (name.includes('momentum')) values(twin).forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(values(ours)[i][j], 6)));
    else expect(values(twin)).toEqual(values(ours));
    // Without the list the twin goes elsewhere (SGD without momentum keeps no state but iter).
    if (state.length > 1) expect(values(restarted)).not.toEqual(values(ours));
  });
});

describe('setWeights refuses a wrong list and changes nothing', () => {
  async function trainedAdam() {
    const model = trainedModel(km.optimizers.adam(0.01));
    await model.fit(x, y, fitArgs);
    const optimizer = model.optimizer!;
    return { model, optimizer, state: await optimizer.getWeights(), before: await listed(await optimizer.getWeights()) };
  }

  it('names the problem in each case, and leaves the state and iterations as they were', async () => {
    const { optimizer, state, before } = await trainedAdam();
    const [kernelM] = state.filter((w) => w.name.endsWith('/m'));
    const replaced = (name: string, tensor: km.Tensor) => state.map((w) => (w.name === name ? { name, tensor } : w));
    const refusals: [unknown, string][] = [
      ['not a list', "Adam.setWeights takes the list getWeights() returns: [{ name: 'iter', tensor }, { name: '<weight>/<state>', tensor }, ...]. Received: \"not a list\"."],
      [[...state, { name: 'extra', tensor: 3 }], 'Adam.setWeights: entry 9 must be { name: string, tensor } with a km.Tensor or TensorFlow.js tensor, as getWeights() returns. Received: an object with keys [name, tensor].'],
      [state.slice(0, -1), "Adam.setWeights: the list holds 8 tensors, but Adam's state for its model's 4 trainable weights is 9:"],
      [state.map((w) => (w === kernelM ? { ...w, name: 'other/kernel/m' } : w)), "Adam.setWeights: 'other/kernel/m' names no state of Adam for its model's trainable weights. Expected names: 'iter', "],
      [replaced(kernelM.name, km.zeros([4, 3])), `Adam.setWeights: '${kernelM.name}' has shape [4, 3], but that state's shape is [3, 4].`],
      [replaced(kernelM.name, km.tensor(Float32Array.from(kernelM.tensor.dataSync(), (v, i) => (i === 5 ? NaN : v)), [3, 4])), `Adam.setWeights: '${kernelM.name}' holds NaN at index 5; optimizer state must be finite.`],
      [replaced(kernelM.name, km.tensor(new Int32Array(12), [3, 4])), `Adam.setWeights: '${kernelM.name}' is int32; optimizer state is float32.`],
      [state.slice(1), "Adam.setWeights: the list has no 'iter' entry, the number of updates applied, which getWeights() lists first."],
      [[...state.slice(0, -1), state[1]], `Adam.setWeights: '${state[1].name}' appears more than once.`],
      [replaced('iter', km.tensor(1.5)), "Adam.setWeights: 'iter' must be a scalar whole number ≥ 0 (the updates applied). Received: shape [], values [1.5]."],
    ];
    for (const [list, message] of refusals) {
      await expect(optimizer.setWeights(list as km.optimizers.NamedTensor[])).rejects.toThrow(message);
      expect(optimizer.iterations).toBe(3);
      expect(await listed(await optimizer.getWeights())).toEqual(before);
    }
  });

  it("restores iterations when the state cannot be written: SGD's momentum at a learning rate of 0", async () => {
    const model = trainedModel(km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }));
    await model.fit(x, y, fitArgs);
    const optimizer = model.optimizer!;
    const state = await optimizer.getWeights();
    optimizer.learningRate = 0;
    await expect(optimizer.setWeights(state.map((w) => (w.name === 'iter' ? { name: 'iter', tensor: km.tensor(Int32Array.of(7), []) } : w)))).rejects.toThrow("SGD's momentum state while its learning rate is 0");
    expect(optimizer.iterations).toBe(3);
  });

  it('an optimizer no model has used takes only [iter] at 0; other state is refused, naming the fix', async () => {
    const { state } = await trainedAdam();
    const unused = km.optimizers.adam();
    await unused.setWeights([{ name: 'iter', tensor: km.tensor(Int32Array.of(0), []) }]);
    await expect(unused.setWeights(state)).rejects.toThrow(
      'Adam.setWeights: Adam holds no state yet, so there is nothing to set: its state is laid out for a model\'s trainable weights when the model first runs with it. Compile a model with this optimizer and build it (model.fit, model.predict, or model.getWeights() builds it), then call setWeights.',
    );
    expect(await listed(await unused.getWeights())).toEqual([{ name: 'iter', shape: [], dtype: 'int32', values: [0] }]);
  });
});

describe('a model loaded without optimizer state', () => {
  it('warns at its first fit that training starts afresh, unless setWeights gave its optimizer state', async () => {
    const ours = trainedModel(km.optimizers.adam(0.01));
    await ours.fit(x, y, fitArgs);
    const state = await ours.optimizer!.getWeights();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const fresh = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(ours)));
      await fresh.fit(x, y, { ...fitArgs, epochs: 1 });
      expect(warn.mock.calls.filter(([m]) => String(m).includes('so this training starts Adam afresh'))).toHaveLength(1);
      const resumed = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(ours)));
      await resumed.optimizer!.setWeights(state);
      await resumed.fit(x, y, { ...fitArgs, epochs: 1 });
      expect(warn.mock.calls.filter(([m]) => String(m).includes('so this training starts Adam afresh'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});
