import { Activation, InputActivation, LossKind, RowLossKind } from '@kerasm/core-wasm';
import type { ActivationKind, ElementwiseLossKind, InputActivationKind, RowwiseLossKind } from '../backend.js';

// The core's enum code for each kind name the Backend interface uses.

export const ACTIVATION_CODES: Record<ActivationKind, Activation> = {
  linear: Activation.Linear,
  relu: Activation.Relu,
  sigmoid: Activation.Sigmoid,
  tanh: Activation.Tanh,
  softmax: Activation.Softmax,
  elu: Activation.Elu,
  selu: Activation.Selu,
  softplus: Activation.Softplus,
  softsign: Activation.Softsign,
  relu6: Activation.Relu6,
  exponential: Activation.Exponential,
  hardSigmoid: Activation.HardSigmoid,
  leaky_relu: Activation.LeakyRelu,
  hard_tanh: Activation.HardTanh,
  log_sigmoid: Activation.LogSigmoid,
  logSoftmax: Activation.LogSoftmax,
  squareplus: Activation.Squareplus,
  soft_shrink: Activation.SoftShrink,
  hard_shrink: Activation.HardShrink,
  sparse_plus: Activation.SparsePlus,
  sparsemax: Activation.Sparsemax,
};

export const INPUT_ACTIVATION_CODES: Record<InputActivationKind, InputActivation> = {
  swish: InputActivation.Swish,
  gelu: InputActivation.Gelu,
  gelu_new: InputActivation.GeluTanh,
  mish: InputActivation.Mish,
  hard_silu: InputActivation.HardSilu,
  tanh_shrink: InputActivation.TanhShrink,
};

export const LOSS_CODES: Record<ElementwiseLossKind, LossKind> = {
  meanAbsoluteError: LossKind.MeanAbsoluteError,
  meanAbsolutePercentageError: LossKind.MeanAbsolutePercentageError,
  meanSquaredLogarithmicError: LossKind.MeanSquaredLogarithmicError,
  huber: LossKind.Huber,
  logCosh: LossKind.LogCosh,
  poisson: LossKind.Poisson,
  kullbackLeiblerDivergence: LossKind.KullbackLeiblerDivergence,
  hinge: LossKind.Hinge,
  squaredHinge: LossKind.SquaredHinge,
  binaryCrossentropyFromLogits: LossKind.BinaryCrossentropyFromLogits,
};

export const ROW_LOSS_CODES: Record<RowwiseLossKind, RowLossKind> = {
  categoricalHinge: RowLossKind.CategoricalHinge,
  cosineSimilarity: RowLossKind.CosineSimilarity,
};
