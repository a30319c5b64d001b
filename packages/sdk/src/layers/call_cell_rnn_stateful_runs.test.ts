// A stateful RNN over a custom cell through the sequences of calls a Keras user makes: running
// backwards with returnSequences and returnState, evaluate then predict (the states carry from one
// to the next), fit with validation, and two stateful layers stacked. The built-in stateful RNN over
// linear simpleRNNCells with the same weights is the reference (MinimalRNNCell computes the same).
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { MinimalRNNCell } from '../testing/custom_cells.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const [batch, chunk, features, units] = [3, 4, 2, 5];
const random = new Random(77);
const chunkData = (n = batch) => km.tensor(Float32Array.from({ length: n * chunk * features }, () => random.uniform(-1, 1)), [n, chunk, features]);
const chunks = [chunkData(), chunkData(), chunkData()];
const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance * Math.max(1, Math.abs(expected[i])));
};
const linear = (size: number) => km.layers.simpleRNNCell({ units: size, activation: 'linear', useBias: false });
const statesOf = (layer: km.layers.Layer) => (layer as unknown as { states: km.Tensor[] }).states.map((t) => Array.from(t.dataSync()));

/** The same stack of stateful RNN layers over custom cells (ours) and built-in ones, ending in a Dense, with equal weights. */
function twins(layers: { returnSequences?: boolean; goBackwards?: boolean }[], head = true) {
  const make = (cell: (size: number) => unknown) => {
    const rnns = layers.map((options, i) => km.layers.rnn({ cell: cell(units) as km.layers.CallCell, stateful: true, ...options, ...(i === 0 && { batchInputShape: [batch, chunk, features] }) }));
    return { rnns, model: km.sequential([...rnns, ...(head ? [km.layers.dense({ units: 1 })] : [])]) };
  };
  km.utils.setRandomSeed(5);
  const ours = make((size) => new MinimalRNNCell(size));
  const builtin = make(linear);
  builtin.model.setWeights(ours.model.getWeights().map((w) => km.mul(w, 0.6)));
  ours.model.setWeights(builtin.model.getWeights());
  return { ours, builtin };
}

describe('a stateful RNN over a custom cell, as the built-in one', () => {
  it('runs backwards, with returnSequences and returnState, over consecutive batches', () => {
    const make = (cell: km.layers.CallCell | km.layers.RNNCell) => {
      const input = km.input({ shape: [chunk, features] });
      const layer = km.layers.rnn({ cell: cell as km.layers.CallCell, stateful: true, goBackwards: true, returnSequences: true, returnState: true, batchSize: batch });
      return { layer, model: km.model({ inputs: input, outputs: layer.apply(input) as unknown as km.SymbolicTensor[] }) };
    };
    km.utils.setRandomSeed(6);
    const ours = make(new MinimalRNNCell(units));
    const builtin = make(linear(units));
    builtin.model.setWeights(ours.model.getWeights());
    for (const x of chunks) {
      const [sequence, state] = ours.model.predict<km.Tensor[]>(x, { batchSize: batch });
      const [expected, expectedState] = builtin.model.predict<km.Tensor[]>(x, { batchSize: batch });
      expectClose(sequence.dataSync(), expected.dataSync());
      expectClose(state.dataSync(), expectedState.dataSync());
      expectClose(statesOf(ours.layer)[0], statesOf(builtin.layer)[0]);
    }
  });

  it('carries the states from evaluate to predict to trainOnBatch, as the built-in does', async () => {
    const { ours, builtin } = twins([{ returnSequences: true }]);
    const y = km.tensor(Float32Array.from({ length: batch * chunk }, (_, i) => Math.sin(i)), [batch, chunk, 1]);
    for (const { model } of [ours, builtin]) model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    const run = async ({ model, rnns }: { model: km.Sequential; rnns: km.layers.Layer[] }) => {
      const evaluated = (await model.evaluate(chunks[0], y, { batchSize: batch, verbose: 0, returnDict: true })).loss;
      const predicted = Array.from(model.predict(chunks[1], { batchSize: batch }).dataSync());
      const trained = (await model.trainOnBatch(chunks[2], y, { returnDict: true })).loss;
      return { evaluated, predicted, trained, states: statesOf(rnns[0]) };
    };
    const [a, b] = [await run(ours), await run(builtin)];
    expect(a.evaluated).toBeCloseTo(b.evaluated, 5);
    expectClose(a.predicted, b.predicted);
    expect(a.trained).toBeCloseTo(b.trained, 5);
    a.states.forEach((s, k) => expectClose(s, b.states[k]));
  });

  it('fits two stacked stateful layers with validation data, to the built-in losses, weights and states', async () => {
    const { ours, builtin } = twins([{ returnSequences: true }, { returnSequences: true, goBackwards: true }]);
    const xs = km.concat(chunks, 0);
    const ys = km.tensor(Float32Array.from({ length: 3 * batch * chunk }, (_, i) => Math.cos(i * 0.3)), [3 * batch, chunk, 1]);
    const args = { epochs: 2, batchSize: batch, shuffle: false, verbose: 0 as const, validationData: [chunks[1], km.slice(ys, [0, 0, 0], [batch, chunk, 1])] as [km.Tensor, km.Tensor] };
    const histories = [];
    for (const { model } of [ours, builtin]) {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.05 }), loss: 'meanSquaredError' });
      histories.push((await model.fit(xs, ys, args)).history);
    }
    for (const key of ['loss', 'val_loss']) expectClose(histories[0][key] as number[], histories[1][key] as number[]);
    const after = builtin.model.getWeights();
    ours.model.getWeights().forEach((w, j) => expectClose(w.dataSync(), after[j].dataSync()));
    ours.rnns.forEach((layer, i) => statesOf(layer).forEach((s, k) => expectClose(s, statesOf(builtin.rnns[i])[k])));
  });

  it('called on tensors alone (layer.apply(x)), keeps the states from call to call', () => {
    const make = (cell: km.layers.CallCell | km.layers.RNNCell) => km.layers.rnn({ cell: cell as km.layers.CallCell, stateful: true, returnSequences: true, batchSize: batch });
    km.utils.setRandomSeed(8);
    const ours = make(new MinimalRNNCell(units));
    const builtin = make(linear(units));
    ours.apply(chunks[0]);
    builtin.apply(chunks[0]);
    builtin.setWeights(ours.getWeights());
    ours.resetStates();
    builtin.resetStates();
    const first = ours.apply(chunks[0]) as km.Tensor;
    expectClose(first.dataSync(), (builtin.apply(chunks[0]) as km.Tensor).dataSync());
    for (const x of chunks.slice(1)) expectClose((ours.apply(x) as km.Tensor).dataSync(), (builtin.apply(x) as km.Tensor).dataSync());
    expectClose(statesOf(ours)[0], statesOf(builtin)[0]);
    ours.resetStates();
    expectClose((ours.apply(chunks[0]) as km.Tensor).dataSync(), first.dataSync());
  });

  it('runs backwards over padded steps (masked), each sample keeping its states, with returnSequences', () => {
    const ids = [km.tensor([[1, 2, 0, 0], [3, 0, 4, 1], [0, 0, 0, 2]], [batch, chunk], 'int32'), km.tensor([[0, 0, 0, 0], [1, 2, 3, 4], [2, 0, 5, 0]], [batch, chunk], 'int32')];
    const make = (cell: km.layers.CallCell | km.layers.RNNCell) => {
      km.utils.setRandomSeed(12);
      const layer = km.layers.rnn({ cell: cell as km.layers.CallCell, stateful: true, goBackwards: true, returnSequences: true });
      return { layer, model: km.sequential([km.layers.embedding({ inputDim: 6, outputDim: features, maskZero: true, batchInputShape: [batch, chunk] }), layer]) };
    };
    const ours = make(new MinimalRNNCell(units));
    const builtin = make(linear(units));
    builtin.model.setWeights(ours.model.getWeights());
    for (const x of [...ids, ...ids]) {
      expectClose(ours.model.predict(x, { batchSize: batch }).dataSync(), builtin.model.predict(x, { batchSize: batch }).dataSync());
      expectClose(statesOf(ours.layer)[0], statesOf(builtin.layer)[0]);
    }
  });

  it("trains inside a model's own trainStep (km.variableGrads over this.apply), batch after batch", async () => {
    const make = (cell: km.layers.CallCell | km.layers.RNNCell) => {
      class Stepped extends km.Model {
        readonly rnn = km.layers.rnn({ cell: cell as km.layers.CallCell, stateful: true, batchSize: batch });
        readonly head = km.layers.dense({ units: 1 });
        call(input: km.SymbolicTensor): km.SymbolicTensor {
          return this.head.apply(this.rnn.apply(input) as km.SymbolicTensor) as km.SymbolicTensor;
        }
        override trainStep([xs, ys]: km.StepData): km.StepLogs {
          const { value, grads } = km.variableGrads(() => km.losses.meanSquaredError(ys as km.Tensor, this.apply(xs as km.Tensor, { training: true }) as km.Tensor).mean(), this.trainableWeights);
          this.optimizer!.applyGradients(grads);
          return { loss: value };
        }
      }
      km.utils.setRandomSeed(14);
      const model = new Stepped();
      model.build([batch, chunk, features]);
      return model;
    };
    const ours = make(new MinimalRNNCell(units));
    const builtin = make(linear(units));
    builtin.setWeights(ours.getWeights().map((w) => km.mul(w, 0.6)));
    ours.setWeights(builtin.getWeights());
    const xs = km.concat(chunks, 0);
    const ys = km.tensor(Float32Array.from({ length: 3 * batch }, (_, i) => Math.sin(i)), [3 * batch, 1]);
    const losses = [];
    for (const model of [ours, builtin]) {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }) });
      losses.push((await model.fit(xs, ys, { epochs: 2, batchSize: batch, shuffle: false, verbose: 0 })).history.loss as number[]);
    }
    expectClose(losses[0], losses[1]);
    const after = builtin.getWeights();
    ours.getWeights().forEach((w, j) => expectClose(w.dataSync(), after[j].dataSync()));
    expect(statesOf(ours.rnn)[0].some((v) => Math.abs(v) > 1e-3)).toBe(true);
    expectClose(statesOf(ours.rnn)[0], statesOf(builtin.rnn)[0]);
  });
});
