import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

type Entry = { class_name: string; config: Record<string, unknown> };
type Topology = { config: { layers: Entry[] } };

const random = new Random(67);
const uniform = (shape: number[]) => km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)), shape);

/** Saves `model` in the LayersModel format, reloads it in kerasm, and checks its configs and predictions on `x` come back the same; returns what was saved. */
async function expectRoundTrip(model: km.LayersModel, x: km.Tensor): Promise<km.io.ModelArtifacts> {
  const expected = model.predict(x).dataSync();
  const artifacts = await kerasmArtifacts(model);
  const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
  expect(reloaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
  expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(expected));
  return artifacts;
}

// tfjs-layers 4.22 has no ConvLSTM3D: a model holding one saves with Keras 3's class name, config keys
// and weight names, and loads back in kerasm.
describe('ConvLSTM3D in the LayersModel format', () => {
  it("saves Keras 3's config (3-D sizes, data_format, recurrent_activation) and kernels [kD, kH, kW, channels, 4·filters], and loads back", async () => {
    km.utils.setRandomSeed(41);
    const model = km.sequential([
      km.layers.convLstm3d({
        filters: 3, kernelSize: [1, 2, 3], padding: 'same', returnSequences: true, unitForgetBias: false, name: 'scans',
        kernelRegularizer: km.regularizers.l2({ l2: 0.01 }), recurrentConstraint: km.constraints.maxNorm({ maxValue: 2 }), biasInitializer: 'glorotUniform', inputShape: [3, 2, 4, 5, 2],
      }),
      km.layers.convLstm3d({ filters: 2, kernelSize: 2, strides: [1, 2, 2], goBackwards: true, useBias: false, recurrentActivation: 'hardSigmoid', name: 'scans_2' }),
      km.layers.flatten(),
      km.layers.dense({ units: 2 }),
    ]);
    const artifacts = await expectRoundTrip(model, uniform([2, 3, 2, 4, 5, 2]));
    const [first, second] = (artifacts.modelTopology as Topology).config.layers;
    expect(first.class_name).toBe('ConvLSTM3D');
    expect(first.config).toMatchObject({
      name: 'scans', filters: 3, kernel_size: [1, 2, 3], strides: [1, 1, 1], dilation_rate: [1, 1, 1], padding: 'same', data_format: 'channels_last', activation: 'tanh',
      recurrent_activation: 'sigmoid', unit_forget_bias: false, return_sequences: true, go_backwards: false, kernel_regularizer: { class_name: 'L1L2' },
      recurrent_constraint: { class_name: 'MaxNorm' }, recurrent_initializer: { class_name: 'Orthogonal' },
    });
    expect(second.config).toMatchObject({ kernel_size: [2, 2, 2], strides: [1, 2, 2], use_bias: false, go_backwards: true, recurrent_activation: 'hard_sigmoid' });
    expect(artifacts.weightSpecs!.slice(0, 5).map((w) => [w.name, w.shape])).toEqual([
      ['scans/kernel', [1, 2, 3, 2, 12]], ['scans/recurrent_kernel', [1, 2, 3, 3, 12]], ['scans/bias', [12]], ['scans_2/kernel', [2, 2, 2, 3, 8]], ['scans_2/recurrent_kernel', [2, 2, 2, 2, 8]],
    ]);
  });

  it('loads the config Keras 3 writes (snake_case keys, Keras 3 envelope) into the same layer', () => {
    const layer = km.layers.layerFromConfig('ConvLSTM3D', {
      name: 'conv_lstm3d', trainable: true, filters: 2, kernel_size: [3, 3, 3], strides: [1, 1, 1], padding: 'valid', data_format: 'channels_first', dilation_rate: [1, 1, 1],
      activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, unit_forget_bias: true, return_sequences: true, return_state: false, go_backwards: false, stateful: false,
    }) as km.layers.ConvLSTM3D;
    expect(layer).toBeInstanceOf(km.layers.ConvLSTM3D);
    expect([layer.kernelSize, layer.dataFormat, layer.returnSequences, layer.filters]).toEqual([[3, 3, 3], 'channelsFirst', true, 2]);
    expect(layer.apply(km.input({ shape: [4, 1, 5, 5, 5] })).shape).toEqual([4, 2, 3, 3, 3]);
  });

  it('channelsFirst, dilated and stateful: the reloaded model keeps its batch size and carries its states the same way', async () => {
    km.utils.setRandomSeed(42);
    const model = km.sequential([
      km.layers.convLstm3d({ filters: 2, kernelSize: 2, dilationRate: [1, 2, 1], padding: 'same', dataFormat: 'channelsFirst', stateful: true, batchInputShape: [2, 2, 2, 2, 4, 3], name: 'scans' }),
    ]);
    const artifacts = await kerasmArtifacts(model);
    expect((artifacts.modelTopology as Topology).config.layers.find((l) => l.config.name === 'scans')!.config).toMatchObject({
      data_format: 'channels_first', dilation_rate: [1, 2, 1], stateful: true, batch_input_shape: [2, 2, 2, 2, 4, 3],
    });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const outputs: number[][] = [];
    for (let chunk = 0; chunk < 2; chunk++) {
      const x = uniform([2, 2, 2, 2, 4, 3]);
      const expected = Array.from(model.predict(x, { batchSize: 2 }).dataSync());
      expect(Array.from(reloaded.predict(x, { batchSize: 2 }).dataSync())).toEqual(expected);
      outputs.push(expected);
    }
    expect(outputs[1]).not.toEqual(outputs[0]);
  });

  it('Bidirectional(ConvLSTM3D) with returnState, in a functional model', async () => {
    km.utils.setRandomSeed(43);
    const input = km.input({ shape: [3, 2, 3, 3, 1], name: 'scans' });
    const [output, forwardH] = km.layers.bidirectional({ layer: km.layers.convLstm3d({ filters: 2, kernelSize: 2, padding: 'same', returnState: true }), name: 'bi' }).apply(input) as unknown as km.SymbolicTensor[];
    expect(output.shape).toEqual([2, 3, 3, 4]);
    const head = km.layers.dense({ units: 1, name: 'head' }).apply(km.layers.flatten({ name: 'flat' }).apply(output));
    const model = km.model({ inputs: input, outputs: [head, forwardH] });
    const x = uniform([2, 3, 2, 3, 3, 1]);
    const expected = (model.predict(x) as km.Tensor[]).map((t) => Array.from(t.dataSync()));
    const artifacts = await kerasmArtifacts(model);
    const bi = (artifacts.modelTopology as Topology).config.layers.find((l) => l.config.name === 'bi')!;
    expect((bi.config.layer as Entry).class_name).toBe('ConvLSTM3D');
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect((reloaded.predict(x) as km.Tensor[]).map((t) => Array.from(t.dataSync()))).toEqual(expected);
  });
});
