// kerasm's host-side op library: tfjs' names for working with data and results, and km.grad & co.
// to differentiate functions of them (model training itself runs in the backends' kernels).
// Importing it gives km.Tensor its op methods.
import { installTensorOps } from '../tensor.js';
import { add, div, maximum, minimum, mul, pow, sub } from './arithmetic.js';
import { abs, clipByValue, exp, log, log1p, neg, relu, sigmoid, softplus, sqrt, square, tanh } from './elementwise.js';
import { concat, stack } from './join.js';
import { matMul } from './mat_mul.js';
import { argMax, argMin, max, mean, min, sum } from './reduce.js';
import { cast, expandDims, squeeze } from './shape_ops.js';
import { topk } from './topk.js';
import { transpose } from './transpose.js';

export { add, div, maximum, minimum, mul, pow, sub, type UpcastDType } from './arithmetic.js';
export { abs, clipByValue, exp, log, log1p, neg, relu, sigmoid, softplus, sqrt, square, tanh } from './elementwise.js';
export { grad, grads, valueAndGrad, valueAndGrads, type GradientFunction } from './gradients.js';
export { concat, stack } from './join.js';
export { matMul } from './mat_mul.js';
export { argMax, argMin, max, mean, min, sum, type ReduceAxis } from './reduce.js';
export { cast, expandDims, reshape, slice, squeeze } from './shape_ops.js';
export { logSoftmax, logSumExp, softmax } from './softmax.js';
export { tidy, keep, dispose } from './tidy.js';
export { topk, type TopK } from './topk.js';
export { transpose } from './transpose.js';

const tensorOps = {
  add, div, maximum, minimum, mul, pow, sub,
  abs, clipByValue, exp, log, log1p, neg, relu, sigmoid, softplus, sqrt, square, tanh,
  concat, stack, matMul, argMax, argMin, max, mean, min, sum, cast, expandDims, squeeze, topk, transpose,
};
/** The ops km.Tensor's methods call. @internal */
export type TensorOps = typeof tensorOps;
installTensorOps(tensorOps);
