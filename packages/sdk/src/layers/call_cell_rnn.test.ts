// km.layers.rnn over a custom cell (km.layers.CallCell): gradients through time against finite
// differences of a float64 loop on every backend here, a task it learns, and its errors.
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, runsOn } from '../testing/backends_here.js';
import { MinimalRNNCell, TwoStateCell } from '../testing/custom_cells.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Dense(features) at every step, then {@link TwoStateCell} run last step first, every step's output
 * kept: one sample's outputs in running order, flattened, in float64.
 */
function twoStateReference(sample: number[][], [k0, b0, w, u, b]: number[][], units: number): number[] {
  const features = b0.length;
  let [h, c] = [new Array<number>(units).fill(0), new Array<number>(units).fill(0)];
  const outputs: number[] = [];
  for (const x of [...sample].reverse()) {
    const d = b0.map((bias, j) => bias + x.reduce((s, v, i) => s + v * k0[i * features + j], 0));
    const a = b.map((bias, j) => bias + d.reduce((s, v, i) => s + v * w[i * units + j], 0) + h.reduce((s, v, i) => s + v * u[i * units + j], 0));
    c = c.map((v, j) => 0.5 * v + Math.tanh(a[j]));
    h = c.map((v, j) => Math.tanh(v) * sigmoid(a[j]));
    outputs.push(...h);
  }
  return outputs;
}

describe.each(BACKENDS_HERE)('km.layers.rnn over a custom cell on backend %s', (name) => {
  runsOn(name, () => {});

  it.skipIf(name === 'tfjs-webgpu')('backpropagates through time as finite differences of a float64 loop give, into the weights and the layer before it', async () => {
    const [batch, steps, inFeatures, features, units] = [2, 3, 2, 3, 2];
    const random = new Random(3);
    km.utils.setRandomSeed(8);
    const model = km.sequential([
      km.layers.dense({ units: features, inputShape: [steps, inFeatures], biasInitializer: 'glorotUniform' }),
      km.layers.rnn({ cell: new TwoStateCell(units), returnSequences: true, goBackwards: true }),
      km.layers.flatten(),
    ]);
    const xs = Array.from({ length: batch }, () => Array.from({ length: steps }, () => Array.from({ length: inFeatures }, () => random.uniform(-1.5, 1.5))));
    const targets = Array.from({ length: batch }, () => Array.from({ length: steps * units }, () => random.uniform(-1, 1)));
    const weights = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
    const x = km.tensor(xs.flat(2), [batch, steps, inFeatures]);
    const predicted = (await model.predict(x).data()) as Float32Array;
    xs.forEach((sample, i) => twoStateReference(sample, weights, units).forEach((v, j) => expect(predicted[i * steps * units + j]).toBeCloseTo(v, 5)));
    const loss = () => xs.reduce((s, sample, i) => s + twoStateReference(sample, weights, units).reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / (steps * units), 0) / batch;
    const expected = finiteDifferences(weights, loss);
    const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, steps * units]));
    expectGradientsClose(grads, expected, ['dense kernel', 'dense bias', 'kernel', 'recurrent_kernel', 'bias']);
  });
});

describe('km.layers.rnn over a custom cell', () => {
  it('learns a running sum with the MinimalRNNCell of Keras\' guide', async () => {
    const [n, steps] = [64, 6];
    const random = new Random(5);
    const data = (count: number) => {
      const x = Array.from({ length: count * steps * 2 }, () => random.uniform(-1, 1));
      const y = Array.from({ length: count }, (_, i) => x.slice(i * steps * 2, (i + 1) * steps * 2).reduce((s, v, k) => s + (k % 2 === 0 ? 0.5 * v : -0.25 * v), 0));
      return [km.tensor(x, [count, steps, 2]), km.tensor(y, [count, 1])] as const;
    };
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.rnn({ cell: new MinimalRNNCell(4), inputShape: [steps, 2] }), km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.03 }), loss: 'meanSquaredError' });
    const [x, y] = data(n);
    const [initial] = (await model.evaluate(x, y, { verbose: 0 })) as number[];
    await model.fit(x, y, { epochs: 40, batchSize: 16, verbose: 0 });
    const [testX, testY] = data(32);
    const [after] = (await model.evaluate(testX, testY, { verbose: 0 })) as number[];
    expect(initial).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(0.02 * initial);
  });

  it('saves and loads once its class is registered, as tfjs writes an RNN over a custom cell, predicting the same', async () => {
    class SavedCell extends TwoStateCell {
      override readonly className = 'SavedCell';
      constructor(config: { units: number; name?: string }) {
        super(config.units, config.name);
      }
      override getConfig(): Record<string, unknown> {
        return { ...super.getConfig(), units: this.units };
      }
    }
    km.layers.registerCell('SavedCell', (config) => new SavedCell(config as { units: number; name?: string }));
    km.utils.setRandomSeed(4);
    const model = km.sequential([km.layers.rnn({ cell: new SavedCell({ units: 3, name: 'memory_cell' }), returnSequences: true, goBackwards: true, inputShape: [4, 2] }), km.layers.dense({ units: 1 })]);
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const layers = (saved!.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(layers[0].class_name).toBe('RNN');
    expect(layers[0].config.cell).toEqual({ class_name: 'SavedCell', config: { name: 'memory_cell', units: 3 } });
    const loaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    expect(loaded.layers[0]).toBeInstanceOf(km.layers.CallCellRNN);
    const x = km.tensor(Array.from({ length: 2 * 4 * 2 }, (_, i) => Math.sin(i)), [2, 4, 2]);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  it('gives outputs of outputSize features where the cell declares it, beside states of stateSize', () => {
    class Summed extends MinimalRNNCell {
      override readonly outputSize = 1;
      override call(inputs: km.Tensor[]): km.Tensor[] {
        const [, h] = super.call(inputs);
        return [km.sum(h!, -1, true), h!];
      }
    }
    km.utils.setRandomSeed(6);
    const layer = km.layers.rnn({ cell: new Summed(3), returnSequences: true, returnState: true });
    const [sequence, state] = layer.apply(km.tensor(Array.from({ length: 2 * 4 * 2 }, (_, i) => Math.cos(i)), [2, 4, 2]));
    expect(sequence!.shape).toEqual([2, 4, 1]);
    expect(state!.shape).toEqual([2, 3]);
    const lastStep = (sequence!.arraySync() as number[][][]).map((steps) => steps[3]![0]!);
    const stateSums = (state!.arraySync() as number[][]).map((h) => h.reduce((a, b) => a + b, 0));
    lastStep.forEach((v, i) => expect(v).toBeCloseTo(stateSums[i]!, 5));
  });

  it('names its weights after the layer and lets getWeights and setWeights carry them', () => {
    const layer = km.layers.rnn({ cell: new TwoStateCell(2), name: 'memory' });
    km.sequential([km.layers.inputLayer({ inputShape: [3, 4] }), layer]);
    expect(layer.weights.map((w) => w.name)).toEqual(['memory/kernel', 'memory/recurrent_kernel', 'memory/bias']);
    expect(layer.getWeights().map((w) => w.shape)).toEqual([[4, 2], [2, 2], [2]]);
  });
});

describe('km.layers.rnn over a custom cell, on padded sequences', () => {
  // MinimalRNNCell is a simpleRNNCell with a linear activation and no bias: the built-in cell, which
  // skips masked steps as tfjs' rnn() does, is the reference for the same weights.
  it.each([
    { returnSequences: false, goBackwards: false },
    { returnSequences: true, goBackwards: false },
    { returnSequences: true, goBackwards: true },
  ])('skips masked steps as the built-in cell does, in predict and training (%o)', async (options) => {
    const make = (cell: km.layers.CallCell | km.layers.RNNCell) => {
      km.utils.setRandomSeed(21);
      return km.sequential([
        km.layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [5] }),
        km.layers.rnn({ cell: cell as km.layers.CallCell, ...options }),
        ...(options.returnSequences ? [km.layers.globalAveragePooling1d()] : []),
        km.layers.dense({ units: 2 }),
      ]);
    };
    const ours = make(new MinimalRNNCell(4));
    const reference = make(km.layers.simpleRNNCell({ units: 4, activation: 'linear', useBias: false }));
    reference.setWeights(ours.getWeights());
    const ids = km.tensor([[1, 2, 0, 0, 0], [3, 0, 4, 5, 0], [5, 4, 3, 2, 1], [0, 0, 2, 1, 3]], [4, 5], 'int32');
    const expected = reference.predict(ids).dataSync();
    ours.predict(ids).dataSync().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
    const y = km.tensor([[0.5, -1], [1, 0], [-0.5, 0.3], [0.2, 0.8]]);
    const losses = await Promise.all([ours, reference].map(async (model) => {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3 }), loss: 'meanSquaredError' });
      return (await model.fit(ids, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 })).history.loss as number[];
    }));
    losses[0].forEach((loss, i) => expect(Math.abs(loss - losses[1][i])).toBeLessThan(1e-5));
    const after = reference.getWeights();
    ours.getWeights().forEach((w, j) => w.dataSync().forEach((v, i) => expect(Math.abs(v - after[j].dataSync()[i])).toBeLessThan(1e-5)));
  });
});

describe('km.layers.rnn over custom cells, from initialState', () => {
  const linear = (units: number) => km.layers.simpleRNNCell({ units, activation: 'linear', useBias: false });
  /** Sequences [4, 3] and the initial states (the last cell's first) as inputs, every step's output to a Dense. */
  const make = (cells: km.layers.CallCell[] | km.layers.RNNCell[], sizes: readonly number[]) => {
    km.utils.setRandomSeed(41);
    const sequence = km.input({ shape: [4, 3] });
    const initial = sizes.map((size) => km.input({ shape: [size] }));
    const outputs = km.layers.rnn({ cell: (cells.length === 1 ? cells[0] : cells) as km.layers.CallCell, returnSequences: true }).apply(sequence, { initialState: initial }) as km.SymbolicTensor;
    return km.model({ inputs: [sequence, ...initial], outputs: km.layers.dense({ units: 2 }).apply(km.layers.flatten().apply(outputs)) as km.SymbolicTensor });
  };

  it.each([
    { units: [4], what: 'one cell' },
    { units: [4, 3], what: 'a list of cells' },
  ])('starts the states there, as the built-in cells do, in predict and training ($what)', async ({ units }) => {
    const sizes = [...units].reverse();
    const ours = make(units.map((u) => new MinimalRNNCell(u)), sizes);
    const reference = make(units.map(linear), sizes);
    reference.setWeights(ours.getWeights());
    const random = new Random(42);
    const x = [km.tensor(Float32Array.from({ length: 5 * 4 * 3 }, () => random.uniform(-1, 1)), [5, 4, 3]), ...sizes.map((size) => km.tensor(Float32Array.from({ length: 5 * size }, () => random.uniform(-1, 1)), [5, size]))];
    const expected = reference.predict(x).dataSync();
    ours.predict(x).dataSync().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
    // The initial states matter: from zeros the outputs differ.
    const fromZeros = ours.predict([x[0], ...sizes.map((size) => km.zeros([5, size]))]).dataSync();
    expect(Array.from(fromZeros).some((v, i) => Math.abs(v - expected[i]) > 1e-3)).toBe(true);
    const y = km.tensor(Float32Array.from({ length: 10 }, () => random.uniform(-1, 1)), [5, 2]);
    const losses = await Promise.all([ours, reference].map(async (model) => {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.05 }), loss: 'meanSquaredError' });
      return (await model.fit(x, y, { epochs: 3, batchSize: 5, shuffle: false, verbose: 0 })).history.loss as number[];
    }));
    // Relative: the stacked cells' outputs reach about 7, and float32 sums in another order.
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-5 * Math.max(1, Math.abs(b)));
    losses[0].forEach((loss, i) => close(loss, losses[1][i]));
    const after = reference.getWeights();
    ours.getWeights().forEach((w, j) => w.dataSync().forEach((v, i) => close(v, after[j].dataSync()[i])));
  });

  it('refuses initial states that do not fit the cells, naming the shapes they take', () => {
    expect(() => make([new MinimalRNNCell(4), new MinimalRNNCell(3)], [4, 3])).toThrow(/initialState must hold 2 tensors of shapes \[batch, 3\], \[batch, 4\], the cells' states as returnState lists them \(the last cell's first\)\. Received: 2 of shapes/);
    expect(() => make([new MinimalRNNCell(4)], [4, 4])).toThrow(/initialState must hold 1 tensors of shapes \[batch, 4\]/);
  });
});

describe('km.layers.rnn over a list of custom cells (Keras\' RNN([cell1, cell2]))', () => {
  it('runs them in order within each step, as stacked built-in cells do: outputs, states last cell first, masked steps and training', async () => {
    const make = (cells: km.layers.CallCell[] | km.layers.RNNCell[]) => {
      km.utils.setRandomSeed(31);
      const ids = km.input({ shape: [5], dtype: 'int32' });
      const embedded = km.layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true }).apply(ids);
      const [sequence, ...states] = km.layers.rnn({ cell: cells as km.layers.CallCell[], returnSequences: true, returnState: true }).apply(embedded) as unknown as km.SymbolicTensor[];
      const pooled = km.layers.globalAveragePooling1d().apply(sequence);
      return km.model({ inputs: ids, outputs: [km.layers.dense({ units: 2 }).apply(km.layers.concatenate().apply([pooled, ...states])), ...states] });
    };
    const ours = make([new MinimalRNNCell(4), new MinimalRNNCell(3)]);
    const linear = (units: number) => km.layers.simpleRNNCell({ units, activation: 'linear', useBias: false });
    const reference = make([linear(4), linear(3)]);
    const local = (model: km.LayersModel) => model.weights.map((w) => w.name.split('/').slice(1).join('/'));
    expect(local(ours)).toEqual(local(reference));
    expect(local(ours)).toContain('RNNCell_1/recurrent_kernel');
    reference.setWeights(ours.getWeights());
    const x = km.tensor([[1, 2, 0, 0, 0], [3, 0, 4, 5, 0], [5, 4, 3, 2, 1], [0, 0, 2, 1, 3]], [4, 5], 'int32');
    const [predicted, expected] = [ours.predict<km.Tensor[]>(x), reference.predict<km.Tensor[]>(x)];
    expect(predicted.map((t) => t.shape)).toEqual([[4, 2], [4, 3], [4, 4]]);
    predicted.forEach((t, k) => t.dataSync().forEach((v, i) => expect(Math.abs(v - expected[k].dataSync()[i])).toBeLessThan(1e-5)));
    const y = km.tensor([[0.5, -1], [1, 0], [-0.5, 0.3], [0.2, 0.8]]);
    const losses = await Promise.all([ours, reference].map(async (model) => {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: ['meanSquaredError', null, null] });
      return (await model.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 })).history.loss as number[];
    }));
    losses[0].forEach((loss, i) => expect(Math.abs(loss - losses[1][i])).toBeLessThan(1e-5));
  });

  it('saves as tfjs writes stacked cells, and loads once each class is registered', async () => {
    class StackedSaved extends MinimalRNNCell {
      override readonly className = 'StackedSaved';
      override getConfig(): Record<string, unknown> {
        return { ...super.getConfig(), units: this.stateSize };
      }
    }
    km.layers.registerCell('StackedSaved', (config) => new StackedSaved(config.units as number));
    km.utils.setRandomSeed(5);
    const model = km.sequential([km.layers.rnn({ cell: [new StackedSaved(3), new StackedSaved(2)], inputShape: [4, 2] }), km.layers.dense({ units: 1 })]);
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const cell = (saved!.modelTopology as { config: { layers: { config: { cell: { class_name: string; config: { cells: { class_name: string }[] } } } }[] } }).config.layers[0].config.cell;
    expect(cell.class_name).toBe('StackedRNNCells');
    expect(cell.config.cells.map((c) => c.class_name)).toEqual(['StackedSaved', 'StackedSaved']);
    const loaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    const x = km.tensor(Array.from({ length: 2 * 4 * 2 }, (_, i) => Math.cos(i)), [2, 4, 2]);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });
});

describe('km.layers.rnn over a custom cell: clear errors', () => {
  const x = () => km.tensor(new Float32Array(2 * 3 * 4).fill(0.5), [2, 3, 4]);
  const modelOf = (cell: km.layers.CallCell) => km.sequential([km.layers.rnn({ cell, inputShape: [3, 4] })]);

  // Bidirectional over registered cells: bidirectional_call_cell.test.ts.
  it('in Bidirectional, says that the cell\'s class must be registered for the two directions\' copies', () => {
    const rnn = km.layers.rnn({ cell: new MinimalRNNCell(3), name: 'custom_rnn' });
    expect(() => km.layers.bidirectional({ layer: rnn })).toThrow(
      /Layer 'custom_rnn' \(RNN\) runs Cell '.*' \(MinimalRNNCell\), whose class is not registered, so Bidirectional layer '.*' could not make its copies of layer, .*km\.layers\.registerCell\('MinimalRNNCell'/,
    );
  });

  it('refuses a cell without a stateSize, naming the fix', () => {
    class NoState extends km.layers.CallCell {
      readonly className = 'NoState';
      readonly stateSize = undefined as unknown as number;
      call(inputs: km.Tensor[]): km.Tensor[] {
        return inputs;
      }
    }
    expect(() => km.layers.rnn({ cell: new NoState({ name: 'plain' }) })).toThrow(
      "Cell 'plain' (NoState) must declare stateSize: the size of its state (a positive integer), or a list of sizes for several states, e.g. readonly stateSize = [units, units]. Received: stateSize=undefined.",
    );
  });

  it('refuses a call that returns the wrong number of states, or a state of the wrong shape', () => {
    class Forgetful extends km.layers.CallCell {
      readonly className = 'Forgetful';
      readonly stateSize = [4, 4];
      call([input]: km.Tensor[]): km.Tensor[] {
        return [input, input];
      }
    }
    expect(() => modelOf(new Forgetful({ name: 'f' })).predict(x())).toThrow(
      "Cell 'f' (Forgetful).call at step 0 returned a list of 2, but it must return [output, ...newStates]: 3 tensors, the output then the cell's 2 states (stateSize [4,4]).",
    );
    class Widening extends km.layers.CallCell {
      readonly className = 'Widening';
      readonly stateSize = 4;
      call([input]: km.Tensor[]): km.Tensor[] {
        return [input, km.concat([input, input], -1)];
      }
    }
    expect(() => modelOf(new Widening({ name: 'w' })).predict(x())).toThrow(
      "Cell 'w' (Widening).call at step 0 returned a float32 tensor of shape [2, 8] as new state 0, but the cell's stateSize (4) gives a float32 tensor of shape [2, 4] (the batch first).",
    );
  });

  it('refuses an object that is not a cell, and a custom cell in a list of cells, naming the way', () => {
    expect(() => km.layers.rnn({ cell: { stateSize: 3, call: () => [] } as never })).toThrow(
      "A custom cell class (Keras' RNN(MyCell())) extends km.layers.CallCell, with stateSize, build and call([input, ...states]) in km ops (docs/CUSTOM_LAYERS.md).",
    );
    expect(() => km.layers.rnn({ cell: [km.layers.lstmCell({ units: 2 }), new MinimalRNNCell(2) as never] })).toThrow(
      'A custom cell (km.layers.CallCell) runs in km.layers.rnn({ cell }), alone or in a list of custom cells, not beside built-in cells nor by new km.layers.RNN.',
    );
    const twice = new MinimalRNNCell(2);
    expect(() => km.layers.rnn({ cell: [twice, twice] })).toThrow(/already runs in an RNN layer, whose weights its build declared\. Make a new cell for each layer and each place in a list/);
  });

  it('refuses a cell already run by another layer and saving an unregistered cell, naming the alternatives', async () => {
    const cell = new MinimalRNNCell(2);
    km.layers.rnn({ cell });
    expect(() => km.layers.rnn({ cell })).toThrow(/already runs in an RNN layer, whose weights its build declared. Make a new cell for each layer/);
    // stateful is no longer refused: call_cell_rnn_stateful.test.ts checks it against the built-in cells.
    expect(km.layers.rnn({ cell: new MinimalRNNCell(2), stateful: true }).stateful).toBe(true);
    const model = modelOf(new MinimalRNNCell(2));
    await expect(model.save(km.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })))).rejects.toThrow(
      /runs Cell '.*' \(MinimalRNNCell\), whose class is not registered, so a saved model could not rebuild it\. .*km\.layers\.registerCell\('MinimalRNNCell', \(config\) => new MinimalRNNCell\(config\)\)/,
    );
    expect(() => km.layers.registerCell('LSTMCell', (config) => new MinimalRNNCell(config.units as number))).toThrow(/'LSTMCell' is a kerasm built-in cell/);
    expect(() => km.layers.layerFromConfig('RNN', { name: 'r', cell: { className: 'UnknownCell', config: {} } })).toThrow(
      "RNN layer 'r': unknown cell class 'UnknownCell'. Known cells: LSTMCell, GRUCell, SimpleRNNCell, ConvLSTM2DCell, StackedRNNCells; a custom cell (km.layers.CallCell) loads once its class is registered: km.layers.registerCell('UnknownCell', (config) => new UnknownCell(config)).",
    );
    km.layers.registerCell('MisnamedCell', () => new MinimalRNNCell(2));
    expect(() => km.layers.layerFromConfig('RNN', { name: 'r', cell: { className: 'MisnamedCell', config: {} } })).toThrow(
      "RNN layer 'r': the factory registered as cell class 'MisnamedCell' made a cell whose className is 'MinimalRNNCell'. It must return a CallCell whose className is 'MisnamedCell'.",
    );
  });

  it('refuses addWeight outside build', () => {
    class Eager extends km.layers.CallCell {
      readonly className = 'Eager';
      readonly stateSize = 2;
      constructor() {
        super({ name: 'eager' });
        this.addWeight('kernel', [2, 2], 'zeros');
      }
      call(inputs: km.Tensor[]): km.Tensor[] {
        return inputs;
      }
    }
    expect(() => new Eager()).toThrow("Cell 'eager' (Eager): addWeight('kernel') declares a weight while the cell builds: call it from build(inputShape), which km.layers.rnn runs.");
  });
});
