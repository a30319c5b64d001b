// Float64 references for the element-wise activations, written from each function's definition
// (and its derivative with respect to x, not the kernels' from-y forms), for the kernel tests.
import { Activation } from './activation.js';

const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Every kind that is applied element by element (all but softmax). */
export const ELEMENTWISE_ACTIVATIONS = [
  Activation.Linear, Activation.Relu, Activation.Sigmoid, Activation.Tanh, Activation.Elu, Activation.Selu,
  Activation.Softplus, Activation.Softsign, Activation.Relu6, Activation.Exponential, Activation.HardSigmoid,
  Activation.LeakyRelu, Activation.HardTanh, Activation.LogSigmoid,
  Activation.Squareplus, Activation.SoftShrink, Activation.HardShrink, Activation.SparsePlus,
] as const;

/** f(x). */
export const activationRef: Record<(typeof ELEMENTWISE_ACTIVATIONS)[number], (x: number) => number> = {
  [Activation.Linear]: (x) => x,
  [Activation.Relu]: (x) => Math.max(x, 0),
  [Activation.Sigmoid]: sigmoid,
  [Activation.Tanh]: (x) => Math.tanh(x),
  [Activation.Elu]: (x) => (x > 0 ? x : Math.exp(x) - 1),
  [Activation.Selu]: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
  [Activation.Softplus]: (x) => Math.log(1 + Math.exp(x)),
  [Activation.Softsign]: (x) => x / (1 + Math.abs(x)),
  [Activation.Relu6]: (x) => Math.min(Math.max(x, 0), 6),
  [Activation.Exponential]: (x) => Math.exp(x),
  [Activation.HardSigmoid]: (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1),
  [Activation.LeakyRelu]: (x) => (x > 0 ? x : 0.2 * x),
  [Activation.HardTanh]: (x) => Math.min(Math.max(x, -1), 1),
  [Activation.LogSigmoid]: (x) => Math.log(sigmoid(x)),
  [Activation.Squareplus]: (x) => (x + Math.sqrt(x * x + 4)) / 2,
  [Activation.SoftShrink]: (x) => (x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0),
  [Activation.HardShrink]: (x) => (Math.abs(x) > 0.5 ? x : 0),
  [Activation.SparsePlus]: (x) => (x <= -1 ? 0 : x >= 1 ? x : (x + 1) ** 2 / 4),
};

/** f'(x). */
export const activationDerivativeRef: Record<(typeof ELEMENTWISE_ACTIVATIONS)[number], (x: number) => number> = {
  [Activation.Linear]: () => 1,
  [Activation.Relu]: (x) => (x > 0 ? 1 : 0),
  [Activation.Sigmoid]: (x) => sigmoid(x) * (1 - sigmoid(x)),
  [Activation.Tanh]: (x) => 1 - Math.tanh(x) ** 2,
  [Activation.Elu]: (x) => (x > 0 ? 1 : Math.exp(x)),
  [Activation.Selu]: (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
  [Activation.Softplus]: sigmoid,
  [Activation.Softsign]: (x) => 1 / (1 + Math.abs(x)) ** 2,
  [Activation.Relu6]: (x) => (x > 0 && x < 6 ? 1 : 0),
  [Activation.Exponential]: (x) => Math.exp(x),
  [Activation.HardSigmoid]: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
  [Activation.LeakyRelu]: (x) => (x > 0 ? 1 : 0.2),
  [Activation.HardTanh]: (x) => (x > -1 && x < 1 ? 1 : 0),
  [Activation.LogSigmoid]: (x) => 1 - sigmoid(x),
  [Activation.Squareplus]: (x) => (1 + x / Math.sqrt(x * x + 4)) / 2,
  [Activation.SoftShrink]: (x) => (Math.abs(x) > 0.5 ? 1 : 0),
  [Activation.HardShrink]: (x) => (Math.abs(x) > 0.5 ? 1 : 0),
  [Activation.SparsePlus]: (x) => (x <= -1 ? 0 : x >= 1 ? 1 : (x + 1) / 2),
};
