import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

let dir: string;
let x: km.Tensor;
let y: km.Tensor;

beforeAll(async () => {
  await km.ready();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-optimizer-resume-'));
  const { train } = await km.datasets.mnist.load();
  x = train.x.slice(0, 200);
  y = train.y.slice(0, 200);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function mlp(optimizer: km.optimizers.Optimizer): km.Sequential {
  km.utils.setRandomSeed(3);
  const model = km.sequential([km.layers.flatten({ inputShape: [28, 28] }), km.layers.dense({ units: 8, activation: 'relu', name: 'hidden' }), km.layers.dense({ units: 10, activation: 'softmax', name: 'out' })]);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const fitArgs = { batchSize: 50, shuffle: false, verbose: 0 as const };
const weightsOf = (model: km.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

const optimizers = [
  { name: 'rmsprop', make: () => km.optimizers.rmsprop({ learningRate: 0.003 }), config: { class_name: 'RMSProp', suffixes: ['rms', 'momentum'] } },
  { name: 'rmsprop centered with momentum', make: () => km.optimizers.rmsprop({ learningRate: 0.003, rho: 0.8, momentum: 0.5, centered: true }), config: { class_name: 'RMSProp', suffixes: ['rms', 'momentum', 'mg'] } },
  { name: 'adagrad', make: () => km.optimizers.adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.2 }), config: { class_name: 'Adagrad', suffixes: ['accumulator'] } },
  { name: 'adamax', make: () => km.optimizers.adamax({ learningRate: 0.01, clipnorm: 1 }), config: { class_name: 'Adamax', suffixes: ['m', 'v'] } },
  { name: 'adadelta', make: () => km.optimizers.adadelta({ learningRate: 1, rho: 0.9, epsilon: 1e-6 }), config: { class_name: 'Adadelta', suffixes: ['accum_grad', 'accum_var'] } },
  { name: 'lion', make: () => km.optimizers.lion({ learningRate: 3e-4, beta2: 0.95, weightDecay: 0.01 }), config: { class_name: 'Lion', suffixes: ['momentum'] } },
  { name: 'ftrl', make: () => km.optimizers.ftrl({ learningRate: 0.05, l1RegularizationStrength: 0.001, beta: 0.1 }), config: { class_name: 'Ftrl', suffixes: ['accumulator', 'linear'] } },
  { name: 'nadam', make: () => km.optimizers.nadam({ learningRate: 0.005 }), config: { class_name: 'Nadam', suffixes: ['m', 'v'] } },
  { name: 'lamb', make: () => km.optimizers.lamb({ learningRate: 0.01, weightDecay: 0.01 }), config: { class_name: 'Lamb', suffixes: ['momentum', 'velocity'] } },
  { name: 'adafactor', make: () => km.optimizers.adafactor({ learningRate: 0.05, clipThreshold: 0.5 }), config: { class_name: 'Adafactor', suffixes: ['r', 'c', 'velocity'] } },
  { name: 'adam amsgrad', make: () => km.optimizers.adam({ learningRate: 0.005, amsgrad: true }), config: { class_name: 'Adam', suffixes: ['m', 'v', 'vhat'] } },
  { name: 'adamw', make: () => km.optimizers.adamw({ learningRate: 0.005, weightDecay: 0.05 }), config: { class_name: 'AdamW', suffixes: ['m', 'v'] } },
  {
    name: 'rmsprop with exponentialDecay',
    make: () => km.optimizers.rmsprop({ momentum: 0.3, learningRate: km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.003, decaySteps: 2, decayRate: 0.5 }) }),
    config: { class_name: 'RMSProp', suffixes: ['rms', 'momentum'] },
  },
];

describe('every optimizer resumes exactly from a file:// checkpoint', () => {
  it.each(optimizers)('$name: 4 steps, save, load, 4 more steps = 8 uninterrupted steps, bit for bit', async ({ name, make, config }) => {
    const uninterrupted = mlp(make());
    await uninterrupted.fit(x, y, { ...fitArgs, epochs: 2 });

    const first = mlp(make());
    await first.fit(x, y, { ...fitArgs, epochs: 1 });
    const path = join(dir, name.replace(/ /g, '-'));
    await first.save(`file://${path}`, { includeOptimizer: true });
    const json = JSON.parse(await readFile(join(path, 'model.json'), 'utf8')) as km.io.ModelJSON;
    expect(json.trainingConfig?.optimizer_config.class_name).toBe(config.class_name);
    const trainable = first.layers.flatMap((l) => l.weightSpecs.map((w) => w.name));
    expect(json.weightsManifest[0].weights.filter((w) => w.group === 'optimizer').map((w) => w.name)).toEqual(['iter', ...config.suffixes.flatMap((s) => trainable.map((w) => `${w}/${s}`))]);

    const resumed = await km.loadLayersModel(`file://${path}/model.json`);
    expect(resumed.optimizer?.className).toBe(make().className);
    expect(resumed.optimizer?.getConfig()).toEqual(first.optimizer?.getConfig());
    expect(resumed.optimizer?.iterations).toBe(4);
    await resumed.fit(x, y, { ...fitArgs, epochs: 1 });
    expect(weightsOf(resumed)).toEqual(weightsOf(uninterrupted));

    // Control: the same continuation from fresh optimizer state lands elsewhere.
    const restarted = await km.loadLayersModel(`file://${path}/model.json`);
    restarted.compile({ optimizer: make(), loss: 'sparseCategoricalCrossentropy' });
    await restarted.fit(x, y, { ...fitArgs, epochs: 1 });
    expect(weightsOf(restarted)).not.toEqual(weightsOf(uninterrupted));
  });
});

describe('corrupt or missing optimizer state in a file', () => {
  /** Saves an RMSprop model after 4 steps, lets `edit` change model.json and the weights, and loads it. */
  async function loadEdited(name: string, edit: (json: km.io.ModelJSON, data: Float32Array) => Float32Array | void): Promise<km.LayersModel> {
    const model = mlp(km.optimizers.rmsprop({ momentum: 0.5 }));
    await model.fit(x, y, { ...fitArgs, epochs: 1 });
    const path = join(dir, name);
    await model.save(`file://${path}`, { includeOptimizer: true });
    const json = JSON.parse(await readFile(join(path, 'model.json'), 'utf8')) as km.io.ModelJSON;
    const bin = join(path, json.weightsManifest[0].paths[0]);
    const bytes = await readFile(bin);
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const edited = edit(json, data) ?? data;
    await writeFile(join(path, 'model.json'), JSON.stringify(json));
    await writeFile(bin, new Uint8Array(edited.buffer, edited.byteOffset, edited.byteLength));
    return km.loadLayersModel(`file://${path}`);
  }

  const specs = (json: km.io.ModelJSON) => json.weightsManifest[0].weights;
  const byteOffsetOf = (json: km.io.ModelJSON, name: string) => {
    let offset = 0;
    for (const w of specs(json)) {
      if (w.name === name) return offset;
      offset += w.shape.reduce((a, b) => a * b, 1);
    }
    throw new Error(`no ${name}`);
  };

  it('a state tensor left out of the manifest is named, with the fix', async () => {
    await expect(
      loadEdited('missing-rms', (json, data) => {
        const at = byteOffsetOf(json, 'out/bias/rms');
        json.weightsManifest[0].weights = specs(json).filter((w) => w.name !== 'out/bias/rms');
        return Float32Array.from([...data.subarray(0, at), ...data.subarray(at + 10)]);
      }),
    ).rejects.toThrow(/optimizer weight 'out\/bias\/rms' is missing \(the RMSprop optimizer has applied 4 updates and keeps 'rms' for every trainable weight\).*Save the model again with \{ includeOptimizer: true \}/);
  });

  it('a state tensor of the wrong shape names both shapes', async () => {
    await expect(
      loadEdited('reshaped', (json, data) => {
        const at = byteOffsetOf(json, 'out/bias/momentum');
        const spec = specs(json).find((w) => w.name === 'out/bias/momentum')!;
        spec.shape = [9];
        return Float32Array.from([...data.subarray(0, at), ...data.subarray(at + 1)]);
      }),
    ).rejects.toThrow(/optimizer weight 'out\/bias\/momentum' is of shape \[9\], but its state for weight 'out\/bias' \(shape \[10\]\) is float32 of shape \[10\]. The optimizer state does not belong to this model/);
  });

  it("state of another optimizer (Adam's m and v under an RMSProp config) is refused, listing what was expected", async () => {
    await expect(
      loadEdited('other-optimizer', (json) => {
        for (const w of specs(json)) w.name = w.name.replace(/\/rms$/, '/m').replace(/\/momentum$/, '/v');
      }),
    ).rejects.toThrow(/optimizer weight 'hidden\/kernel\/rms' is missing/);
  });

  it('left-over state tensors are named', async () => {
    await expect(
      loadEdited('left-over', (json) => {
        json.trainingConfig!.optimizer_config.config.momentum = 0;
        json.trainingConfig!.optimizer_config.config.centered = false;
        for (const w of specs(json)) w.name = w.name.replace(/\/momentum$/, '/velocity');
      }),
    ).rejects.toThrow(/optimizer weights 'hidden\/kernel\/velocity', .* belong to no state of RMSprop \(expected '<weight>\/rms', '<weight>\/momentum'\)/);
  });

  it('a corrupt iteration count is refused', async () => {
    await expect(
      loadEdited('bad-iter', (json, data) => {
        const at = byteOffsetOf(json, 'iter');
        new Int32Array(data.buffer, at * 4, 1)[0] = -3;
      }),
    ).rejects.toThrow(/the optimizer weight 'iter' is -3, but it counts updates: a whole number ≥ 0. The file is corrupt/);
  });
});
