import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip, kerasmArtifacts, maxAbsDiff } from '../io/testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

describe('ConvLSTM2D: LayersModel round trip with tfjs 4.22, both directions', () => {
  it("ConvLSTM2D(returnSequences, 'same', sigmoid gates, regularized) → ConvLSTM2D(goBackwards, strides 2, no bias) → Flatten → Dense", async () => {
    await checkLayersModelRoundTrip({
      inputShape: [3, 6, 5, 2],
      kerasm: () => [
        km.layers.convLstm2d({
          filters: 3, kernelSize: [3, 2], padding: 'same', returnSequences: true, recurrentActivation: 'sigmoid', unitForgetBias: false,
          kernelRegularizer: km.regularizers.l2({ l2: 0.01 }), biasInitializer: 'glorotUniform', inputShape: [3, 6, 5, 2],
        }),
        km.layers.convLstm2d({ filters: 2, kernelSize: 2, strides: 2, goBackwards: true, useBias: false }),
        km.layers.flatten(),
        km.layers.dense({ units: 2 }),
      ],
      tfjs: () => [
        tfl.layers.convLstm2d({
          filters: 3, kernelSize: [3, 2], padding: 'same', returnSequences: true, recurrentActivation: 'sigmoid', unitForgetBias: false,
          kernelRegularizer: tfl.regularizers.l2({ l2: 0.01 }), biasInitializer: 'randomNormal', inputShape: [3, 6, 5, 2],
        }),
        tfl.layers.convLstm2d({ filters: 2, kernelSize: 2, strides: 2, goBackwards: true, useBias: false }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 2 }),
      ],
    });
  });

  it('ConvLSTM2D with the defaults (glorotNormal, orthogonal, tanh, hardSigmoid, unit forget bias) and dilationRate 2', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [2, 7, 7, 1],
      kerasm: () => [km.layers.convLstm2d({ filters: 2, kernelSize: 3, dilationRate: 2, inputShape: [2, 7, 7, 1] })],
      tfjs: () => [tfl.layers.convLstm2d({ filters: 2, kernelSize: 3, dilationRate: 2, unitForgetBias: true, inputShape: [2, 7, 7, 1] })],
    });
  });
});

describe('ConvLSTM2D states in the LayersModel format', () => {
  const random = new Random(71);
  const video = (batch: number, steps: number) => Float32Array.from({ length: batch * steps * 16 }, () => random.uniform(-1, 1));
  type Topology = { config: { layers: { name: string; config: Record<string, unknown>; inbound_nodes: unknown[] }[]; output_layers: unknown[] } };

  it('an encoder with returnState whose h is a model output: saved by kerasm, loads in tfjs-layers 4.22 and in kerasm with the same predictions', async () => {
    km.utils.setRandomSeed(14);
    const input = km.input({ shape: [3, 4, 4, 1], name: 'frames' });
    const [sequence, h] = km.layers.convLstm2d({ filters: 2, kernelSize: 3, returnState: true, returnSequences: true, name: 'encoder' }).apply(input) as unknown as km.SymbolicTensor[];
    const ours = km.model({ inputs: input, outputs: [km.layers.dense({ units: 1, name: 'head' }).apply(km.layers.flatten({ name: 'flat' }).apply(sequence)), h] });
    const x = video(2, 3);
    const expected = (ours.predict(km.tensor(x, [2, 3, 4, 4, 1])) as km.Tensor[]).map((t) => t.dataSync());
    const artifacts = await kerasmArtifacts(ours);
    const topology = artifacts.modelTopology as Topology;
    expect(topology.config.layers.find((l) => l.name === 'encoder')!.config).toMatchObject({ return_state: true, return_sequences: true, stateful: false });
    expect(topology.config.output_layers).toEqual([['head', 0, 0], ['encoder', 0, 1]]);
    const theirs = (await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).predict(tf.tensor(x, [2, 3, 4, 4, 1])) as tf.Tensor[];
    expect(theirs[1].shape).toEqual([2, 2, 2, 2]);
    theirs.forEach((t, k) => expect(maxAbsDiff(t.dataSync(), expected[k])).toBeLessThanOrEqual(1e-5));
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    (reloaded.predict(km.tensor(x, [2, 3, 4, 4, 1])) as km.Tensor[]).forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(Array.from(expected[k])));
  });

  it('a video encoder → decoder (initialState [h, c]) reloads in kerasm with the same predictions (tfjs 4.22 cannot build a ConvLSTM2D with symbolic initial states)', async () => {
    km.utils.setRandomSeed(15);
    const encIn = km.input({ shape: [3, 4, 4, 1], name: 'past' });
    const decIn = km.input({ shape: [2, 4, 4, 1], name: 'future' });
    const [, h, c] = km.layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', returnState: true, name: 'encoder' }).apply(encIn) as unknown as km.SymbolicTensor[];
    const decoded = km.layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true, name: 'decoder' }).apply(decIn, { initialState: [h, c] });
    const ours = km.model({ inputs: [encIn, decIn], outputs: decoded });
    const x = () => [km.tensor(video(2, 3), [2, 3, 4, 4, 1]), km.tensor(video(2, 2), [2, 2, 4, 4, 1])];
    const inputs = x();
    const expected = (ours.predict(inputs) as km.Tensor).dataSync();
    const artifacts = await kerasmArtifacts(ours);
    const decoder = (artifacts.modelTopology as Topology).config.layers.find((l) => l.name === 'decoder')!;
    expect(decoder.inbound_nodes).toEqual([[['future', 0, 0, {}], ['encoder', 0, 1, {}], ['encoder', 0, 2, {}]]]);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(Array.from((reloaded.predict(inputs) as km.Tensor).dataSync())).toEqual(Array.from(expected));
  });

  it('a stateful ConvLSTM2D: saved by kerasm with stateful and its batch size, tfjs-layers 4.22 loads it and carries its states the same way', async () => {
    km.utils.setRandomSeed(16);
    const ours = km.sequential([km.layers.convLstm2d({ filters: 2, kernelSize: 3, padding: 'same', stateful: true, batchInputShape: [2, 2, 4, 4, 1], name: 'clstm' })]);
    const artifacts = await kerasmArtifacts(ours);
    const config = (artifacts.modelTopology as Topology).config.layers.find((l) => l.config.name === 'clstm')!.config;
    expect(config).toMatchObject({ stateful: true, batch_input_shape: [2, 2, 4, 4, 1] });
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    for (let chunk = 0; chunk < 2; chunk++) {
      const x = video(2, 2);
      const expected = ours.predict(km.tensor(x, [2, 2, 4, 4, 1]), { batchSize: 2 }).dataSync();
      expect(maxAbsDiff((theirs.predict(tf.tensor(x, [2, 2, 4, 4, 1]), { batchSize: 2 }) as tf.Tensor).dataSync(), expected)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(reloaded.predict(km.tensor(x, [2, 2, 4, 4, 1]), { batchSize: 2 }).dataSync(), expected)).toBeLessThanOrEqual(1e-6);
    }
  });
});
