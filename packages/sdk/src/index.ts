/**
 * kerasm: the Keras API for TypeScript, training on a WebAssembly SIMD core.
 *
 * @example
 * ```ts
 * import * as km from '@kerasm/sdk';
 * const model = km.sequential([
 *   km.layers.flatten({ inputShape: [28, 28] }),
 *   km.layers.dense({ units: 64, activation: 'relu' }),
 *   km.layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
 * const { train, test } = await km.datasets.mnist.load();
 * await model.fit(train.x, train.y, { epochs: 5, batchSize: 64 });
 * ```
 * @packageDocumentation
 */
export { tensor, Tensor, type DType, type TensorLike, type NestedArray, type NestedValues, type NestedFloat32Values, type NestedInt32Rows, type Float32Values, type Int32Values } from './tensor.js';
export { tensor1d, tensor2d, tensor3d, tensor4d, tensor5d, tensor6d, type Tensor1D, type Tensor2D, type Tensor3D, type Tensor4D, type Tensor5D, type Tensor6D, type RankedTensorFactory } from './tensor_ranked.js';
export { variable, Variable, disposeVariables } from './variable.js';
export { variableGrads, type Differentiable, type NamedGradients } from './optimizers/minimize.js';
export { scalar, zeros, ones, fill, zerosLike, onesLike, oneHot, range, linspace, randomNormal, randomUniform, truncatedNormal } from './tensor_create.js';
export { buffer, TensorBuffer } from './tensor_buffer.js';
export { argMax, argMin, max, min, sum, mean, add, sub, mul, div, squeeze, expandDims, transpose, cast, concat, stack, topk, tidy, keep, dispose, type ReduceAxis, type TopK, type UpcastDType } from './ops/index.js';
export { matMul, softmax, logSoftmax, logSumExp, reshape, slice, pow, maximum, minimum, neg, abs, square, sqrt, exp, log, log1p, sigmoid, tanh, relu, softplus, clipByValue, grad, grads, valueAndGrad, valueAndGrads, customGrad, type GradientFunction, type CustomGradientFunction, type CustomGradientResult } from './ops/index.js';
export { sign, floor, ceil, round, reciprocal, rsqrt, sin, cos, elu, selu, leakyRelu, relu6, squaredDifference, mod, floorDiv, prod, cumsum, moments, norm, gather, tile, pad, split, unstack, reverse, type Moments, type NormOrder } from './ops/index.js';
export { equal, notEqual, greater, greaterEqual, less, lessEqual, logicalAnd, logicalOr, logicalXor, logicalNot, isNaN, isInf, isFinite, where } from './ops/index.js';
export { broadcastTo, stridedSlice, mirrorPad, spaceToBatchND, batchToSpaceND, depthToSpace, eye, diag, dot, outerProduct, meshgrid, ensureShape, slice1d, slice2d, slice3d, slice4d, concat1d, concat2d, concat3d, concat4d, reverse1d, reverse2d, reverse3d, reverse4d, pad1d, pad2d, pad3d, pad4d } from './ops/index.js';
export { tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, atan2, erf, expm1, logSigmoid, step, clone, divNoNan, prelu, cumprod, euclideanNorm, randomStandardNormal, randomUniformInt, rand, randomGamma, multinomial, dropout, batchNorm, batchNorm2d, batchNorm3d, batchNorm4d, localResponseNormalization, movingAverage } from './ops/index.js';
export { conv1d, conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d, maxPool, avgPool, pool, type ConvPad, type DimRoundingMode, type ExplicitPadding, type SpatialPair } from './ops/index.js';
export { conv3d, conv3dTranspose, avgPool3d, maxPool3d, maxPoolWithArgmax, dilation2d, type SpatialTriple } from './ops/index.js';
export { gatherND, scatterND, tensorScatterUpdate, unsortedSegmentSum, unique, bincount, denseBincount, whereAsync, booleanMaskAsync, setdiff1dAsync, searchSorted, lowerBound, upperBound, einsum, type Unique } from './ops/index.js';
export { addN, all, any, bitwiseAnd, broadcastArgs, inTopKAsync, sparseToDense, basicLSTMCell, multiRNNCell, print, type LSTMCellFunction } from './ops/index.js';
export { op, cosineWindow, enclosingPowerOfTwo } from './ops/index.js';
export { raggedGather, raggedRange, raggedTensorToTensor, type RaggedGather, type RaggedRange, type RowPartitionType } from './ops/index.js';
export { nextFrame } from './util/platform.js';
export { upcastType, sumOutType } from './util/dtypes.js';
export { time, type TimingInfo } from './time.js';
export { ready, setBackend, setThreads, getBackend, getBackendInfo, backends, type BackendName, type BackendAvailability } from './backend/registry.js';
export { memory, type MemoryInfo } from './backend/memory.js';
export type { Backend, BufferId } from './backend/backend.js';
export { sequential, Sequential, type SequentialArgs } from './engine/sequential.js';
export { LayersModel, type ModelCompileArgs, type ModelInputs, type ModelOutputs, type ModelTargets } from './engine/model.js';
export type { SummaryOptions } from './engine/summary.js';
export { model, Functional, type FunctionalModelArgs } from './engine/functional.js';
export { Model, type ModelArgs, type ModelCallArgs, type ModelCallInputs } from './engine/subclassed_model.js';
export type { StepLogs } from './engine/own_steps_of.js';
export type { StepData } from './engine/step_data.js';
export type { PredictedOutputs, SymbolicOutputs } from './engine/output_types.js';
export { input, SymbolicTensor, type InputArgs } from './engine/symbolic.js';
export type { LayerApplyArgs } from './engine/concrete_apply.js';
export type { ModelApplyArgs } from './engine/model_input_masks.js';
export type { ModelFitArgs, ModelEvaluateArgs, ModelPredictArgs, EvaluateResult, LossAndMetrics } from './engine/training_args.js';
export type { ClassWeight, ClassWeightMap, ClassWeightSpec, SampleWeightInput } from './engine/sample_weights.js';
export type { YieldEvery } from './engine/yield_every.js';
export type { TrainOnBatchArgs, TestOnBatchArgs, OnBatchResult } from './engine/on_batch.js';
export type { ModelFitDatasetArgs, ModelEvaluateDatasetArgs } from './engine/fit_dataset.js';
export type { CustomCallbackArgs, Logs, TrainLogs } from './callbacks/callbacks.js';
// tfjs exports these at the top level, for `class X extends tf.Callback`.
export { Callback, EarlyStopping, CustomCallback, type FitParams } from './callbacks/index.js';
export { History } from './callbacks/history.js';
export type { ActivationName, ActivationLayerName } from './layers/activations.js';
export type { LossName } from './losses/losses.js';
export type { MetricName } from './metrics/metrics.js';
export * as layers from './layers/index.js';
export * as optimizers from './optimizers/index.js';
/** TensorFlow.js' `tf.train` optimizer factories, with its positional arguments and defaults (`km.train.adam(0.01)`). */
export * as train from './optimizers/train.js';
export * as callbacks from './callbacks/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as regularizers from './regularizers/index.js';
export * as constraints from './constraints/index.js';
export * as initializers from './initializers/index.js';
export * as datasets from './datasets.js';
export * as data from './data/index.js';
export * as utils from './utils/index.js';
/** TensorFlow.js' `tf.util` helpers (shapes, strides, flatten, dtypes, strings, shuffling from kerasm's seedable generator); Keras' utilities are `km.utils`. */
export * as util from './util/index.js';
export * as browser from './browser/index.js';
export * as io from './io/index.js';
export * as models from './models.js';
export * as serialization from './serialization.js';
/** TensorFlow.js' `tf.image` ops (resizing, cropping, rotation, non-max suppression), computed on the host. */
export * as image from './ops/image/index.js';
/** TensorFlow.js' `tf.fused` ops: conv2d, depthwiseConv2d and matMul with a bias and an activation in one call. */
export * as fused from './ops/fused.js';
/** TensorFlow.js' `tf.linalg` ops (bandPart, gramSchmidt, qr). */
export * as linalg from './ops/linalg/index.js';
/** TensorFlow.js' `tf.signal` ops (window functions, frame); stft is not included (kerasm has no complex dtype). */
export * as signal from './ops/signal.js';
/** TensorFlow.js' `tf.math` ops (confusionMatrix). */
export * as math from './ops/confusion_matrix.js';
/** TensorFlow.js' `tf.sparse` ops (sparseFillEmptyRows, sparseReshape, sparseSegmentMean, sparseSegmentSum). */
export * as sparse from './ops/sparse/index.js';
export { loadLayersModel } from './io/load_model.js';
export { loadGraphModel, type GraphModelLoadOptions } from './io/load_graph_model.js';
export type { GraphModel, GraphInputs, GraphTensorInfo } from './io/graph_model/graph_model.js';
