import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { convLstm2dReference } from '../testing/conv_lstm_reference.js';
import { checkRecurrentGradients as checkGradients } from '../testing/recurrent_gradient_check.js';

beforeAll(() => km.ready());

const cases = [
  { returnSequences: true, goBackwards: false, padding: 'same' as const, strides: [1, 1] as [number, number], dilationRate: [1, 1] as [number, number], recurrentActivation: 'sigmoid', useBias: true },
  { returnSequences: false, goBackwards: true, padding: 'valid' as const, strides: [1, 1] as [number, number], dilationRate: [1, 1] as [number, number], recurrentActivation: 'hardSigmoid', useBias: true },
  { returnSequences: true, goBackwards: true, padding: 'same' as const, strides: [2, 1] as [number, number], dilationRate: [1, 1] as [number, number], recurrentActivation: 'sigmoid', useBias: false },
  { returnSequences: false, goBackwards: false, padding: 'same' as const, strides: [1, 1] as [number, number], dilationRate: [2, 1] as [number, number], recurrentActivation: 'sigmoid', useBias: true },
];

describe('ConvLSTM2D gradients against float64 finite differences of naive convolution loops (input through a Dense before it, every weight)', () => {
  it.each(cases)('returnSequences $returnSequences, goBackwards $goBackwards, padding $padding, strides $strides, dilationRate $dilationRate, recurrentActivation $recurrentActivation, useBias $useBias', async (c) => {
    const [steps, height, width, filters] = [3, 4, 3, 2];
    const kernelSize: [number, number] = [2, 3];
    const options = { filters, kernelSize, strides: c.strides, dilationRate: c.dilationRate, padding: c.padding, returnSequences: c.returnSequences, goBackwards: c.goBackwards };
    const layer = km.layers.convLstm2d({ ...options, recurrentActivation: c.recurrentActivation as 'sigmoid', useBias: c.useBias, biasInitializer: 'glorotUniform' });
    const cell = (x: number[][], [kernel, recurrent, bias]: number[][]) =>
      convLstm2dReference(x, kernel, recurrent, c.useBias ? bias : null, { ...options, frame: [height, width, 3], activation: 'tanh', recurrentActivation: c.recurrentActivation });
    await checkGradients({ data: 41, weights: 9 }, steps, layer, cell, ['kernel', 'recurrent_kernel', ...(c.useBias ? ['bias'] : [])], [height, width]);
  });
});
