// kerasm's host-side op library: tfjs' names for working with data and results, and km.grad & co.
// to differentiate functions of them (model training itself runs in the backends' kernels).
// Importing it gives km.Tensor its op methods.
import { installTensorOps } from '../tensor.js';
import { elu, leakyRelu, prelu, relu6, selu } from './activations.js';
import { add, div, divNoNan, floorDiv, maximum, minimum, mod, mul, pow, squaredDifference, sub } from './arithmetic.js';
import { equal, greater, greaterEqual, less, lessEqual, notEqual } from './compare.js';
import { cumprod, cumsum } from './cumulative.js';
import { abs, clipByValue, cos, exp, log, log1p, neg, reciprocal, relu, rsqrt, sigmoid, sin, softplus, sqrt, square, tanh } from './elementwise.js';
import { gather } from './gather.js';
import { unsortedSegmentSum } from './segment_sum.js';
import { unique } from './unique.js';
import { concat, stack } from './join.js';
import { matMul } from './mat_mul.js';
import { euclideanNorm, norm } from './norm.js';
import { prod } from './prod.js';
import { argMax, argMin, max, mean, min, sum } from './reduce.js';
import { reverse } from './reverse.js';
import { ceil, floor, round, sign } from './rounding.js';
import { cast, expandDims, squeeze } from './shape_ops.js';
import { split, unstack } from './split.js';
import { pad, tile } from './tile_pad.js';
import { topk } from './topk.js';
import { transpose } from './transpose.js';
import { broadcastTo } from './broadcast_to.js';
import { stridedSlice } from './strided_slice.js';
import { mirrorPad } from './mirror_pad.js';
import { batchToSpaceND, spaceToBatchND } from './space_to_batch.js';
import { depthToSpace } from './depth_to_space.js';
import { dot } from './dot.js';
import { acos, acosh, asin, asinh, atan, atan2, atanh, cosh, sinh, tan } from './trigonometric.js';
import { erf, expm1, logSigmoid, step } from './special_functions.js';
import { batchNorm, localResponseNormalization } from './normalization_ops.js';
import { conv1d, conv2d } from './conv2d.js';
import { conv2dTranspose } from './conv_transpose.js';
import { depthwiseConv2d, separableConv2d } from './depthwise_conv.js';
import { avgPool, maxPool, pool } from './pooling.js';
import { all, any } from './all_any.js';
import { dilation2d } from './dilation2d.js';

export { elu, leakyRelu, prelu, relu6, selu } from './activations.js';
export { add, div, divNoNan, floorDiv, maximum, minimum, mod, mul, pow, squaredDifference, sub, type UpcastDType } from './arithmetic.js';
export { equal, greater, greaterEqual, isFinite, isInf, isNaN, less, lessEqual, notEqual } from './compare.js';
export { cumprod, cumsum } from './cumulative.js';
export { abs, clipByValue, cos, exp, log, log1p, neg, reciprocal, relu, rsqrt, sigmoid, sin, softplus, sqrt, square, tanh } from './elementwise.js';
export { gather } from './gather.js';
export { customGrad, type CustomGradientFunction, type CustomGradientResult } from './custom_grad.js';
export { grad, grads, valueAndGrad, valueAndGrads, type GradientFunction } from './gradients.js';
export { concat, stack } from './join.js';
export { logicalAnd, logicalNot, logicalOr, logicalXor } from './logical.js';
export { matMul } from './mat_mul.js';
export { moments, type Moments } from './moments.js';
export { euclideanNorm, norm, type NormOrder } from './norm.js';
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
export { broadcastTo } from './broadcast_to.js';
export { stridedSlice } from './strided_slice.js';
export { mirrorPad } from './mirror_pad.js';
export { batchToSpaceND, spaceToBatchND } from './space_to_batch.js';
export { depthToSpace } from './depth_to_space.js';
export { eye, diag } from './eye_diag.js';
export { dot, outerProduct } from './dot.js';
export { meshgrid } from './meshgrid.js';
export { ensureShape } from './ensure_shape.js';
export { slice1d, slice2d, slice3d, slice4d, concat1d, concat2d, concat3d, concat4d, reverse1d, reverse2d, reverse3d, reverse4d, pad1d, pad2d, pad3d, pad4d } from './rank_aliases.js';
export { acos, acosh, asin, asinh, atan, atan2, atanh, cosh, sinh, tan } from './trigonometric.js';
export { clone, erf, expm1, logSigmoid, step } from './special_functions.js';
export { randomGamma, randomStandardNormal, randomUniformInt, rand, multinomial } from './random_ops.js';
export { dropout } from './dropout.js';
export { batchNorm, batchNorm2d, batchNorm3d, batchNorm4d, localResponseNormalization } from './normalization_ops.js';
export { movingAverage } from './moving_average.js';
export { conv1d, conv2d } from './conv2d.js';
export { type ConvPad, type DimRoundingMode, type ExplicitPadding, type SpatialPair } from './conv_geometry.js';
export { conv2dTranspose } from './conv_transpose.js';
export { depthwiseConv2d, separableConv2d } from './depthwise_conv.js';
export { avgPool, maxPool, pool } from './pooling.js';
export { conv3d, type SpatialTriple } from './conv3d.js';
export { conv3dTranspose } from './conv_transpose.js';
export { avgPool3d, maxPool3d } from './pooling3d.js';
export { maxPoolWithArgmax } from './max_pool_with_argmax.js';
export { dilation2d } from './dilation2d.js';
export { gatherND } from './gather_nd.js';
export { scatterND, tensorScatterUpdate } from './scatter_nd.js';
export { unsortedSegmentSum } from './segment_sum.js';
export { unique, type Unique } from './unique.js';
export { bincount, denseBincount } from './bincount.js';
export { whereAsync } from './where_async.js';
export { booleanMaskAsync } from './boolean_mask.js';
export { setdiff1dAsync } from './setdiff1d.js';
export { lowerBound, searchSorted, upperBound } from './search_sorted.js';
export { einsum } from './einsum.js';
export { addN } from './add_n.js';
export { all, any } from './all_any.js';
export { bitwiseAnd } from './bitwise_and.js';
export { broadcastArgs } from './broadcast_args.js';
export { inTopKAsync } from './in_top_k.js';
export { sparseToDense } from './sparse_to_dense.js';
export { basicLSTMCell, multiRNNCell, type LSTMCellFunction } from './lstm_cells.js';
export { print } from './print.js';
export { op } from './op.js';
export { cosineWindow, enclosingPowerOfTwo } from './signal_util.js';
export { raggedGather, type RaggedGather } from './ragged/ragged_gather.js';
export { raggedRange, type RaggedRange } from './ragged/ragged_range.js';
export { raggedTensorToTensor, type RowPartitionType } from './ragged/ragged_tensor_to_tensor.js';

const tensorOps = {
  add, div, maximum, minimum, mul, pow, sub,
  abs, clipByValue, exp, log, log1p, neg, relu, sigmoid, softplus, sqrt, square, tanh,
  concat, stack, matMul, argMax, argMin, max, mean, min, sum, cast, expandDims, squeeze, topk, transpose,
  sign, floor, ceil, round, sin, cos, elu, leakyRelu, squaredDifference, prod, cumsum, norm, gather, tile, pad, reverse, unstack,
  equal, notEqual, greater, greaterEqual, less, lessEqual,
  unique, unsortedSegmentSum,
  broadcastTo, stridedSlice, mirrorPad, spaceToBatchND, batchToSpaceND, depthToSpace, dot,
  tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, atan2, erf, expm1, logSigmoid, step, cumprod, divNoNan, prelu, euclideanNorm, batchNorm, localResponseNormalization,
  conv1d, conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d, maxPool, avgPool, pool,
  all, any,
  dilation2d,
};
/** The ops km.Tensor's methods call. @internal */
export type TensorOps = typeof tensorOps;
installTensorOps(tensorOps);
