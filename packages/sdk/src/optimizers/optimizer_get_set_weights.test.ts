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
      [state.map((w) => (w === kernelM ? { ...w, name: 'other/kernel/m' } : w)), "Adam.setWeights: 'other/kernel/m' names no state of Adam, which keeps state for its model's 4 trainable weights. Expected names: 'iter', "],
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

/** The optimizer part of what `model.save(..., { includeOptimizer: true })` writes: names, shapes, and the bytes. */
async function savedOptimizerState(model: km.LayersModel) {
  let saved: km.io.ModelArtifacts | undefined;
  await model.save(km.io.withSaveHandler(async (a) => void (saved = a)), { includeOptimizer: true });
  const specs = saved!.weightSpecs!.filter((w) => w.group === 'optimizer');
  const bytes = new Uint8Array(saved!.weightData as ArrayBuffer).slice(4 * model.countParams());
  return { names: specs.map((w) => w.name), shapes: specs.map((w) => w.shape), bytes };
}

/** A list's tensors as the bytes save would write for them, in list order. */
function listBytes(list: readonly km.optimizers.NamedTensor[]): Uint8Array {
  const out = new Uint8Array(list.reduce((n, w) => n + w.tensor.size * 4, 0));
  let at = 0;
  for (const { tensor } of list) {
    const data = tensor.dataSync();
    out.set(new Uint8Array(data.buffer, data.byteOffset, tensor.size * 4), at);
    at += tensor.size * 4;
  }
  return out;
}

const dValues = (m: km.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe("a frozen layer's state: getWeights lists it, as save writes it, and setWeights takes it", () => {
  const real = () => km.tensor(Float32Array.from({ length: 8 * 3 }, (_, i) => Math.sin(i + 1)), [8, 3]);
  const noise = () => km.tensor(Float32Array.from({ length: 8 * 2 }, (_, i) => Math.cos(3 * i)), [8, 2]);

  /** The GAN of FROM_TFJS.md: the discriminator `d` unfrozen around its own steps only. */
  function gan() {
    km.utils.setRandomSeed(11);
    const g = km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [2], name: 'g1' })] });
    const d = km.sequential({ layers: [km.layers.dense({ units: 4, inputShape: [3], activation: 'tanh', name: 'd1' }), km.layers.dense({ units: 1, activation: 'sigmoid', name: 'd2' })] });
    d.compile({ optimizer: km.optimizers.adam(0.01), loss: 'binaryCrossentropy' });
    d.trainable = false;
    const combined = km.sequential({ layers: [g, d] });
    combined.compile({ optimizer: km.optimizers.adam(0.01), loss: 'binaryCrossentropy' });
    return { g, d, combined };
  }

  async function ganStep({ g, d, combined }: ReturnType<typeof gan>): Promise<void> {
    d.trainable = true;
    await d.trainOnBatch(real(), km.ones([8, 1]));
    await d.trainOnBatch(g.predict(noise()) as km.Tensor, km.zeros([8, 1]));
    d.trainable = false;
    await combined.trainOnBatch(noise(), km.ones([8, 1]));
    d.predict(real()); // logging D(x) while d is frozen lays d's optimizer out for no weights
  }

  const dState = ['m', 'v'].flatMap((s) => ['d1/kernel', 'd1/bias', 'd2/kernel', 'd2/bias'].map((w) => `${w}/${s}`));

  it("a GAN discriminator between its steps: the whole list, what save writes, frozen or unfrozen again", async () => {
    const ours = gan();
    for (let step = 0; step < 2; step++) await ganStep(ours);
    const optimizer = ours.d.optimizer!;
    const frozen = await optimizer.getWeights();
    expect(frozen.map((w) => w.name)).toEqual(['iter', ...dState]);
    const saved = await savedOptimizerState(ours.d);
    expect(frozen.map((w) => w.name)).toEqual(saved.names);
    expect(frozen.map((w) => w.tensor.shape)).toEqual(saved.shapes);
    expect(listBytes(frozen)).toEqual(saved.bytes);
    ours.d.predict(real());
    ours.d.trainable = true; // no step since: the optimizer is still laid out for no weights
    expect(await listed(await optimizer.getWeights())).toEqual(await listed(frozen));
  });

  it('a GAN discriminator between its steps: its own list round-trips into a frozen twin, which continues bit for bit', async () => {
    const ours = gan();
    for (let step = 0; step < 2; step++) await ganStep(ours);
    const state = await ours.d.optimizer!.getWeights();
    const twin = gan();
    twin.d.trainable = true;
    twin.d.getWeights(); // built once trainable, so its optimizer knows d's weights
    twin.d.trainable = false;
    twin.d.predict(real());
    twin.d.setWeights(ours.d.getWeights());
    await twin.d.optimizer!.setWeights(state);
    expect(twin.d.optimizer!.iterations).toBe(4);
    expect(await listed(await twin.d.optimizer!.getWeights())).toEqual(await listed(state));
    for (const { d } of [ours, twin]) {
      d.trainable = true;
      await d.trainOnBatch(real(), km.ones([8, 1]));
    }
    expect(dValues(twin.d)).toEqual(dValues(ours.d));
  });

  it.each([
    ['adam', () => km.optimizers.adam(0.01), ['m', 'v']],
    ['rmsprop without momentum (tfjs keeps zeros for it)', () => km.optimizers.rmsprop(0.01), ['rms', 'momentum']],
  ] as const)('%s: a layer frozen after a step is listed after the trainable ones, as save writes it; setWeights of it goes to a twin', async (_, make, states) => {
    const model = trainedModel(make());
    await model.fit(x, y, fitArgs);
    const [a, b] = model.layers.map((l) => l.name);
    model.layers[1].trainable = false;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await model.fit(x, y, fitArgs);
      const list = await model.optimizer!.getWeights();
      expect(list.map((w) => w.name)).toEqual(['iter', ...states.flatMap((s) => [a, b].flatMap((l) => [`${l}/kernel/${s}`, `${l}/bias/${s}`]))]);
      const saved = await savedOptimizerState(model);
      expect(list.map((w) => w.name)).toEqual(saved.names);
      expect(listBytes(list)).toEqual(saved.bytes);

      const twin = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(model)));
      twin.compile({ optimizer: make(), loss: 'mse' });
      twin.layers[1].trainable = true; // the file keeps it frozen
      twin.getWeights(); // built with every layer trainable
      twin.layers[1].trainable = false;
      await twin.optimizer!.setWeights(list);
      expect(await listed(await twin.optimizer!.getWeights())).toEqual(await listed(list));
      for (const m of [model, twin]) {
        m.layers[1].trainable = true;
        await m.fit(x, y, fitArgs);
      }
      expect(dValues(twin)).toEqual(dValues(model));
    } finally {
      warn.mockRestore();
    }
  });

  it("lists frozen layers' state in the model's order, as save writes it, whatever order their state was made in", async () => {
    const model = trainedModel(km.optimizers.adam(0.01));
    const [a, b] = model.layers.map((l) => l.name);
    model.layers[0].trainable = false; // the first step makes state for b alone
    await model.fit(x, y, fitArgs);
    model.layers[0].trainable = true;
    await model.fit(x, y, fitArgs);
    model.trainable = false;
    model.getWeights(); // laid out for no weights: all the state is set aside
    const list = await model.optimizer!.getWeights();
    expect(list.map((w) => w.name)).toEqual(['iter', ...['m', 'v'].flatMap((s) => [a, b].flatMap((l) => [`${l}/kernel/${s}`, `${l}/bias/${s}`]))]);
    const saved = await savedOptimizerState(model);
    expect(list.map((w) => w.name)).toEqual(saved.names);
    expect(listBytes(list)).toEqual(saved.bytes);
  });

  it('an optimizer shared by two models lists the state of both, and takes that list back', async () => {
    const optimizer = km.optimizers.adam(0.01);
    const first = trainedModel(optimizer);
    const second = trainedModel(optimizer);
    await first.fit(x, y, fitArgs);
    await second.fit(x, y, fitArgs);
    const list = await optimizer.getWeights();
    // The layout of the model that trained last first, then the other's, set aside.
    const names = [second, first].flatMap((m) => m.layers.flatMap((l) => [`${l.name}/kernel`, `${l.name}/bias`]));
    expect(list.map((w) => w.name)).toEqual(['iter', ...['m', 'v'].flatMap((s) => names.map((n) => `${n}/${s}`))]);
    const before = await listed(list);
    await optimizer.setWeights(list);
    expect(await listed(await optimizer.getWeights())).toEqual(before);
  });

  it("[iter] at 0 restarts a frozen layer's state too", async () => {
    const model = trainedModel(km.optimizers.adam(0.01));
    await model.fit(x, y, fitArgs);
    model.layers[1].trainable = false;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await model.fit(x, y, fitArgs);
      const fresh = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(model)));
      fresh.compile({ optimizer: km.optimizers.adam(0.01), loss: 'mse' });
      fresh.layers[1].trainable = true; // the file keeps it frozen
      await model.optimizer!.setWeights([{ name: 'iter', tensor: km.tensor(Int32Array.of(0), []) }]);
      model.layers[1].trainable = true;
      await model.fit(x, y, fitArgs);
      await fresh.fit(x, y, fitArgs);
      expect(dValues(model)).toEqual(dValues(fresh));
    } finally {
      warn.mockRestore();
    }
  });

  it("a list without a frozen layer's state is refused whole, naming what it keeps", async () => {
    const model = trainedModel(km.optimizers.adam(0.01));
    await model.fit(x, y, fitArgs);
    model.layers[1].trainable = false;
    model.getWeights();
    const optimizer = model.optimizer!;
    const list = await optimizer.getWeights();
    const before = await listed(list);
    const b = model.layers[1].name;
    await expect(optimizer.setWeights(list.filter((w) => !w.name.startsWith(`${b}/`)))).rejects.toThrow(
      "Adam.setWeights: the list holds 5 tensors, but Adam's state for its model's 2 trainable weights and 2 set aside (frozen layers', or another model's) is 9:",
    );
    expect(await listed(await optimizer.getWeights())).toEqual(before);
  });

  it('a layer frozen since the model was built takes state of its own shapes only (frozen_layer_set_weights.test.ts: the state it takes)', async () => {
    const model = trainedModel(km.optimizers.adam(0.01));
    model.layers[1].trainable = false;
    await model.fit(x, y, fitArgs);
    const b = model.layers[1].name;
    const a = model.layers[0].name;
    const list = await model.optimizer!.getWeights();
    const withB = [...list, ...list.filter((w) => w.name.startsWith(`${a}/`)).map((w) => ({ name: w.name.replace(a, b), tensor: w.tensor }))];
    const before = await listed(list);
    await expect(model.optimizer!.setWeights(withB)).rejects.toThrow(`Adam.setWeights: '${b}/kernel/m' has shape [3, 4], but that state's shape is [4, 2].`);
    expect(await listed(await model.optimizer!.getWeights())).toEqual(before);
  });
});

describe('weights of one name', () => {
  it('getWeights and setWeights refuse them as save does, asking for distinct layer names', async () => {
    km.utils.setRandomSeed(2);
    const inner = km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [3], name: 'd' })], name: 'inner' });
    const input = km.input({ shape: [3] });
    const outer = km.model({ inputs: input, outputs: km.layers.dense({ units: 2, name: 'd' }).apply(inner.apply(input) as km.SymbolicTensor) as km.SymbolicTensor });
    outer.compile({ optimizer: km.optimizers.adam(0.01), loss: 'mse' });
    await outer.fit(x, y, fitArgs);
    const message = "two weights Adam keeps state for are named 'd/kernel' (a nested model holding a layer named like one outside it, or models sharing the optimizer), so their states would have one name; model.save refuses such a model too. Give the layers distinct names";
    await expect(outer.optimizer!.getWeights()).rejects.toThrow(`Adam.getWeights: ${message}`);
    await expect(outer.optimizer!.setWeights([{ name: 'iter', tensor: km.tensor(Int32Array.of(3), []) }])).rejects.toThrow(`Adam.setWeights: ${message}`);
    await expect(outer.save(km.io.withSaveHandler(async () => undefined), { includeOptimizer: true })).rejects.toThrow("a weight of layer 'd' (Dense) in nested model 'inner' and one of layer 'd' (Dense) of model");
  });
});

describe('after the state was freed with its model', () => {
  it.each([
    ['disposed', (m: km.LayersModel) => m.dispose()],
    ['compiled with another optimizer', (m: km.LayersModel) => m.compile({ optimizer: km.optimizers.sgd(0.1), loss: 'mse' })],
  ] as const)('model %s: getWeights and setWeights say so, and what to do', async (_, release) => {
    const model = trainedModel(km.optimizers.adam(0.01));
    await model.fit(x, y, fitArgs);
    const optimizer = model.optimizer!;
    const state = await optimizer.getWeights();
    release(model);
    const freed = "Adam's state was freed when the model it trained was disposed or compiled with another optimizer, so there is none to";
    await expect(optimizer.getWeights()).rejects.toThrow(`Adam.getWeights: ${freed} list; only its update count (3) is left. Call getWeights before model.dispose() or the new compile`);
    await expect(optimizer.setWeights(state)).rejects.toThrow(`Adam.setWeights: ${freed} set; only its update count (3) is left. Set the state into the optimizer the model is compiled with now (model.optimizer), or compile a model with this one again`);
    // tfjs' fresh list still restarts it.
    await optimizer.setWeights([{ name: 'iter', tensor: km.tensor(Int32Array.of(0), []) }]);
    expect(await listed(await optimizer.getWeights())).toEqual([{ name: 'iter', shape: [], dtype: 'int32', values: [0] }]);
  });
});
