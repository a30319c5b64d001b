// The km.layers factories of the activation layers (TensorFlow.js' names), each checking its options.
import { checkOptions } from '../utils/options.js';
import { ELU_OPTIONS, LEAKY_RELU_OPTIONS, PRELU_OPTIONS, RELU_OPTIONS, SOFTMAX_OPTIONS, THRESHOLDED_RELU_OPTIONS } from './layer_options.js';
import { ELU, LeakyReLU, ReLU, ThresholdedReLU, type ELUArgs, type LeakyReLUArgs, type ReLUArgs, type ThresholdedReLUArgs } from './piecewise_activations.js';
import { PReLU, type PReLUArgs } from './prelu.js';
import { Softmax, type SoftmaxArgs } from './softmax.js';

/** Keras' ReLU layer, with an optional cap, slope and threshold. @example `km.layers.reLU({ maxValue: 6 })` */
export function reLU(args?: ReLUArgs): ReLU {
  checkOptions(args, RELU_OPTIONS, 'km.layers.reLU');
  return new ReLU(args);
}

/** x for x ≥ 0, alpha·x below (alpha default 0.3). @example `km.layers.leakyReLU({ alpha: 0.2 })` */
export function leakyReLU(args?: LeakyReLUArgs): LeakyReLU {
  checkOptions(args, LEAKY_RELU_OPTIONS, 'km.layers.leakyReLU');
  return new LeakyReLU(args);
}

/** x for x > 0, alpha·(eˣ − 1) otherwise (alpha default 1). @example `km.layers.elu({ alpha: 1 })` */
export function elu(args?: ELUArgs): ELU {
  checkOptions(args, ELU_OPTIONS, 'km.layers.elu');
  return new ELU(args);
}

/** x for x > theta, else 0 (theta default 1). @example `km.layers.thresholdedReLU({ theta: 0.5 })` */
export function thresholdedReLU(args?: ThresholdedReLUArgs): ThresholdedReLU {
  checkOptions(args, THRESHOLDED_RELU_OPTIONS, 'km.layers.thresholdedReLU');
  return new ThresholdedReLU(args);
}

/** Softmax along the last axis. @example `km.layers.softmax()` */
export function softmax(args?: SoftmaxArgs): Softmax {
  checkOptions(args, SOFTMAX_OPTIONS, 'km.layers.softmax');
  return new Softmax(args);
}

/** Parametric ReLU with a trainable alpha. @example `km.layers.prelu({ sharedAxes: [1, 2] })` */
export function prelu(args?: PReLUArgs): PReLU {
  checkOptions(args, PRELU_OPTIONS, 'km.layers.prelu');
  return new PReLU(args);
}

export { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU, type ELUArgs, type LeakyReLUArgs, type PReLUArgs, type ReLUArgs, type SoftmaxArgs, type ThresholdedReLUArgs };
