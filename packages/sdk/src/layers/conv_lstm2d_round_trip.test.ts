import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';

beforeAll(() => registerTfjsChainedOpsForOrthogonal());

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
