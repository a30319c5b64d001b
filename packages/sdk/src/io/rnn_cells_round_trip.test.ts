import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip, kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';

beforeAll(() => registerTfjsChainedOpsForOrthogonal());

describe('RNN over cells: LayersModel round trip with tfjs 4.22, both directions (nested cell configs, rnn/RNNCell_k/ weight names)', () => {
  it('RNN(LSTMCell) → Dense', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [6, 3],
      kerasm: () => [km.layers.rnn({ cell: km.layers.lstmCell({ units: 5, unitForgetBias: true }), inputShape: [6, 3] }), km.layers.dense({ units: 2 })],
      tfjs: () => [tfl.layers.rnn({ cell: tfl.layers.lstmCell({ units: 5, unitForgetBias: true }), inputShape: [6, 3] }), tfl.layers.dense({ units: 2 })],
    });
  });

  it('RNN([LSTMCell, GRUCell], returnSequences) → RNN(stackedRNNCells [SimpleRNNCell], goBackwards) → Dense', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [5, 2],
      kerasm: () => [
        km.layers.rnn({ cell: [km.layers.lstmCell({ units: 4, unitForgetBias: false }), km.layers.gruCell({ units: 3, recurrentActivation: 'sigmoid' })], returnSequences: true, inputShape: [5, 2] }),
        km.layers.rnn({ cell: km.layers.stackedRNNCells({ cells: [km.layers.simpleRNNCell({ units: 2, useBias: false })] }), goBackwards: true }),
        km.layers.dense({ units: 1 }),
      ],
      tfjs: () => [
        tfl.layers.rnn({ cell: [tfl.layers.lstmCell({ units: 4 }), tfl.layers.gruCell({ units: 3, recurrentActivation: 'sigmoid' })], returnSequences: true, inputShape: [5, 2] }),
        tfl.layers.rnn({ cell: tfl.layers.stackedRNNCells({ cells: [tfl.layers.simpleRNNCell({ units: 2, useBias: false })] }), goBackwards: true }),
        tfl.layers.dense({ units: 1 }),
      ],
    });
  });

  it('a stateful LSTM saves its fixed batch size and stateful: true, but not its states (as Keras); both libraries load the other\'s', async () => {
    await tf.setBackend('cpu');
    await km.ready();
    const [batch, shape] = [2, [3, 2]];
    const x = Float32Array.from({ length: batch * 6 }, (_, i) => Math.sin(i));
    km.utils.setRandomSeed(5);
    const ours = km.sequential([km.layers.lstm({ units: 3, stateful: true, batchInputShape: [batch, ...shape] }), km.layers.dense({ units: 1 })]);
    const first = ours.predict(km.tensor(x, [batch, ...shape]), { batchSize: batch }).dataSync();
    ours.predict(km.tensor(x, [batch, ...shape]), { batchSize: batch }); // moves the states on: they must not be saved
    const artifacts = await kerasmArtifacts(ours);
    const config = (artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
    expect(config.stateful).toBe(true);
    expect(config.batch_input_shape).toEqual([batch, ...shape]);
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(maxAbsDiff((inTfjs.predict(tf.tensor(x, [batch, ...shape]), { batchSize: batch }) as tf.Tensor).dataSync(), first)).toBeLessThan(1e-5);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(maxAbsDiff(reloaded.predict(km.tensor(x, [batch, ...shape]), { batchSize: batch }).dataSync(), first)).toBeLessThan(1e-5);
    const theirs = tfl.sequential({ layers: [tfl.layers.lstm({ units: 3, stateful: true, batchInputShape: [batch, ...shape] }), tfl.layers.dense({ units: 1 })] });
    const fromTfjs = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
    expect((fromTfjs.layers[0] as km.layers.LSTM).stateful).toBe(true);
    for (let k = 0; k < 2; k++) {
      const expected = (theirs.predict(tf.tensor(x, [batch, ...shape]), { batchSize: batch }) as tf.Tensor).dataSync();
      expect(maxAbsDiff(fromTfjs.predict(km.tensor(x, [batch, ...shape]), { batchSize: batch }).dataSync(), expected)).toBeLessThan(1e-5);
    }
  });
});
