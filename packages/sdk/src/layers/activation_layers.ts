// km.layers' activation layers, re-exported from the modules that hold each class and its factory.
export { reLU, leakyReLU, elu, thresholdedReLU, ELU, LeakyReLU, ReLU, ThresholdedReLU, type ELUArgs, type LeakyReLUArgs, type ReLUArgs, type ThresholdedReLUArgs } from './piecewise_activations.js';
export { prelu, PReLU, type PReLUArgs } from './prelu.js';
export { softmax, Softmax, type SoftmaxArgs } from './softmax.js';
