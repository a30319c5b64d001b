import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff } from './testing/round_trip.js';
import { KERAS3_COMPILE_CONFIG, kerasFunctional, kerasInputLayer, kerasLayer, kerasNested, kerasNode, kerasSequential, kerasTensor } from '../testing/keras3_functional_configs.js';
import { Random } from '../utils/random.js';

// Keras 3 topologies beyond a plain Sequential, written as Keras 3 writes them, load into the model
// kerasm builds from the same layers: with that model's weights (read by name from a file kerasm
// wrote for it), each predicts, lists its layers and takes a training step as that model does.

let warnings: string[];
const warn = console.warn;
beforeAll(() => km.ready());
beforeEach(() => {
  warnings = [];
  console.warn = (message: string) => void warnings.push(message);
});
afterEach(() => {
  console.warn = warn;
});

const BATCH = 4;
const random = new Random(31);
const draw = (...shape: number[]) => km.tensor(Float32Array.from({ length: BATCH * shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)), [BATCH, ...shape]);

function summaryOf(model: km.LayersModel): string[] {
  const lines: string[] = [];
  model.summary(undefined, undefined, (line) => lines.push(line));
  return lines;
}

const flat = (out: km.Tensor | km.Tensor[] | Record<string, km.Tensor>) => (out instanceof km.Tensor ? [out] : Object.values(out)).map((t) => t.dataSync());

/**
 * Loads `keras3` (a Keras 3 topology) with the weights of `ours`, the model kerasm builds from the
 * same layers, then checks the two list the same layers, predict the same, and train the same for
 * one step. Returns the loaded model.
 */
async function expectLoadsAs(ours: km.LayersModel, keras3: Record<string, unknown>, x: km.Tensor | km.Tensor[], y: km.Tensor | km.Tensor[] | Record<string, km.Tensor>): Promise<km.LayersModel> {
  const artifacts = await kerasmArtifacts(ours);
  const loaded = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, modelTopology: keras3 }));
  expect(warnings).toEqual([]);
  expect(summaryOf(loaded)).toEqual(summaryOf(ours));
  const [expected, predicted] = [ours, loaded].map((m) => flat(m.predict(x) as km.Tensor));
  expect(predicted.length).toBe(expected.length);
  predicted.forEach((values, k) => expect(maxAbsDiff(values, expected[k])).toBeLessThan(1e-6));
  for (const model of [ours, loaded]) {
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 });
  }
  const [trained, loadedTrained] = [ours, loaded].map((m) => m.getWeights().map((w) => w.dataSync()));
  expect(loadedTrained.length).toBe(trained.length);
  trained.forEach((w, i) => expect(maxAbsDiff(loadedTrained[i], w)).toBeLessThan(1e-6));
  expect(maxAbsDiff(trained[0], ours.getWeights()[0].dataSync())).toBe(0);
  return loaded;
}

describe('Keras 3 functional topologies load as the model kerasm builds from the same layers', () => {
  it('several inputs and outputs, a shared layer called twice, a merge layer on a list, and calls with training and mask kwargs', async () => {
    km.utils.setRandomSeed(1);
    const [left, right] = [km.input({ shape: [4], name: 'left' }), km.input({ shape: [4], name: 'right' })];
    const [seq, keep] = [km.input({ shape: [5, 3], name: 'seq' }), km.input({ shape: [5], name: 'keep' })];
    const shared = km.layers.dense({ units: 3, activation: 'tanh', name: 'shared' });
    const joined = km.layers.concatenate({ name: 'join' }).apply([shared.apply(left), shared.apply(right)]);
    const score = km.layers.dense({ units: 1, name: 'score' }).apply(km.layers.batchNormalization({ name: 'norm' }).apply(joined, { training: false }));
    // Keras 3's LSTM defaults to recurrent_activation 'sigmoid', which the file says; kerasm's (tfjs') to 'hardSigmoid'.
    const recurrent = km.layers.lstm({ units: 2, recurrentActivation: 'sigmoid', name: 'recurrent' }).apply(seq, { mask: keep });
    const ours = km.model({ inputs: [left, right, seq, keep], outputs: [score, recurrent], name: 'towers' });

    const keras3 = kerasFunctional(
      'towers',
      [
        kerasInputLayer('left', [null, 4]),
        kerasInputLayer('right', [null, 4]),
        kerasInputLayer('seq', [null, 5, 3]),
        kerasInputLayer('keep', [null, 5]),
        kerasLayer('Dense', { name: 'shared', units: 3, activation: 'tanh' }, [kerasNode([kerasTensor('left', 0, 0, [null, 4])]), kerasNode([kerasTensor('right', 0, 0, [null, 4])])], [null, 4]),
        kerasLayer('Concatenate', { name: 'join' }, [kerasNode([[kerasTensor('shared', 0, 0, [null, 3]), kerasTensor('shared', 1, 0, [null, 3])]])], [[null, 3], [null, 3]]),
        kerasLayer('BatchNormalization', { name: 'norm' }, [kerasNode([kerasTensor('join', 0, 0, [null, 6])], { training: false })], [null, 6]),
        kerasLayer('Dense', { name: 'score', units: 1 }, [kerasNode([kerasTensor('norm', 0, 0, [null, 6])])], [null, 6]),
        kerasLayer('LSTM', { name: 'recurrent' }, [kerasNode([kerasTensor('seq', 0, 0, [null, 5, 3])], { mask: kerasTensor('keep', 0, 0, [null, 5]) })], [null, 5, 3]),
      ],
      [['left', 0, 0], ['right', 0, 0], ['seq', 0, 0], ['keep', 0, 0]],
      [['score', 0, 0], ['recurrent', 0, 0]],
    );
    const keepValues = km.tensor(Array.from({ length: BATCH * 5 }, (_, i) => (i % 7 === 6 ? 0 : 1)), [BATCH, 5]);
    const loaded = await expectLoadsAs(ours, keras3, [draw(4), draw(4), draw(5, 3), keepValues], [draw(1), draw(2)]);
    expect(loaded.layers.map((l) => `${l.name} (${l.className})`)).toEqual(ours.layers.map((l) => `${l.name} (${l.className})`));
    expect(loaded.inputNames).toEqual(['left', 'right', 'seq', 'keep']);
  });

  it('a Sequential and a functional model nested in a functional one, the functional one called twice and also an output', async () => {
    km.utils.setRandomSeed(2);
    const encoder = km.sequential({ name: 'encoder', layers: [km.layers.dense({ units: 4, activation: 'tanh', inputShape: [6], name: 'enc_dense' })] });
    const blockInput = km.input({ shape: [4], name: 'block_input' });
    const block = km.model({ inputs: blockInput, outputs: km.layers.add({ name: 'block_add' }).apply([blockInput, km.layers.dense({ units: 4, activation: 'relu', name: 'block_dense' }).apply(blockInput)]), name: 'block' });
    const features = km.input({ shape: [6], name: 'features' });
    const once = block.apply(encoder.apply(features) as km.SymbolicTensor) as km.SymbolicTensor;
    const twice = block.apply(once) as km.SymbolicTensor;
    const ours = km.model({ inputs: features, outputs: [km.layers.dense({ units: 2, name: 'head' }).apply(twice), twice], name: 'outer' });

    const blockTopology = kerasFunctional(
      'block',
      [
        kerasInputLayer('block_input', [null, 4]),
        kerasLayer('Dense', { name: 'block_dense', units: 4, activation: 'relu' }, [kerasNode([kerasTensor('block_input', 0, 0, [null, 4])])], [null, 4]),
        kerasLayer('Add', { name: 'block_add' }, [kerasNode([[kerasTensor('block_input', 0, 0, [null, 4]), kerasTensor('block_dense', 0, 0, [null, 4])]])], [[null, 4], [null, 4]]),
      ],
      ['block_input', 0, 0],
      ['block_add', 0, 0],
    );
    const keras3 = kerasFunctional(
      'outer',
      [
        kerasInputLayer('features', [null, 6]),
        kerasNested(kerasSequential('encoder', [null, 6], [kerasLayer('Dense', { name: 'enc_dense', units: 4, activation: 'tanh' }, [], [null, 6])]), [kerasNode([kerasTensor('features', 0, 0, [null, 6])])]),
        // serialize_node numbers the block's calls from 0 here ...
        kerasNested(blockTopology, [kerasNode([kerasTensor('encoder', 0, 0, [null, 4])]), kerasNode([kerasTensor('block', 0, 0, [null, 4])])]),
        kerasLayer('Dense', { name: 'head', units: 2 }, [kerasNode([kerasTensor('block', 1, 0, [null, 4])])], [null, 4]),
      ],
      ['features', 0, 0],
      // ... and get_config's output_layers from 1, counting a node Functional models no longer have (kept_nodes = 1).
      [['head', 0, 0], ['block', 2, 0]],
    );
    const loaded = await expectLoadsAs(ours, keras3, draw(6), [draw(2), draw(4)]);
    expect(loaded.layers.map((l) => `${l.name} (${l.className})`)).toEqual(['features (InputLayer)', 'encoder (Sequential)', 'block (Functional)', 'head (Dense)']);
  });

  it('a functional model stacked in a Sequential one', async () => {
    km.utils.setRandomSeed(3);
    const chainInput = km.input({ shape: [6], name: 'chain_input' });
    const chain = km.model({ inputs: chainInput, outputs: km.layers.dense({ units: 3, activation: 'tanh', name: 'chain_dense' }).apply(chainInput), name: 'chain' });
    const ours = km.sequential({ name: 'stack', layers: [chain, km.layers.dense({ units: 1, name: 'stack_top' })] });
    const chainTopology = kerasFunctional(
      'chain',
      [kerasInputLayer('chain_input', [null, 6]), kerasLayer('Dense', { name: 'chain_dense', units: 3, activation: 'tanh' }, [kerasNode([kerasTensor('chain_input', 0, 0, [null, 6])])], [null, 6])],
      [['chain_input', 0, 0]],
      [['chain_dense', 0, 0]],
    );
    const keras3 = kerasSequential('stack', [null, 6], [chainTopology, kerasLayer('Dense', { name: 'stack_top', units: 1 }, [], [null, 3])]);
    const loaded = await expectLoadsAs(ours, keras3, draw(6), draw(1));
    expect(loaded.layers.map((l) => `${l.name} (${l.className})`)).toEqual(['chain (Functional)', 'stack_top (Dense)']);
  });
});

describe("Keras 3's input_layers and output_layers forms, and its envelope keys", () => {
  function oneInputModel() {
    km.utils.setRandomSeed(4);
    const x = km.input({ shape: [3], name: 'x' });
    const hidden = km.layers.dense({ units: 4, activation: 'tanh', name: 'hidden' }).apply(x);
    return { x, hidden, score: km.layers.dense({ units: 1, name: 'score' }).apply(hidden) };
  }
  const oneInputLayers = [
    kerasInputLayer('x', [null, 3]),
    kerasLayer('Dense', { name: 'hidden', units: 4, activation: 'tanh' }, [kerasNode([kerasTensor('x', 0, 0, [null, 3])])], [null, 3]),
    kerasLayer('Dense', { name: 'score', units: 1 }, [kerasNode([kerasTensor('hidden', 0, 0, [null, 4])])], [null, 4]),
  ];

  it("one input and one output, unnested (Keras >= 3.4's tree.map_structure) or in a list (earlier Keras 3), with build_config and compile_config", async () => {
    const { x, score } = oneInputModel();
    const ours = km.model({ inputs: x, outputs: score, name: 'single' });
    const envelope = { build_config: { input_shape: null }, compile_config: KERAS3_COMPILE_CONFIG };
    await expectLoadsAs(ours, kerasFunctional('single', oneInputLayers, ['x', 0, 0], ['score', 0, 0], envelope), draw(3), draw(1));
    await expectLoadsAs(ours, kerasFunctional('single', oneInputLayers, [['x', 0, 0]], [['score', 0, 0]], envelope), draw(3), draw(1));
  });

  it('a dict of named outputs', async () => {
    const { x, hidden, score } = oneInputModel();
    const ours = km.model({ inputs: x, outputs: { score, embedding: hidden }, name: 'named' });
    const keras3 = kerasFunctional('named', oneInputLayers, ['x', 0, 0], { score: ['score', 0, 0], embedding: ['hidden', 0, 0] });
    const loaded = await expectLoadsAs(ours, keras3, draw(3), { score: draw(1), embedding: draw(4) });
    expect(loaded.outputNames).toEqual(['score', 'embedding']);
  });

  it('dict inputs are refused, with how to save the model with a list', () => {
    const keras3 = kerasFunctional('dict_in', oneInputLayers, { x: ['x', 0, 0] }, ['score', 0, 0]);
    expect(() => km.models.modelFromJSON(keras3)).toThrow(/input_layers is a dict \(Keras' dict inputs, keys \["x"\]\), and kerasm's models take their inputs as a list\. Rebuild the model in Keras with a list of inputs/);
  });
});
