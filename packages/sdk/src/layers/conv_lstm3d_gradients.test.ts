import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { convLstm3dReference } from '../testing/conv_lstm3d_reference.js';
import { checkRecurrentGradients as checkGradients } from '../testing/recurrent_gradient_check.js';

beforeAll(() => km.ready());

type Triple = [number, number, number];
const cases = [
  { returnSequences: true, goBackwards: false, padding: 'same' as const, strides: [1, 1, 1] as Triple, dilationRate: [1, 1, 1] as Triple, useBias: true },
  { returnSequences: false, goBackwards: true, padding: 'valid' as const, strides: [1, 2, 1] as Triple, dilationRate: [1, 1, 1] as Triple, useBias: false },
  { returnSequences: false, goBackwards: false, padding: 'same' as const, strides: [1, 1, 1] as Triple, dilationRate: [2, 1, 1] as Triple, useBias: true },
];

describe('ConvLSTM3D gradients against float64 finite differences of naive 3-D convolution loops (input through a Dense before it, every weight)', () => {
  it.each(cases)('returnSequences $returnSequences, goBackwards $goBackwards, padding $padding, strides $strides, dilationRate $dilationRate, useBias $useBias', async (c) => {
    const [steps, depth, height, width, filters] = [2, 3, 3, 2, 2];
    const kernelSize: Triple = [2, 2, 2];
    const options = { filters, kernelSize, strides: c.strides, dilationRate: c.dilationRate, padding: c.padding, returnSequences: c.returnSequences, goBackwards: c.goBackwards };
    const layer = km.layers.convLstm3d({ ...options, useBias: c.useBias, biasInitializer: 'glorotUniform' });
    const cell = (x: number[][], [kernel, recurrent, bias]: number[][]) =>
      convLstm3dReference(x, kernel, recurrent, c.useBias ? bias : null, { ...options, frame: [depth, height, width, 3], activation: 'tanh', recurrentActivation: 'sigmoid' });
    await checkGradients({ data: 43, weights: 11 }, steps, layer, cell, ['kernel', 'recurrent_kernel', ...(c.useBias ? ['bias'] : [])], [depth, height, width]);
  });
});
