import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

type Entry = { class_name: string; config: Record<string, unknown> };
type Topology = { config: { layers: Entry[] } };

const random = new Random(61);
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

// tfjs-layers 4.22 has no ConvLSTM1D: a model holding one saves with Keras 3's class name, config keys
// and weights, and loads back in kerasm.
describe('ConvLSTM1D in the LayersModel format', () => {
  it("saves Keras 3's config (1-D sizes as lists of one, data_format, recurrent_activation) and kernels [k, channels, 4·filters], and loads back", async () => {
    km.utils.setRandomSeed(31);
    const model = km.sequential([
      km.layers.convLstm1d({
        filters: 3, kernelSize: 3, padding: 'same', returnSequences: true, unitForgetBias: false, name: 'rows',
        kernelRegularizer: km.regularizers.l2({ l2: 0.01 }), recurrentConstraint: km.constraints.maxNorm({ maxValue: 2 }), biasInitializer: 'glorotUniform', inputShape: [4, 6, 2],
      }),
      km.layers.convLstm1d({ filters: 2, kernelSize: 2, strides: 2, goBackwards: true, useBias: false, recurrentActivation: 'hardSigmoid', name: 'rows_2' }),
      km.layers.flatten(),
      km.layers.dense({ units: 2 }),
    ]);
    const artifacts = await expectRoundTrip(model, uniform([3, 4, 6, 2]));
    const [first, second] = (artifacts.modelTopology as Topology).config.layers;
    expect(first.class_name).toBe('ConvLSTM1D');
    expect(first.config).toMatchObject({
      name: 'rows', filters: 3, kernel_size: [3], strides: [1], dilation_rate: [1], padding: 'same', data_format: 'channels_last', activation: 'tanh', recurrent_activation: 'sigmoid',
      unit_forget_bias: false, return_sequences: true, go_backwards: false, kernel_regularizer: { class_name: 'L1L2' }, recurrent_constraint: { class_name: 'MaxNorm' },
    });
    expect(second.config).toMatchObject({ kernel_size: [2], strides: [2], use_bias: false, go_backwards: true, recurrent_activation: 'hard_sigmoid' });
    expect(artifacts.weightSpecs!.slice(0, 5).map((w) => [w.name, w.shape])).toEqual([
      ['rows/kernel', [3, 2, 12]], ['rows/recurrent_kernel', [3, 3, 12]], ['rows/bias', [12]], ['rows_2/kernel', [2, 3, 8]], ['rows_2/recurrent_kernel', [2, 2, 8]],
    ]);
  });

  it('channelsFirst, dilated and stateful: the reloaded model keeps its batch size and carries its states the same way', async () => {
    km.utils.setRandomSeed(32);
    const model = km.sequential([
      km.layers.convLstm1d({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', dataFormat: 'channelsFirst', stateful: true, batchInputShape: [2, 3, 2, 5], name: 'rows' }),
    ]);
    const artifacts = await kerasmArtifacts(model);
    expect((artifacts.modelTopology as Topology).config.layers.find((l) => l.config.name === 'rows')!.config).toMatchObject({
      data_format: 'channels_first', dilation_rate: [2], stateful: true, batch_input_shape: [2, 3, 2, 5],
    });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    for (let chunk = 0; chunk < 2; chunk++) {
      const x = uniform([2, 3, 2, 5]);
      const expected = model.predict(x, { batchSize: 2 }).dataSync();
      expect(Array.from(reloaded.predict(x, { batchSize: 2 }).dataSync())).toEqual(Array.from(expected));
    }
  });

  it('Bidirectional(ConvLSTM1D) behind Masking, with returnState, in a functional model', async () => {
    km.utils.setRandomSeed(33);
    const input = km.input({ shape: [4, 5, 1], name: 'rows' });
    const masked = km.layers.masking({ name: 'pad' }).apply(input);
    const [output, forwardH] = km.layers.bidirectional({ layer: km.layers.convLstm1d({ filters: 2, kernelSize: 3, returnState: true }), name: 'bi' }).apply(masked) as unknown as km.SymbolicTensor[];
    const head = km.layers.dense({ units: 1, name: 'head' }).apply(km.layers.flatten({ name: 'flat' }).apply(output));
    const model = km.model({ inputs: input, outputs: [head, forwardH] });
    const values = Float32Array.from({ length: 3 * 4 * 5 }, () => random.uniform(-1, 1));
    values.fill(0, 3 * 5 * 1, 4 * 5 * 1); // sample 0's last step is padding
    const x = km.tensor(values, [3, 4, 5, 1]);
    const expected = (model.predict(x) as km.Tensor[]).map((t) => Array.from(t.dataSync()));
    const artifacts = await kerasmArtifacts(model);
    const bi = (artifacts.modelTopology as Topology).config.layers.find((l) => l.config.name === 'bi')!;
    expect((bi.config.layer as Entry).class_name).toBe('ConvLSTM1D');
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect((reloaded.predict(x) as km.Tensor[]).map((t) => Array.from(t.dataSync()))).toEqual(expected);
  });
});
