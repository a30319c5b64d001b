import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff } from '../io/testing/round_trip.js';
import { tfd } from '../data/testing/tfjs_data.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';

// Model inputs with dimensions of unknown size (null, Keras' None) take data of any size there, as
// in tfjs: each call's data runs at its own size, with the same weights. Checked against
// tfjs-layers 4.22 given the same weights and data.

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

/** tfjs' model with kerasm's weights, so both compute the same function. */
function withOurWeights(theirs: tfl.LayersModel, ours: km.LayersModel): tfl.LayersModel {
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  return theirs;
}

/** Values in [-1, 1) that differ from sample to sample and step to step. */
function wave(shape: number[], phase = 0): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37 + phase));
}

/** Token ids in [1, vocabulary), with zeros (padding) at the end of every other sequence. */
function tokens(batch: number, steps: number, vocabulary: number): Int32Array {
  return Int32Array.from({ length: batch * steps }, (_, i) => (i % steps >= steps - (Math.floor(i / steps) % 2) ? 0 : 1 + ((i * 7) % (vocabulary - 1))));
}

function expectSamePredictions(ours: km.LayersModel, theirs: tfl.LayersModel, x: Float32Array | Int32Array, shape: number[]): void {
  const expected = (theirs.predict(tf.tensor(x, shape, x instanceof Int32Array ? 'int32' : 'float32')) as tf.Tensor).dataSync();
  const got = ours.predict(km.tensor(x, shape)) as km.Tensor;
  expect(got.shape[0]).toBe(shape[0]);
  expect(maxAbsDiff(got.dataSync(), expected)).toBeLessThanOrEqual(1e-5);
}

describe('inputs with dimensions of unknown size', () => {
  it('a Sequential text model over token sequences of any length shows None, predicts as tfjs at every length, and trains as tfjs', async () => {
    const layers = (lib: typeof km.layers | typeof tfl.layers) => [
      (lib.embedding as typeof tfl.layers.embedding)({ inputDim: 12, outputDim: 4, maskZero: true, inputShape: [null as unknown as number] }),
      (lib.lstm as typeof tfl.layers.lstm)({ units: 3 }),
      (lib.dense as typeof tfl.layers.dense)({ units: 1 }),
    ];
    const ours = km.sequential(layers(km.layers) as unknown as km.layers.Layer[]);
    const theirs = withOurWeights(tfl.sequential({ layers: layers(tfl.layers) }), ours);
    expect(ours.inputs[0].shape).toEqual([null]);
    expect(ours.inputShape).toEqual([null]);
    expect(ours.layers.map((l) => (l as km.layers.Layer).outputShape)).toEqual([[null, 4], [3], [1]]);
    const lines: string[] = [];
    ours.summary({ printFn: (line) => lines.push(line) });
    expect(lines.some((line) => line.includes('(None, None, 4)'))).toBe(true);

    for (const steps of [5, 9, 1, 5]) expectSamePredictions(ours, theirs, tokens(4, steps, 12), [4, steps]);

    // Training at two lengths in turn: the same losses, and afterwards the same predictions.
    ours.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3 }), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: tf.train.sgd(0.3), loss: 'meanSquaredError' });
    const args = { epochs: 2, batchSize: 3, shuffle: false, verbose: 0 as const };
    for (const steps of [6, 3]) {
      const x = tokens(7, steps, 12);
      const y = wave([7, 1], steps);
      const ourLosses = (await ours.fit(km.tensor(x, [7, steps]), km.tensor(y, [7, 1]), args)).history.loss;
      const theirLosses = (await theirs.fit(tf.tensor(x, [7, steps], 'int32'), tf.tensor(y, [7, 1]), args)).history.loss as number[];
      ourLosses.forEach((loss, i) => expect(Math.abs(loss - theirLosses[i])).toBeLessThan(1e-5));
    }
    expectSamePredictions(ours, theirs, tokens(2, 11, 12), [2, 11]);
    const [ourLoss] = await ours.evaluate(km.tensor(tokens(5, 4, 12), [5, 4]), km.tensor(wave([5, 1]), [5, 1]));
    const [theirLoss] = [theirs.evaluate(tf.tensor(tokens(5, 4, 12), [5, 4], 'int32'), tf.tensor(wave([5, 1]), [5, 1]))].flat() as tf.Tensor[];
    expect(Math.abs(ourLoss - theirLoss.dataSync()[0])).toBeLessThan(1e-5);
  });

  // tfjs' TimeDistributed cannot run over steps of unknown number, so the per-step Dense reads the last axis.
  it('a functional 1-D convolution over sequences of any length with per-step outputs follows the length in its shapes and values', async () => {
    const build = (lib: typeof tfl, input: (args: { shape: (number | null)[] }) => unknown) => {
      const x = input({ shape: [null, 4] }) as tfl.SymbolicTensor;
      const conv = lib.layers.conv1d({ filters: 3, kernelSize: 3, padding: 'valid', activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
      const pooled = lib.layers.maxPooling1d({ poolSize: 2 }).apply(conv) as tfl.SymbolicTensor;
      const steps = lib.layers.dense({ units: 2 }).apply(pooled) as tfl.SymbolicTensor;
      return { x, conv, steps };
    };
    const ourGraph = build(km as unknown as typeof tfl, (args) => km.input(args));
    const ours = km.model({ inputs: ourGraph.x as unknown as km.SymbolicTensor, outputs: ourGraph.steps as unknown as km.SymbolicTensor });
    const theirGraph = build(tfl, (args) => tfl.input(args as { shape: number[] }));
    const theirs = withOurWeights(tfl.model({ inputs: theirGraph.x, outputs: theirGraph.steps }), ours);
    expect((ourGraph.conv as unknown as km.SymbolicTensor).shape).toEqual([null, 3]);
    expect(ours.outputShape).toEqual([null, 2]);
    for (const steps of [8, 4, 13]) {
      expectSamePredictions(ours, theirs, wave([2, steps, 4], steps), [2, steps, 4]);
      expect((ours.predict(km.tensor(wave([2, steps, 4]), [2, steps, 4])) as km.Tensor).shape).toEqual([2, Math.floor((steps - 2) / 2), 2]);
    }
  });

  const sequenceModels: Record<string, (lib: typeof tfl.layers) => tfl.layers.Layer[]> = {
    'Bidirectional(GRU) then global max pooling': (lib) => [
      lib.bidirectional({ layer: lib.gru({ units: 3, returnSequences: true }) as tfl.RNN, inputShape: [null as unknown as number, 4] }),
      lib.globalMaxPooling1d({}),
    ],
    "Conv1D 'same' with dilation, LayerNormalization, then an LSTM": (lib) => [
      lib.conv1d({ filters: 5, kernelSize: 3, padding: 'same', dilationRate: 2, inputShape: [null as unknown as number, 4] }),
      lib.layerNormalization({}),
      lib.lstm({ units: 2 }),
    ],
    "AveragePooling1D 'same', then a SimpleRNN over every step": (lib) => [
      lib.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [null as unknown as number, 4] }),
      lib.simpleRNN({ units: 3, returnSequences: true }),
    ],
  };
  for (const [name, layers] of Object.entries(sequenceModels)) {
    it(`${name} over sequences of any length predicts as tfjs`, () => {
      const ours = km.sequential(layers(km.layers as unknown as typeof tfl.layers) as unknown as km.layers.Layer[]);
      const theirs = withOurWeights(tfl.sequential({ layers: layers(tfl.layers) }), ours);
      for (const steps of [6, 2, 9]) expectSamePredictions(ours, theirs, wave([3, steps, 4], steps), [3, steps, 4]);
    });
  }

  it('a fully convolutional image model takes images of any height and width', () => {
    const layers = (lib: typeof tfl.layers) => [
      lib.conv2d({ filters: 2, kernelSize: 3, padding: 'same', inputShape: [null as unknown as number, null as unknown as number, 3] }),
      lib.conv2d({ filters: 1, kernelSize: 2, strides: 2, activation: 'sigmoid' }),
    ];
    const ours = km.sequential(layers(km.layers as unknown as typeof tfl.layers) as unknown as km.layers.Layer[]);
    const theirs = withOurWeights(tfl.sequential({ layers: layers(tfl.layers) }), ours);
    expect(ours.outputShape).toEqual([null, null, 1]);
    for (const [h, w] of [[8, 8], [5, 7], [12, 4]]) expectSamePredictions(ours, theirs, wave([2, h, w, 3], h * w), [2, h, w, 3]);
  });
});

describe('inputs with dimensions of unknown size: datasets', () => {
  it('fit and evaluate on a dataset whose batches each have their own length give the losses and metrics tfjs gives', async () => {
    const layers = (lib: typeof tfl.layers) => [lib.lstm({ units: 3, inputShape: [null as unknown as number, 2] }), lib.dense({ units: 1 })];
    const ours = km.sequential(layers(km.layers as unknown as typeof tfl.layers) as unknown as km.layers.Layer[]);
    const theirs = withOurWeights(tfl.sequential({ layers: layers(tfl.layers) }), ours);
    // Bucketed sequences: each batch padded to its own longest, 3, 5 then 2 steps.
    const batches = [3, 5, 2].map((steps, k) => ({ x: wave([2 + k, steps, 2], k), y: wave([2 + k, 1], 10 + k), shape: [2 + k, steps, 2] }));
    const ourData = () => km.data.array(batches.map(({ x, y, shape }) => ({ xs: km.tensor(x, shape), ys: km.tensor(y, [shape[0], 1]) })));
    const theirData = () => tfd.array(batches.map(({ x, y, shape }) => ({ xs: tf.tensor(x, shape), ys: tf.tensor(y, [shape[0], 1]) })));
    ours.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError', metrics: ['mae'] });
    theirs.compile({ optimizer: tf.train.sgd(0.2), loss: 'meanSquaredError', metrics: ['mae'] });
    // Validation tensors of a length no training batch has.
    const [valX, valY] = [wave([3, 4, 2], 7), wave([3, 1], 8)];
    const ourHistory = (await ours.fit(ourData(), { epochs: 3, verbose: 0, validationData: [km.tensor(valX, [3, 4, 2]), km.tensor(valY, [3, 1])] })).history;
    const theirHistory = (await theirs.fitDataset(theirData(), { epochs: 3, verbose: 0, validationData: [tf.tensor(valX, [3, 4, 2]), tf.tensor(valY, [3, 1])] })).history;
    for (const key of ['loss', 'mae', 'val_loss', 'val_mae']) ourHistory[key].forEach((v, i) => expect(Math.abs(v - (theirHistory[key][i] as number))).toBeLessThan(1e-5));
    const ourScores = (await ours.evaluate(ourData())) as number[];
    const theirScores = (theirs.evaluateDataset(theirData() as never, {}) as unknown as Promise<tf.Scalar[]>).then((t) => t.map((s) => s.dataSync()[0]));
    (await theirScores).forEach((v, i) => expect(Math.abs(ourScores[i] - v)).toBeLessThan(1e-5));
  });
});

describe('layers applied to data of several sizes', () => {
  it('an LSTM and a Conv2D applied to tensors of several lengths and sizes compute what tfjs computes; a Dense given another width is still refused', () => {
    const ourLstm = km.layers.lstm({ units: 3, returnSequences: true });
    const theirLstm = tfl.layers.lstm({ units: 3, returnSequences: true });
    const ourConv = km.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' });
    const theirConv = tfl.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' });
    const pairs: [km.layers.Layer, tfl.layers.Layer, number[][]][] = [
      [ourLstm, theirLstm, [[2, 4, 5], [2, 7, 5], [1, 2, 5]]],
      [ourConv, theirConv, [[1, 6, 6, 2], [2, 9, 5, 2], [1, 6, 6, 2]]],
    ];
    for (const [ours, theirs, shapes] of pairs) {
      shapes.forEach((shape, k) => {
        const x = wave(shape, k);
        const got = ours.apply(km.tensor(x, shape)) as km.Tensor;
        if (k === 0) theirs.apply(tf.zeros(shape));
        if (k === 0) theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
        const expected = theirs.apply(tf.tensor(x, shape)) as tf.Tensor;
        expect(got.shape).toEqual(expected.shape);
        expect(maxAbsDiff(got.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
      });
    }
    const dense = km.layers.dense({ units: 2, name: 'narrow' });
    dense.apply(km.zeros([1, 3]));
    expect(() => dense.apply(km.zeros([1, 4]))).toThrow("Layer 'narrow' (Dense) was built for input shape (None, 3), but this call gives it (None, 4).");
  });
});

describe('inputs with dimensions of unknown size: saving and loading', () => {
  /** The artifacts `model.save` writes, in memory. */
  async function savedArtifacts(model: km.LayersModel): Promise<km.io.ModelArtifacts> {
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    return saved!;
  }

  it('saves None as null, which tfjs loads and kerasm loads back, both predicting at any length', async () => {
    const x = km.input({ shape: [null, 3], name: 'steps' });
    const encoded = km.layers.gru({ units: 4, returnSequences: true }).apply(x) as km.SymbolicTensor;
    const ours = km.model({ inputs: x, outputs: km.layers.dense({ units: 2 }).apply(km.layers.globalAveragePooling1d().apply(encoded) as km.SymbolicTensor) as km.SymbolicTensor });
    const artifacts = await savedArtifacts(ours);
    expect(JSON.stringify(artifacts.modelTopology)).toContain('"batch_input_shape":[null,null,3]');
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const again = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(again.inputs[0].shape).toEqual([null, 3]);
    for (const steps of [2, 6]) {
      expectSamePredictions(ours, theirs, wave([3, steps, 3]), [3, steps, 3]);
      expectSamePredictions(again, theirs, wave([3, steps, 3]), [3, steps, 3]);
    }
  });

  it("loadLayersModel's inputShapes still fixes an unknown dimension to one size", async () => {
    const ours = km.sequential([km.layers.simpleRNN({ units: 2, inputShape: [null, 3], name: 'rnn' })]);
    const fixed = await km.loadLayersModel(km.io.fromMemory(await savedArtifacts(ours)), { inputShapes: { rnn_input: [4, 3] } });
    expect(fixed.inputs[0].shape).toEqual([4, 3]);
    expect(() => fixed.predict(km.tensor(wave([1, 5, 3]), [1, 5, 3]))).toThrow(/\[4, 3\]|\(None, 4, 3\)/);
  });
});

describe('inputs with dimensions of unknown size: errors', () => {
  it("refuses a layer whose weights would depend on an unknown dimension, naming the weight and the fix", () => {
    expect(() => km.sequential([km.layers.dense({ units: 2, inputShape: [null], name: 'head' })])).toThrow(
      /Layer 'head' \(Dense\) has weight 'head\/kernel' of shape \[240, 2\] for inputs of shape \(None, 240\), but would need 'head\/kernel' of shape \[480, 2\].*its weights depend on a dimension that the model input leaves unknown/,
    );
    const x = km.input({ shape: [null, 2] });
    expect(() => km.layers.dense({ units: 2 }).apply(km.layers.flatten().apply(x) as km.SymbolicTensor)).toThrow(/unknown \(null, Keras' None\).*Give that dimension a size/);
  });

  it("says where a layer's refusal while the model is made gets the probe size from", () => {
    expect(() => km.sequential([km.layers.reshape({ targetShape: [-1, 7], inputShape: [null, 1] })])).toThrow(
      /cannot reshape \(None, 240, 1\).*\(While the model is made, a dimension of unknown size \(None\) is traced at 240 and at twice that\.\)$/,
    );
    // A layer given only known sizes keeps its message as it was.
    expect(() => km.sequential([km.layers.reshape({ targetShape: [-1, 7], inputShape: [10, 1] })])).toThrow(/\(None, 10, 1\).*The target must hold the same number of values\.$/);
  });

  it('names the declared shape, with None, for data of another rank or size on a known dimension', () => {
    const model = km.sequential([km.layers.lstm({ units: 2, inputShape: [null, 3] })]);
    expect(() => model.predict(km.tensor(wave([2, 4, 5]), [2, 4, 5]))).toThrow(/expects samples of shape \(None, None, 3\).*\[2, 4, 5\]/);
    expect(() => model.predict(km.tensor(wave([2, 3]), [2, 3]))).toThrow(/\(None, None, 3\)/);
  });

  it('validates on tensors of another length than the training data, at their own length', async () => {
    const model = km.sequential([km.layers.simpleRNN({ units: 2, inputShape: [null, 3] })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] });
    const [valX, valY] = [km.tensor(wave([2, 7, 3]), [2, 7, 3]), km.tensor(wave([2, 2], 1), [2, 2])];
    const { history } = await model.fit(km.tensor(wave([4, 5, 3]), [4, 5, 3]), km.tensor(wave([4, 2]), [4, 2]), { epochs: 1, verbose: 0, validationData: [valX, valY] });
    const [loss, mae] = await model.evaluate(valX, valY);
    expect(Math.abs(history.val_loss[0] - loss)).toBeLessThan(1e-6);
    expect(Math.abs(history.val_mae[0] - mae)).toBeLessThan(1e-6);
  });

  it('refuses one shared layer applied to inputs of different sizes in one batch', () => {
    const a = km.input({ shape: [null, 3] });
    const b = km.input({ shape: [null, 3] });
    const shared = km.layers.lstm({ units: 2 });
    const model = km.model({ inputs: [a, b], outputs: km.layers.add().apply([shared.apply(a) as km.SymbolicTensor, shared.apply(b) as km.SymbolicTensor]) as km.SymbolicTensor });
    expect((model.predict([km.tensor(wave([2, 4, 3]), [2, 4, 3]), km.tensor(wave([2, 4, 3], 1), [2, 4, 3])]) as km.Tensor).shape).toEqual([2, 2]);
    expect(() => model.predict([km.tensor(wave([2, 4, 3]), [2, 4, 3]), km.tensor(wave([2, 6, 3]), [2, 6, 3])])).toThrow(/applied more than once.*different sizes on unknown dimensions.*Give each call its own LSTM layer/);
  });
});
