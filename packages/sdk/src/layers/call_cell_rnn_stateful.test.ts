// km.layers.rnn({ cell, stateful: true }) over custom cells (km.layers.CallCell). MinimalRNNCell is a
// simpleRNNCell with a linear activation and no bias, so the built-in stateful RNN with the same
// weights (itself checked against tfjs-layers in stateful_tfjs_parity.test.ts) is the reference.
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { MinimalRNNCell } from '../testing/custom_cells.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

// 4 sequences of 12 steps of 2 features, fed as 4 chunks of 3 steps.
const [batch, steps, chunk, features] = [4, 12, 3, 2];
const chunks = steps / chunk;
const random = new Random(91);
const sequences = Float32Array.from({ length: batch * steps * features }, () => random.uniform(-1, 1));
/** Chunk c of every sequence, `[batch, chunk, features]`. */
function chunkOf(c: number): km.Tensor {
  const out = new Float32Array(batch * chunk * features);
  for (let b = 0; b < batch; b++) out.set(sequences.subarray((b * steps + c * chunk) * features, (b * steps + (c + 1) * chunk) * features), b * chunk * features);
  return km.tensor(out, [batch, chunk, features]);
}
const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance * Math.max(1, Math.abs(expected[i])));
};
const linear = (units: number) => km.layers.simpleRNNCell({ units, activation: 'linear', useBias: false });
type Options = { returnSequences?: boolean; batchInputShape?: number[]; batchSize?: number; inputShape?: number[]; name?: string };
/** A stateful RNN over custom cells of `units` (a list: stacked), and the built-in one over linear simpleRNNCells. */
const pair = (units: number[], options: Options) => {
  const cells = <T>(make: (u: number) => T) => (units.length === 1 ? make(units[0]) : units.map(make));
  return {
    ours: km.layers.rnn({ cell: cells((u) => new MinimalRNNCell(u)) as km.layers.CallCell, stateful: true, ...options }),
    builtin: km.layers.rnn({ cell: cells(linear) as km.layers.RNNCell, stateful: true, ...options }),
  };
};
/** The two layers in models ending in a Dense, the built-in one given the custom one's weights. */
const models = (units: number[], options: Options = {}) => {
  const { ours, builtin } = pair(units, { returnSequences: true, batchInputShape: [batch, chunk, features], ...options });
  km.utils.setRandomSeed(17);
  const oursModel = km.sequential([ours, km.layers.dense({ units: 1 })]);
  const builtinModel = km.sequential([builtin, km.layers.dense({ units: 1 })]);
  builtinModel.setWeights(oursModel.getWeights());
  return { ours, builtin, oursModel, builtinModel };
};
const states = (layer: { states: km.Tensor[] | null }) => layer.states!.map((t) => t.dataSync());

describe.each([
  { what: 'one cell', units: [5] },
  { what: 'a list of cells', units: [3, 5] },
])('a stateful RNN over custom cells ($what) keeps each sample\'s states from batch to batch', ({ units }) => {
  it('predicts consecutive chunks, and keeps the same final states, as the built-in stateful RNN; resetStates starts again', () => {
    const { ours, builtin, oursModel, builtinModel } = models(units);
    expect(ours).toBeInstanceOf(km.layers.CallCellRNN);
    expect(ours.stateful).toBe(true);
    // Before the first batch the kept states are zeros of the declared batch size, as the built-in's.
    expect(ours.states!.map((t) => t.shape)).toEqual(builtin.states!.map((t) => t.shape));
    expect(states(ours).every((s) => s.every((v) => v === 0))).toBe(true);
    const firsts: Float32Array[] = [];
    for (let c = 0; c < chunks; c++) {
      const predicted = oursModel.predict(chunkOf(c), { batchSize: batch }).dataSync() as Float32Array;
      firsts.push(predicted);
      expectClose(predicted, builtinModel.predict(chunkOf(c), { batchSize: batch }).dataSync());
      states(ours).forEach((s, k) => expectClose(s, states(builtin)[k]));
    }
    // The states carried: chunk 0 again continues from chunk 3's states, and after a reset starts from zeros.
    const continued = oursModel.predict(chunkOf(0), { batchSize: batch }).dataSync();
    expect(Math.max(...continued.map((v, i) => Math.abs(v - firsts[0][i])))).toBeGreaterThan(1e-3);
    oursModel.resetStates();
    expect(states(ours).every((s) => s.every((v) => v === 0))).toBe(true);
    expectClose(oursModel.predict(chunkOf(0), { batchSize: batch }).dataSync(), firsts[0]);
    ours.resetStates();
    expectClose(oursModel.predict(chunkOf(0), { batchSize: batch }).dataSync(), firsts[0]);
  });

  it('resetStates(states) starts the next batch from the given states, listed as returnState lists them, as the built-in does', () => {
    const { ours, builtin, oursModel, builtinModel } = models(units);
    const sizes = [...units].reverse();
    const values = sizes.map((size) => km.tensor(Float32Array.from({ length: batch * size }, () => random.uniform(-1, 1)), [batch, size]));
    ours.resetStates(values);
    builtin.resetStates(values);
    states(ours).forEach((s, k) => expect(Array.from(s)).toEqual(Array.from(values[k].dataSync())));
    const predicted = oursModel.predict(chunkOf(1), { batchSize: batch }).dataSync();
    expectClose(predicted, builtinModel.predict(chunkOf(1), { batchSize: batch }).dataSync());
    states(ours).forEach((s, k) => expectClose(s, states(builtin)[k]));
    // The given states mattered: from zeros the same chunk predicts otherwise.
    ours.resetStates();
    const fromZeros = oursModel.predict(chunkOf(1), { batchSize: batch }).dataSync();
    expect(Math.max(...fromZeros.map((v, i) => Math.abs(v - predicted[i])))).toBeGreaterThan(1e-3);
  });

  it('trains over consecutive chunks (SGD, unshuffled) to the same losses and weights as the built-in, no gradient crossing batches', async () => {
    const { ours, builtin, oursModel, builtinModel } = models(units);
    // Smaller weights: the stacked linear cells' states, carried across every batch of every epoch, grow otherwise.
    oursModel.setWeights(oursModel.getWeights().map((w) => km.mul(w, 0.5)));
    builtinModel.setWeights(oursModel.getWeights());
    const xs = km.concat(Array.from({ length: chunks }, (_, c) => chunkOf(c)), 0);
    const ys = km.tensor(Float32Array.from({ length: chunks * batch * chunk }, (_, i) => Math.sin(3 * xs.dataSync()[2 * i])), [chunks * batch, chunk, 1]);
    const args = { epochs: 3, batchSize: batch, shuffle: false, verbose: 0 as const };
    const losses = await Promise.all([oursModel, builtinModel].map(async (model) => {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.05 }), loss: 'meanSquaredError' });
      return (await model.fit(xs, ys, args)).history.loss as number[];
    }));
    expect(losses[0].every(Number.isFinite)).toBe(true);
    losses[0].forEach((loss, i) => expectClose([loss], [losses[1][i]]));
    expect(losses[0][2]).not.toBeCloseTo(losses[0][0], 3);
    const after = builtinModel.getWeights();
    oursModel.getWeights().forEach((w, j) => expectClose(w.dataSync(), after[j].dataSync()));
    states(ours).forEach((s, k) => expectClose(s, states(builtin)[k]));
  });
});

describe('a stateful RNN over a custom cell: masks, initialState, saving', () => {
  it('keeps each sample\'s states over its padded steps, as the built-in does', () => {
    const ids = [km.tensor([[1, 2, 0], [3, 0, 4], [5, 4, 3], [0, 0, 2]], [4, 3], 'int32'), km.tensor([[0, 0, 0], [1, 2, 3], [2, 0, 0], [4, 5, 1]], [4, 3], 'int32')];
    const make = (cell: km.layers.CallCell | km.layers.RNNCell) => {
      km.utils.setRandomSeed(23);
      const layer = km.layers.rnn({ cell: cell as km.layers.CallCell, stateful: true });
      return { layer, model: km.sequential([km.layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true, batchInputShape: [batch, 3] }), layer]) };
    };
    const ours = make(new MinimalRNNCell(4));
    const builtin = make(linear(4));
    builtin.model.setWeights(ours.model.getWeights());
    for (const x of ids) {
      expectClose(ours.model.predict(x, { batchSize: batch }).dataSync(), builtin.model.predict(x, { batchSize: batch }).dataSync());
      states(ours.layer).forEach((s, k) => expectClose(s, states(builtin.layer)[k]));
    }
    // Sample 0 of the second batch is all padding: its states are still those the first batch left.
    const first = (() => {
      ours.layer.resetStates();
      ours.model.predict(ids[0], { batchSize: batch });
      return states(ours.layer)[0].slice(0, 4);
    })();
    ours.model.predict(ids[1], { batchSize: batch });
    expect(Array.from(states(ours.layer)[0].slice(0, 4))).toEqual(Array.from(first));
  });

  it('starts from an initialState given at call time instead of the kept states, and keeps that call\'s final states, as Keras and tfjs do', () => {
    const make = (stateful: boolean) => {
      km.utils.setRandomSeed(29);
      const sequence = km.input({ shape: [chunk, features] });
      const initial = km.input({ shape: [4] });
      const layer = km.layers.rnn({ cell: new MinimalRNNCell(4), stateful, returnSequences: true, returnState: true, batchSize: batch });
      const outputs = layer.apply(sequence, { initialState: [initial] }) as unknown as km.SymbolicTensor[];
      return { layer, model: km.model({ inputs: [sequence, initial], outputs }) };
    };
    const ours = make(true);
    const plain = make(false);
    plain.model.setWeights(ours.model.getWeights());
    const given = km.tensor(Float32Array.from({ length: batch * 4 }, () => random.uniform(-1, 1)), [batch, 4]);
    for (let c = 0; c < 2; c++) {
      const [sequence, final] = ours.model.predict<km.Tensor[]>([chunkOf(c), given], { batchSize: batch });
      const [expected, expectedFinal] = plain.model.predict<km.Tensor[]>([chunkOf(c), given], { batchSize: batch });
      expectClose(sequence.dataSync(), expected.dataSync());
      expectClose(states(ours.layer)[0], final.dataSync());
      expectClose(final.dataSync(), expectedFinal.dataSync());
    }
  });

  it('saves its stateful flag; the loaded layer is stateful and starts from zero states, as in Keras', async () => {
    class StatefulSavedCell extends MinimalRNNCell {
      override readonly className = 'StatefulSavedCell';
      override getConfig(): Record<string, unknown> {
        return { ...super.getConfig(), units: this.stateSize };
      }
    }
    km.layers.registerCell('StatefulSavedCell', (config) => new StatefulSavedCell(config.units as number));
    km.utils.setRandomSeed(37);
    const model = km.sequential([km.layers.rnn({ cell: new StatefulSavedCell(4), stateful: true, returnSequences: true, batchInputShape: [batch, chunk, features] })]);
    const first = model.predict(chunkOf(0), { batchSize: batch }).dataSync();
    const second = model.predict(chunkOf(1), { batchSize: batch }).dataSync();
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const config = (saved!.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
    expect(config.stateful).toBe(true);
    expect(config.batch_input_shape).toEqual([batch, chunk, features]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    const layer = loaded.layers[0] as km.layers.CallCellRNN;
    expect(layer).toBeInstanceOf(km.layers.CallCellRNN);
    expect(layer.stateful).toBe(true);
    expectClose(loaded.predict(chunkOf(0), { batchSize: batch }).dataSync(), first);
    expectClose(loaded.predict(chunkOf(1), { batchSize: batch }).dataSync(), second);
  });
});

describe('a stateful RNN over a custom cell refuses what the built-in refuses, with the same errors', () => {
  const x = (n: number) => km.tensor(Float32Array.from({ length: n * chunk * features }, (_, i) => Math.sin(i)), [n, chunk, features]);
  /** The message `run` throws for each model (custom cell, then built-in); both must throw. */
  const messages = async (make: () => { ours: km.layers.Layer; builtin: km.layers.Layer }, run: (model: km.Sequential) => unknown) => {
    const { ours, builtin } = make();
    const found: string[] = [];
    for (const layer of [ours, builtin]) {
      const model = km.sequential([layer, km.layers.dense({ units: 1 })]);
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      let message = '';
      try {
        await run(model);
      } catch (error) {
        message = (error as Error).message;
      }
      found.push(message.replace(`'${layer.name}'`, "'<layer>'"));
    }
    expect(found[0]).not.toBe('');
    expect(found[0]).toBe(found[1]);
    return found[0];
  };

  it('no fixed batch size', async () => {
    const message = await messages(() => pair([2], { inputShape: [chunk, features] }), (model) => model.predict(x(4)));
    expect(message).toMatch(/is stateful, so it needs a fixed batch size .* but none is declared/);
  });

  it('fit shuffling (the default), or with another batch size', async () => {
    const y = km.tensor(new Float32Array(4), [4, 1]);
    const fixed = () => pair([2], { batchInputShape: [2, chunk, features] });
    expect(await messages(fixed, (model) => model.fit(x(4), y, { batchSize: 2, verbose: 0 }))).toMatch(/fit would shuffle the samples \(shuffle: true, the default\).*Pass shuffle: false/);
    expect(await messages(fixed, (model) => model.fit(x(4), y, { batchSize: 4, shuffle: false, verbose: 0 }))).toMatch(/fit received batchSize: 4.*Pass batchSize: 2/);
  });

  it('a partial last batch, in predict, evaluate and fit', async () => {
    const fixed = () => pair([2], { batchInputShape: [4, chunk, features] });
    const y = km.tensor(new Float32Array(6), [6, 1]);
    expect(await messages(fixed, (model) => model.predict(x(6), { batchSize: 4 }))).toMatch(/predict received 6 samples, which do not split into full batches of 4.*last batch would hold 2/);
    expect(await messages(fixed, (model) => model.evaluate(x(6), y, { batchSize: 4, verbose: 0 }))).toMatch(/evaluate received 6 samples/);
    expect(await messages(fixed, (model) => model.fit(x(6), y, { batchSize: 4, shuffle: false, verbose: 0 }))).toMatch(/fit received 6 samples/);
  });

  it('a batch of another size than the kept states, through trainOnBatch; resetStates with the wrong states; resetStates when not stateful', async () => {
    const layer = km.layers.rnn({ cell: [new MinimalRNNCell(3), new MinimalRNNCell(2)], stateful: true, batchSize: 2, inputShape: [chunk, features], name: 'kept_custom' });
    const model = km.sequential([layer]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.trainOnBatch(x(2), km.tensor(new Float32Array(4), [2, 2]));
    await expect(model.trainOnBatch(x(3), km.tensor(new Float32Array(6), [3, 2]))).rejects.toThrow(
      /RNN layer 'kept_custom' is stateful: it keeps the states of 2 samples \(its batch size\) from batch to batch, but received a batch of 3/,
    );
    expect(() => layer.resetStates([km.zeros([2, 2])])).toThrow(
      "RNN layer 'kept_custom': resetStates(states) needs 2 float32 tensors of shapes [2, 2], [2, 3] (the last cell's first, as returnState lists them), but received 1.",
    );
    expect(() => layer.resetStates([km.zeros([2, 3]), km.zeros([2, 3])])).toThrow(/state 0 is a float32 tensor of shape \[2, 3\]/);
    expect(() => km.layers.rnn({ cell: new MinimalRNNCell(2), name: 'plain_custom' }).resetStates()).toThrow(/RNN layer 'plain_custom' is not stateful, so it keeps no states to reset/);
    expect(km.layers.rnn({ cell: new MinimalRNNCell(2) }).states).toBeNull();
  });
});
