import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { checkFunctionalRoundTrip, checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import type { Random } from '../utils/random.js';

beforeAll(() => registerTfjsChainedOpsForOrthogonal());

const token = (vocabulary: number) => (random: Random) => Math.floor(random.uniform(0, vocabulary));

describe('Bidirectional and TimeDistributed: LayersModel round trip with tfjs 4.22, both directions', () => {
  it('Embedding → Bidirectional(LSTM) → Dense: forward_/backward_ weight names, nested layer config, merge_mode', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [7],
      inputValue: token(9),
      kerasm: () => [km.layers.embedding({ inputDim: 9, outputDim: 4, inputShape: [7] }), km.layers.bidirectional({ layer: km.layers.lstm({ units: 3, unitForgetBias: true }) }), km.layers.dense({ units: 2 })],
      tfjs: () => [tfl.layers.embedding({ inputDim: 9, outputDim: 4, inputShape: [7] }), tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 3, unitForgetBias: true }) }), tfl.layers.dense({ units: 2 })],
    });
  });

  it('Bidirectional(GRU, returnSequences, sigmoid gates, mergeMode ave) → Bidirectional(SimpleRNN, goBackwards, mergeMode mul)', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [5, 3],
      kerasm: () => [
        km.layers.bidirectional({ layer: km.layers.gru({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }), mergeMode: 'ave', inputShape: [5, 3] }),
        km.layers.bidirectional({ layer: km.layers.simpleRNN({ units: 2, goBackwards: true }), mergeMode: 'mul' }),
      ],
      tfjs: () => [
        tfl.layers.bidirectional({ layer: tfl.layers.gru({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }), mergeMode: 'ave', inputShape: [5, 3] }),
        tfl.layers.bidirectional({ layer: tfl.layers.simpleRNN({ units: 2, goBackwards: true }), mergeMode: 'mul' }),
      ],
    });
  });

  it('a functional model: Bidirectional(LSTM, returnSequences, mergeMode sum) → TimeDistributed(Dense(tanh))', async () => {
    await checkFunctionalRoundTrip({
      inputShape: [5, 3],
      kerasm: () => {
        const input = km.input({ shape: [5, 3] });
        const both = km.layers.bidirectional({ layer: km.layers.lstm({ units: 4, returnSequences: true, unitForgetBias: true }), mergeMode: 'sum' }).apply(input) as km.SymbolicTensor;
        return km.model({ inputs: input, outputs: km.layers.timeDistributed({ layer: km.layers.dense({ units: 2, activation: 'tanh' }) }).apply(both) as km.SymbolicTensor });
      },
      tfjs: () => {
        const input = tfl.input({ shape: [5, 3] });
        const both = tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 4, returnSequences: true, unitForgetBias: true }), mergeMode: 'sum' }).apply(input) as tfl.SymbolicTensor;
        return tfl.model({ inputs: input, outputs: tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 2, activation: 'tanh' }) }).apply(both) as tfl.SymbolicTensor });
      },
    });
  });

  it('TimeDistributed(Conv2D) → TimeDistributed(MaxPooling2D) → TimeDistributed(Flatten) → TimeDistributed(Dense(relu)) → LSTM', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [3, 6, 6, 2],
      kerasm: () => [
        km.layers.timeDistributed({ layer: km.layers.conv2d({ filters: 3, kernelSize: 3 }), inputShape: [3, 6, 6, 2] }),
        km.layers.timeDistributed({ layer: km.layers.maxPooling2d({ poolSize: 2 }) }),
        km.layers.timeDistributed({ layer: km.layers.flatten() }),
        km.layers.timeDistributed({ layer: km.layers.dense({ units: 4, activation: 'relu' }) }),
        km.layers.lstm({ units: 2, unitForgetBias: true }),
      ],
      tfjs: () => [
        tfl.layers.timeDistributed({ layer: tfl.layers.conv2d({ filters: 3, kernelSize: 3 }), inputShape: [3, 6, 6, 2] }),
        tfl.layers.timeDistributed({ layer: tfl.layers.maxPooling2d({ poolSize: 2 }) }),
        tfl.layers.timeDistributed({ layer: tfl.layers.flatten() }),
        tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 4, activation: 'relu' }) }),
        tfl.layers.lstm({ units: 2, unitForgetBias: true }),
      ],
    });
  });
});
