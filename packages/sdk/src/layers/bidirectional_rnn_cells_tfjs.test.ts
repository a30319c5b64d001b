import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, tfjsArtifacts } from '../io/testing/round_trip.js';
import { expectClose } from '../testing/expect_close.js';
import { kerasmGradients } from '../testing/sgd_gradients.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';

// Bidirectional around an RNN over cells against tfjs-layers 4.22. tfjs' Bidirectional builds its
// two copies from one config object, which its RNN.fromConfig overwrites (config.cell becomes the
// cell itself), so the backward copy fails to build: `tfl.layers.bidirectional({ layer: tfl.layers.rnn(...) })`
// throws "Improper config format". The reference here is tfjs with only that fixed: RNN.fromConfig
// reads a copy of the config.
type FromConfig = (cls: unknown, config: Record<string, unknown>, customObjects?: unknown) => unknown;
const classes = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, [unknown, FromConfig]>;
const tfjsRnnEntry = classes.RNN;

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  const [cls, fromConfig] = tfjsRnnEntry;
  classes.RNN = [cls, (c, config, customObjects) => fromConfig(c, { ...config }, customObjects)];
  await tf.setBackend('cpu');
  await km.ready();
});

afterAll(() => {
  classes.RNN = tfjsRnnEntry;
});

const [BATCH, STEPS, FEATURES] = [4, 5, 3];
const random = new Random(47);
const xValues = Float32Array.from({ length: BATCH * STEPS * FEATURES }, () => random.uniform(-1, 1));
const kmX = () => km.tensor(xValues, [BATCH, STEPS, FEATURES]);
const tfX = () => tf.tensor(xValues, [BATCH, STEPS, FEATURES]);

interface CellsCase {
  name: string;
  ours: () => km.layers.RNNCell | km.layers.RNNCell[];
  theirs: () => tfl.layers.RNNCell | tfl.layers.RNNCell[];
  /** The last cell's units: one direction's output width. */
  units: number;
}

const cellCases: CellsCase[] = [
  {
    name: 'RNN(lstmCell)',
    ours: () => km.layers.lstmCell({ units: 3 }),
    theirs: () => tfl.layers.lstmCell({ units: 3 }),
    units: 3,
  },
  {
    name: 'RNN([gruCell, simpleRNNCell])',
    ours: () => [km.layers.gruCell({ units: 3 }), km.layers.simpleRNNCell({ units: 2 })],
    theirs: () => [tfl.layers.gruCell({ units: 3 }), tfl.layers.simpleRNNCell({ units: 2 })],
    units: 2,
  },
];

const cases = cellCases.flatMap((c) => (['concat', null] as const).map((mergeMode) => ({ ...c, mergeMode, label: `${c.name}, mergeMode ${mergeMode}` })));

/** The same Bidirectional in tfjs, holding `ours`' weights. */
function tfjsTwin(c: CellsCase, ours: km.layers.Layer, options: { mergeMode?: 'concat' | null; returnState?: boolean }): tfl.layers.Layer {
  const theirs = tfl.layers.bidirectional({
    layer: tfl.layers.rnn({ cell: c.theirs(), returnSequences: true, returnState: options.returnState }) as tfl.RNN,
    mergeMode: (options.mergeMode === undefined ? 'concat' : options.mergeMode) as 'concat',
  });
  theirs.apply(tfX());
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  return theirs;
}

const values = (outputs: km.Tensor | km.Tensor[] | tf.Tensor | tf.Tensor[]) => (Array.isArray(outputs) ? outputs : [outputs]).map((t) => t.dataSync());

describe('Bidirectional(RNN over cells) with returnSequences: parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(cases)('$label: the same weights give the same outputs and the same gradients', async (c) => {
    km.utils.setRandomSeed(21);
    const x = km.input({ shape: [STEPS, FEATURES] });
    const bi = km.layers.bidirectional({ layer: km.layers.rnn({ cell: c.ours(), returnSequences: true }), mergeMode: c.mergeMode });
    const model = km.model({ inputs: x, outputs: bi.apply(x) });
    const theirs = tfjsTwin(c, bi, c);
    const theirOutputs = theirs.apply(tfX()) as tf.Tensor | tf.Tensor[];
    const ourOutputs = values(model.predict(kmX()) as km.Tensor | km.Tensor[]);
    values(theirOutputs).forEach((expected, k) => expectClose(ourOutputs[k], expected));

    const widths = c.mergeMode === 'concat' ? [2 * c.units] : [c.units, c.units];
    const targets = widths.map((width) => Float32Array.from({ length: BATCH * STEPS * width }, () => random.uniform(-1, 1)));
    const kmTargets = targets.map((t, k) => km.tensor(t, [BATCH, STEPS, widths[k]]));
    const losses = widths.map(() => 'meanSquaredError' as const);
    const ours = await kerasmGradients(model, c.mergeMode === 'concat' ? 'meanSquaredError' : losses, kmX(), c.mergeMode === 'concat' ? kmTargets[0] : kmTargets);
    const { grads } = tf.variableGrads(() => {
      const outputs = theirs.apply(tfX()) as tf.Tensor | tf.Tensor[];
      const list = Array.isArray(outputs) ? outputs : [outputs];
      return tf.addN(list.map((y, k) => tf.losses.meanSquaredError(tf.tensor(targets[k], [BATCH, STEPS, widths[k]]), y))) as tf.Scalar;
    }, theirs.trainableWeights.map((w) => w.read() as tf.Variable));
    expect(ours).toHaveLength(theirs.trainableWeights.length);
    theirs.trainableWeights.forEach((w, k) => expectClose(ours[k], grads[(w.read() as tf.Variable).name].dataSync(), 1e-4));
    expect(Math.max(...ours.map((g) => Math.max(...Array.from(g, Math.abs))))).toBeGreaterThan(1e-4);
  });

  it.each(cellCases)('$name with returnState: [merged, ...forward states, ...backward states], and initialState, as tfjs', (c) => {
    km.utils.setRandomSeed(22);
    const bi = km.layers.bidirectional({ layer: km.layers.rnn({ cell: c.ours(), returnSequences: true, returnState: true }) });
    const ours = values(bi.apply(kmX()));
    const theirs = values(tfjsTwin(c, bi, { returnState: true }).apply(tfX()) as tf.Tensor[]);
    // Two states per direction: an LSTMCell's h and c; the stacked cells' h each, the last cell's first.
    expect(ours).toHaveLength(5);
    expect(theirs).toHaveLength(5);
    theirs.forEach((expected, k) => expectClose(ours[k], expected));

    // initialState takes the forward states then the backward ones, each direction's in returnState's order.
    const shapes = ours.slice(1).map((s) => [BATCH, s.length / BATCH]);
    const initial = shapes.map((shape) => Float32Array.from({ length: shape[0] * shape[1] }, () => random.uniform(-1, 1)));
    const ourStarted = values(bi.apply(kmX(), { initialState: initial.map((v, k) => km.tensor(v, shapes[k])) }));
    const twin = tfjsTwin(c, bi, { returnState: true });
    const theirStarted = values(twin.apply(tfX(), { initialState: initial.map((v, k) => tf.tensor(v, shapes[k])) }) as tf.Tensor[]);
    theirStarted.forEach((expected, k) => expectClose(ourStarted[k], expected));
    expect(Math.max(...Array.from(ourStarted[0], (v, i) => Math.abs(v - ours[0][i])))).toBeGreaterThan(1e-3);
  });

  it('a mask from Embedding maskZero: each direction as tfjs computes it, 0 at masked steps (Keras 3)', () => {
    km.utils.setRandomSeed(23);
    const c = cellCases[1];
    const idValues = Float32Array.from([3, 1, 4, 0, 0, 0, 0, 2, 5, 1, 2, 2, 2, 2, 2, 5, 0, 3, 1, 4]);
    const ids = km.input({ shape: [STEPS] });
    const embedding = km.layers.embedding({ inputDim: 6, outputDim: FEATURES, maskZero: true });
    const bi = km.layers.bidirectional({ layer: km.layers.rnn({ cell: c.ours(), returnSequences: true }), mergeMode: null });
    const model = km.model({ inputs: ids, outputs: bi.apply(embedding.apply(ids)) });
    const [f, b] = values(model.predict(km.tensor(idValues, [BATCH, STEPS])) as km.Tensor[]);

    const tfIds = tfl.input({ shape: [STEPS] });
    const tfEmbedding = tfl.layers.embedding({ inputDim: 6, outputDim: FEATURES, maskZero: true });
    const tfBi = tfl.layers.bidirectional({ layer: tfl.layers.rnn({ cell: c.theirs(), returnSequences: true }) as tfl.RNN, mergeMode: null as unknown as 'concat' });
    const reference = tfl.model({ inputs: tfIds, outputs: tfBi.apply(tfEmbedding.apply(tfIds)) as tfl.SymbolicTensor[] });
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const zeroMasked = (y: Float32Array | Int32Array | Uint8Array) => Array.from(y, (v, i) => (idValues[Math.floor(i / c.units)] === 0 ? 0 : v));
    const [tfF, tfB] = values(reference.predict(tf.tensor(idValues, [BATCH, STEPS])) as tf.Tensor[]);
    expectClose(f, zeroMasked(tfF));
    expectClose(b, zeroMasked(tfB));
    // The zeros are Keras 3's, not tfjs': tfjs repeats the previous step's output there.
    expect(Math.max(...Array.from(tfF.subarray(3 * c.units, 4 * c.units), Math.abs))).toBeGreaterThan(1e-3);
  });
});

describe('Bidirectional(RNN(lstmCell)) is Bidirectional(lstm): the same recurrence', () => {
  it('same weights, a padded sequence: the same outputs and gradients', async () => {
    km.utils.setRandomSeed(24);
    const idValues = Float32Array.from([3, 1, 4, 0, 0, 0, 0, 2, 5, 1, 2, 2, 2, 2, 2, 5, 0, 3, 1, 4]);
    const make = (layer: km.layers.Layer) => km.sequential([
      km.layers.embedding({ inputDim: 6, outputDim: FEATURES, maskZero: true, inputShape: [STEPS] }),
      km.layers.bidirectional({ layer }),
      km.layers.dense({ units: 1 }),
    ]);
    const viaCell = make(km.layers.rnn({ cell: km.layers.lstmCell({ units: 3 }), returnSequences: true }));
    const viaLayer = make(km.layers.lstm({ units: 3, returnSequences: true }));
    viaLayer.setWeights(viaCell.getWeights());
    const input = km.tensor(idValues, [BATCH, STEPS]);
    expectClose(viaCell.predict(input).dataSync(), viaLayer.predict(input).dataSync());
    const y = km.tensor(Float32Array.from({ length: BATCH * STEPS }, () => random.uniform(-1, 1)), [BATCH, STEPS, 1]);
    const [ours, reference] = [await kerasmGradients(viaCell, 'meanSquaredError', input, y), await kerasmGradients(viaLayer, 'meanSquaredError', input, y)];
    reference.forEach((g, k) => expectClose(ours[k], g, 1e-5));
  });
});

describe('Bidirectional(RNN over cells): saving and loading', () => {
  const model = (c: CellsCase) => {
    const x = km.input({ shape: [STEPS, FEATURES], name: 'x' });
    return km.model({ inputs: x, outputs: km.layers.bidirectional({ name: 'bi', layer: km.layers.rnn({ cell: c.ours(), returnSequences: true }) }).apply(x) });
  };

  it.each(cellCases)('$name: saved by kerasm, the config nests the RNN and its cells; loads in kerasm and in tfjs with the same outputs', async (c) => {
    km.utils.setRandomSeed(25);
    const ours = model(c);
    const expected = ours.predict(kmX()).dataSync();
    const artifacts = await kerasmArtifacts(ours);
    const layers = (artifacts.modelTopology as { config: { layers: { name: string; config: { layer: { class_name: string; config: { cell: { class_name: string } } } } }[] } }).config.layers;
    const wrapped = layers.find((l) => l.name === 'bi')!.config.layer;
    expect([wrapped.class_name, wrapped.config.cell.class_name]).toEqual(['RNN', Array.isArray(c.ours()) ? 'StackedRNNCells' : 'LSTMCell']);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expectClose(loaded.predict(kmX()).dataSync(), expected);
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expectClose((inTfjs.predict(tfX()) as tf.Tensor).dataSync(), expected);
  });

  it.each(cellCases)('$name: saved by tfjs, loads in kerasm with the same outputs', async (c) => {
    const x = tfl.input({ shape: [STEPS, FEATURES] });
    const theirs = tfl.model({ inputs: x, outputs: tfl.layers.bidirectional({ layer: tfl.layers.rnn({ cell: c.theirs(), returnSequences: true }) as tfl.RNN }).apply(x) as tfl.SymbolicTensor });
    const expected = (theirs.predict(tfX()) as tf.Tensor).dataSync();
    const loaded = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
    expectClose(loaded.predict(kmX()).dataSync(), expected);
  });
});
