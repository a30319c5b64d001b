// Entry point: every exported function here becomes a wasm export.
export { heapBase } from './memory';
export { gemm, gemmScratchBytes } from './gemm';
export { fill, copy, biasAdd, colSum, gatherRows, hasNonFinite, add, mul, copyRows } from './elementwise';
export { activationForward, activationBackward, activationBackwardBias } from './activations';
export {
  softmaxCrossEntropySparse, softmaxCrossEntropyDense, categoricalCrossEntropy,
  sparseCategoricalCrossEntropy, binaryCrossEntropy, meanSquaredError,
} from './losses';
export { countArgmaxMatchesSparse, countArgmaxMatchesDense, countBinaryMatches } from './metrics';
export { adamUpdate, sgdUpdate } from './optimizers';
export { lionUpdate } from './optimizers';
export { amsgradUpdate, nadamUpdate, adamaxUpdate, adagradUpdate, rmspropUpdate } from './optimizers_adaptive';
export { adadeltaUpdate } from './optimizers_adaptive';
export { ftrlUpdate } from './optimizers_ftrl';
export { lambUpdate } from './optimizers_lamb';
export { adafactorUpdate } from './optimizers_adafactor';
export { sumSquares, clipByValue, scale } from './clipping';
export { elementwiseLoss } from './elementwise_losses';
export { im2col, col2im } from './conv';
export { maxPool, maxPoolGrad, avgPool, avgPoolGrad } from './pool';
export { dropoutMask } from './dropout';
export { normalNoise } from './noise';
export { transpose, minMax, routeToFirstMatch } from './shape';
export { rowwiseLoss } from './rowwise_losses';
export { regularize } from './regularizers';
export { normConstraint } from './constraints';
export { batchNormTrain, batchNormInfer, batchNormGrad } from './batch_norm';
export { layerNormForward, layerNormBackward, rmsNormForward, rmsNormBackward } from './layer_norm';
export { l2NormalizeForward, l2NormalizeBackward } from './l2_normalize';
export { groupNormForward, groupNormBackward } from './group_norm';
export { depthwiseForward, depthwiseBackward } from './depthwise';
export { piecewiseLinearForward, piecewiseLinearBackward, eluForward, eluBackward, preluForward, preluBackward } from './parametric_activations';
export { embeddingForward, embeddingBackward } from './embedding';
export { inputActivationForward, inputActivationBackward } from './input_activations';
export { lstmCellForward, lstmCellBackward } from './recurrent';
export { gruGatesForward, gruOutputForward, gruOutputBackward, gruGatesBackward } from './gru';
export { gruResetAfterForward, gruResetAfterBackward } from './gru_reset_after';
export { maskFromValues, maskSelectRows, maskSelectRowsGrad, maskedMeanSteps, maskedMeanStepsGrad, maskSum, lossWeights } from './masking';
export { resizeBilinear, resizeBilinearBackward, resizeNearest, resizeNearestBackward, flipImages } from './resize';
export { transformImages, transformImagesBackward } from './transform';
export { adjustImages, adjustImagesBackward } from './color_adjust';
export { solarizeImages, solarizeImagesBackward } from './solarize';
export { posterizeImages } from './posterize';
export { hsvAdjustImages } from './hsv_adjust';
export { autoContrast, autoContrastBackward } from './auto_contrast';
export { binaryFocalCrossEntropy, categoricalFocalCrossEntropy, overlapLoss } from './focal_losses';
export { gluForward, gluBackward } from './glu';
export { ctcLoss, ctcScratchBytes } from './ctc';
