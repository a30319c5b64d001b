// kerasm's host-side op library: tfjs' names for working with data and results, and km.grad & co.
// to differentiate functions of them (model training itself runs in the backends' kernels).
// Importing it gives km.Tensor its op methods.
import { installTensorOps } from '../tensor.js';
import { elu, leakyRelu, relu6, selu } from './activations.js';
import { add, div, floorDiv, maximum, minimum, mod, mul, pow, squaredDifference, sub } from './arithmetic.js';
import { equal, greater, greaterEqual, less, lessEqual, notEqual } from './compare.js';
import { cumsum } from './cumulative.js';
import { abs, clipByValue, cos, exp, log, log1p, neg, reciprocal, relu, rsqrt, sigmoid, sin, softplus, sqrt, square, tanh } from './elementwise.js';
import { gather } from './gather.js';
import { concat, stack } from './join.js';
import { matMul } from './mat_mul.js';
import { norm } from './norm.js';
import { prod } from './prod.js';
import { argMax, argMin, max, mean, min, sum } from './reduce.js';
import { reverse } from './reverse.js';
import { ceil, floor, round, sign } from './rounding.js';
import { cast, expandDims, squeeze } from './shape_ops.js';
import { split, unstack } from './split.js';
import { pad, tile } from './tile_pad.js';
import { topk } from './topk.js';
import { transpose } from './transpose.js';

export { elu, leakyRelu, relu6, selu } from './activations.js';
export { add, div, floorDiv, maximum, minimum, mod, mul, pow, squaredDifference, sub, type UpcastDType } from './arithmetic.js';
export { equal, greater, greaterEqual, isFinite, isInf, isNaN, less, lessEqual, notEqual } from './compare.js';
export { cumsum } from './cumulative.js';
export { abs, clipByValue, cos, exp, log, log1p, neg, reciprocal, relu, rsqrt, sigmoid, sin, softplus, sqrt, square, tanh } from './elementwise.js';
export { gather } from './gather.js';
export { customGrad, type CustomGradientFunction, type CustomGradientResult } from './custom_grad.js';
export { grad, grads, valueAndGrad, valueAndGrads, type GradientFunction } from './gradients.js';
export { concat, stack } from './join.js';
export { logicalAnd, logicalNot, logicalOr, logicalXor } from './logical.js';
export { matMul } from './mat_mul.js';
export { moments, type Moments } from './moments.js';
export { norm, type NormOrder } from './norm.js';
export { prod } from './prod.js';
export { argMax, argMin, max, mean, min, sum, type ReduceAxis } from './reduce.js';
export { reverse } from './reverse.js';
export { ceil, floor, round, sign } from './rounding.js';
export { cast, expandDims, reshape, slice, squeeze } from './shape_ops.js';
export { logSoftmax, logSumExp, softmax } from './softmax.js';
export { split, unstack } from './split.js';
export { pad, tile } from './tile_pad.js';
export { tidy, keep, dispose } from './tidy.js';
export { topk, type TopK } from './topk.js';
export { transpose } from './transpose.js';
export { where } from './where.js';

const tensorOps = {
  add, div, maximum, minimum, mul, pow, sub,
  abs, clipByValue, exp, log, log1p, neg, relu, sigmoid, softplus, sqrt, square, tanh,
  concat, stack, matMul, argMax, argMin, max, mean, min, sum, cast, expandDims, squeeze, topk, transpose,
  sign, floor, ceil, round, sin, cos, elu, leakyRelu, squaredDifference, prod, cumsum, norm, gather, tile, pad, reverse, unstack,
  equal, notEqual, greater, greaterEqual, less, lessEqual,
};
/** The ops km.Tensor's methods call. @internal */
export type TensorOps = typeof tensorOps;
installTensorOps(tensorOps);
