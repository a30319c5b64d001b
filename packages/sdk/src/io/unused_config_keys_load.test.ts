import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, tfjsArtifacts } from './testing/round_trip.js';
import { KERAS3_LAYERS, keras3Sequential } from '../testing/keras3_layer_configs.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';

// Loading warns once of the layer config keys kerasm has no use for, rather than dropping them silently.

let warnings: string[];
const warn = console.warn;
beforeAll(async () => {
  await tf.setBackend('cpu');
  registerTfjsChainedOpsForOrthogonal();
  await km.ready();
});
beforeEach(() => {
  warnings = [];
  console.warn = (message: string) => void warnings.push(message);
});
afterEach(() => {
  console.warn = warn;
});

type Entry = { class_name: string; config: Record<string, unknown> };
const layersOf = (artifacts: km.io.ModelArtifacts) => (artifacts.modelTopology as { config: { layers: Entry[] } }).config.layers;

describe('loading a model.json with a layer config key kerasm has no use for', () => {
  it('warns once, naming the file, the layer, the key and the key probably meant, and loads the layer without it', async () => {
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [2], name: 'hidden' }), km.layers.dense({ units: 1, name: 'out' })]);
    const artifacts = await kerasmArtifacts(model);
    const [hidden, out] = layersOf(artifacts);
    hidden.config.use_bais = false;
    out.config.kernel_initialiser = 'zeros';
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBe(
      "kerasm: the model holds layer config keys that kerasm has no use for, and loaded without them: layer 'hidden' (Dense): 'use_bais' (did you mean 'use_bias'?); " +
        "layer 'out' (Dense): 'kernel_initialiser' (did you mean 'kernel_initializer'?). Fix or remove these keys in the file.",
    );
    // Loaded as if the keys were absent: the bias is still there.
    expect((loaded.getLayer('hidden') as km.layers.Dense).useBias).toBe(true);
  });

  it("names a nested layer's key by its path, and a Keras-written key whose value asks for what kerasm lacks", async () => {
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 'seq',
        layers: [
          { class_name: 'Bidirectional', config: { name: 'bi', batch_input_shape: [null, 4, 3], layer: { class_name: 'LSTM', config: { name: 'lstm', units: 2, return_sequence: true } } } },
          { class_name: 'BatchNormalization', config: { name: 'bn', renorm: true } },
        ],
      },
    };
    km.models.modelFromJSON(topology);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("layer 'bi' (Bidirectional): 'layer.config.return_sequence' (did you mean 'return_sequences'?)");
    expect(warnings[0]).toContain("layer 'bn' (BatchNormalization): renorm=true asks for batch renormalization (Keras 2's renorm), which kerasm does not implement.");
  });

  it('stays silent for a file kerasm wrote, and for its clone', async () => {
    const model = km.sequential([km.layers.lstm({ units: 3, inputShape: [4, 2], returnSequences: true, seed: 2 }), km.layers.batchNormalization(), km.layers.dense({ units: 1 })]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(model)));
    km.models.cloneModel(loaded);
    expect(warnings).toEqual([]);
  });
});

describe("the layer configs Keras 3 writes load without a warning", () => {
  it('a Sequential model of Keras 3 entries (module, registered_name, build_config, DTypePolicy dtypes, Keras-only keys)', () => {
    const model = km.models.modelFromJSON(keras3Sequential());
    expect(warnings).toEqual([]);
    expect(model.layers.map((layer) => layer.className)).toEqual(KERAS3_LAYERS.map((layer) => layer.entry.class_name));
  });
});

describe('the files tfjs-layers 4.22 writes load without a warning', () => {
  const cases: Record<string, () => tfl.LayersModel> = {
    images: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [8, 8, 2], filters: 3, kernelSize: 3, padding: 'same', kernelRegularizer: tfl.regularizers.l1l2({ l1: 0.01 }), biasConstraint: tfl.constraints.nonNeg() }),
          tfl.layers.batchNormalization(),
          tfl.layers.reLU({ maxValue: 6 }),
          tfl.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }),
          tfl.layers.separableConv2d({ filters: 2, kernelSize: 3, padding: 'same' }),
          tfl.layers.zeroPadding2d({ padding: 1 }),
          tfl.layers.cropping2D({ cropping: [[1, 1], [1, 1]] }),
          tfl.layers.upSampling2d({ size: [2, 2] }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.averagePooling2d({ poolSize: 2 }),
          tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2 }),
          tfl.layers.globalAveragePooling2d({}),
          tfl.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      }),
    vectors: () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [6], units: 6, biasRegularizer: tfl.regularizers.l2({ l2: 0.01 }), kernelConstraint: tfl.constraints.maxNorm({ maxValue: 2 }) }),
          tfl.layers.leakyReLU({ alpha: 0.2 }),
          tfl.layers.elu(),
          tfl.layers.prelu(),
          tfl.layers.thresholdedReLU({ theta: 0.1 }),
          tfl.layers.dropout({ rate: 0.1 }),
          tfl.layers.gaussianNoise({ stddev: 0.1 }),
          tfl.layers.gaussianDropout({ rate: 0.1 }),
          tfl.layers.alphaDropout({ rate: 0.1 }),
          tfl.layers.activation({ activation: 'tanh' }),
          tfl.layers.layerNormalization(),
          tfl.layers.reshape({ targetShape: [2, 3] }),
          tfl.layers.permute({ dims: [2, 1] }),
          tfl.layers.conv1d({ filters: 2, kernelSize: 1 }),
          tfl.layers.maxPooling1d({ poolSize: 1 }),
          tfl.layers.spatialDropout1d({ rate: 0.1 }),
          tfl.layers.globalMaxPooling1d(),
          tfl.layers.repeatVector({ n: 2 }),
          tfl.layers.flatten(),
          tfl.layers.softmax(),
        ],
      }),
    sequences: () =>
      tfl.sequential({
        layers: [
          tfl.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 5, maskZero: true }),
          tfl.layers.lstm({ units: 3, returnSequences: true, recurrentDropout: 0.1 }),
          tfl.layers.bidirectional({ layer: tfl.layers.gru({ units: 2, returnSequences: true }) as tfl.RNN, mergeMode: 'sum' }),
          tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 2 }) }),
          tfl.layers.rnn({ cell: [tfl.layers.lstmCell({ units: 2 }), tfl.layers.gruCell({ units: 2 })], returnSequences: true }),
          tfl.layers.masking({ maskValue: 0 }),
          tfl.layers.simpleRNN({ units: 3 }),
          tfl.layers.dense({ units: 1 }),
        ],
      }),
    volumes: () =>
      tfl.sequential({
        layers: [
          tfl.layers.convLstm2d({ inputShape: [2, 4, 4, 1], filters: 2, kernelSize: 3, padding: 'same', returnSequences: true }),
          tfl.layers.conv3d({ filters: 2, kernelSize: 2 }),
          tfl.layers.maxPooling3d({ poolSize: 1 }),
          tfl.layers.averagePooling3d({ poolSize: 1 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 2 }),
        ],
      }),
    merged: () => {
      const [a, b] = [tfl.input({ shape: [4] }), tfl.input({ shape: [4] })];
      const merged = [tfl.layers.add(), tfl.layers.multiply(), tfl.layers.average(), tfl.layers.maximum(), tfl.layers.minimum()].map((layer) => layer.apply([a, b]) as tfl.SymbolicTensor);
      const dot = tfl.layers.dot({ axes: 1, normalize: true }).apply([a, b]) as tfl.SymbolicTensor;
      return tfl.model({ inputs: [a, b], outputs: tfl.layers.concatenate({ axis: -1 }).apply([...merged, dot]) as tfl.SymbolicTensor });
    },
  };
  const kerasmWarnings = () => warnings.filter((message) => message.startsWith('kerasm:')); // tfjs' own notice (no Node backend) may come too
  for (const [name, make] of Object.entries(cases)) {
    it(name, async () => {
      const theirs = make();
      const artifacts = await tfjsArtifacts(theirs);
      const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
      expect(kerasmWarnings()).toEqual([]);
      expect(loaded.layers.length).toBe(theirs.layers.length);
      // The same file with one key misspelt is checked, and warned of.
      const last = layersOf(artifacts).at(-1)!;
      last.config.nmae = last.config.name;
      await km.loadLayersModel(km.io.fromMemory(artifacts));
      expect(kerasmWarnings()).toHaveLength(1);
      expect(kerasmWarnings()[0]).toContain(`(${last.class_name}): 'nmae' (did you mean 'name'?)`);
    });
  }
});
