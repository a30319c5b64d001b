import { checkOptions, optionNames } from '../utils/options.js';
import type { ActivationArgs } from './activation.js';
import type { BatchNormalizationArgs } from './batch_normalization.js';
import type { LayerNormalizationArgs } from './layer_normalization.js';
import type { NormalizationArgs } from './normalization.js';
import type { GroupNormalizationArgs } from './group_normalization.js';
import type { UnitNormalizationArgs } from './unit_normalization.js';
import type { MultiHeadAttentionArgs } from './multi_head_attention.js';
import type { GroupedQueryAttentionArgs } from './grouped_query_attention.js';
import type { AttentionArgs } from './attention.js';
import type { AdditiveAttentionArgs } from './additive_attention.js';
import type { PositionEmbeddingArgs } from './position_embedding.js';
import type { Conv1DArgs } from './conv1d.js';
import type { Conv2DArgs } from './conv2d.js';
import type { Conv2DTransposeArgs } from './conv2d_transpose.js';
import type { SeparableConv2DArgs } from './separable_conv2d.js';
import type { SeparableConv1DArgs } from './separable_conv1d.js';
import type { ConvLSTM2DArgs } from './conv_lstm2d.js';
import type { ConvLSTM1DArgs } from './conv_lstm1d.js';
import type { ConvLSTM3DArgs } from './conv_lstm3d.js';
import type { DenseArgs } from './dense.js';
import type { DepthwiseConv2DArgs } from './depthwise_conv2d.js';
import type { DepthwiseConv1DArgs } from './depthwise_conv1d.js';
import type { RMSNormalizationArgs } from './rms_normalization.js';
import type { ActivityRegularizationArgs } from './activity_regularization.js';
import type { DropoutArgs } from './dropout.js';
import type { FlattenArgs } from './flatten.js';
import type { MaskingArgs } from './masking.js';
import type { ELUArgs, LeakyReLUArgs, ReLUArgs, ThresholdedReLUArgs } from './piecewise_activations.js';
import type { PReLUArgs } from './prelu.js';
import type { SoftmaxArgs } from './softmax.js';
import type { EmbeddingArgs } from './embedding.js';
import type { GlobalPooling2DArgs } from './global_pooling2d.js';
import type { LayerArgs } from './layer_args.js';
import type { GRUArgs } from './gru.js';
import type { LSTMArgs } from './lstm.js';
import type { RecurrentArgs } from './recurrent.js';
import type { RNNArgs } from './rnn.js';
import type { ConvLSTM2DCellArgs, GRUCellArgs, LSTMCellArgs, SimpleRNNCellArgs, StackedRNNCellsArgs } from './rnn_cells.js';
import type { Pooling1DArgs } from './pooling1d.js';
import type { Pooling2DArgs } from './pooling2d.js';
import type { ReshapeArgs } from './reshape.js';
import type { UpSampling2DArgs } from './up_sampling2d.js';
import type { ZeroPadding2DArgs } from './zero_padding2d.js';
import type { Cropping2DArgs } from './cropping2d.js';
import type { Cropping1DArgs, UpSampling1DArgs, ZeroPadding1DArgs } from './spatial1d.js';
import type { DotArgs } from './dot.js';
import type { EinsumDenseArgs } from './einsum_dense.js';
import type { AlphaDropoutArgs, GaussianNoiseArgs, NoiseRateArgs } from './noise.js';
import type { PermuteArgs } from './permute.js';
import type { RepeatVectorArgs } from './repeat_vector.js';
import type { RescalingArgs } from './rescaling.js';
import type { SpatialDropout1DArgs, SpatialDropoutArgs } from './spatial_dropout.js';
import type { BidirectionalArgs } from './bidirectional.js';
import type { SpectralNormalizationArgs } from './spectral_normalization.js';
import type { TimeDistributedArgs } from './time_distributed.js';
import type { Conv3DArgs } from './conv3d.js';
import type { Conv3DTransposeArgs } from './conv3d_transpose.js';
import type { Conv1DTransposeArgs } from './conv1d_transpose.js';
import type { Cropping3DArgs } from './cropping3d.js';
import type { GlobalPooling3DArgs } from './global_pooling3d.js';
import type { Pooling3DArgs } from './pooling3d.js';
import type { UpSampling3DArgs } from './up_sampling3d.js';
import type { ZeroPadding3DArgs } from './zero_padding3d.js';
import type { CategoryEncodingArgs } from './category_encoding.js';
import type { CenterCropArgs } from './center_crop.js';
import type { DiscretizationArgs } from './discretization.js';
import type { STFTSpectrogramArgs } from './stft_spectrogram.js';
import type { MelSpectrogramArgs } from './mel_spectrogram.js';
import type { HashingArgs } from './hashing.js';
import type { IntegerLookupArgs } from './integer_lookup.js';
import type { RandomFlipArgs } from './random_flip.js';
import type { ResizingArgs } from './resizing.js';
import type { AutoContrastArgs } from './auto_contrast.js';
import type { AffineAugmentationArgs } from './random_affine.js';
import type { ColorAugmentationArgs } from './random_color.js';
import type { RandomColorDegenerationArgs } from './random_color_degeneration.js';
import type { RandomCropArgs } from './random_crop.js';
import type { RandomGrayscaleArgs } from './random_grayscale.js';
import type { RandomHueArgs } from './random_hue.js';
import type { RandomInvertArgs } from './random_invert.js';
import type { RandomPosterizationArgs } from './random_posterization.js';
import type { RandomSaturationArgs } from './random_saturation.js';
import type { RandomSharpnessArgs } from './random_sharpness.js';
import type { SolarizationArgs } from './solarization.js';

// The options each km.layers factory takes, checked by name so a misspelt one (`activaton`) is an
// error rather than a silently linear layer. Each list is typed against its Args interface, so
// TypeScript rejects a list that misses one.
/** The options of every layer ({@link LayerArgs}), which each factory's list spreads. */
export const LAYER = { name: true, inputShape: true, batchInputShape: true, batchSize: true, inputDType: true, trainable: true, dtype: true, weights: true } as const;
const BIAS_LAYER = { ...LAYER, activation: true, useBias: true, biasInitializer: true, biasRegularizer: true, activityRegularizer: true, biasConstraint: true } as const;
const KERNEL_BIAS_LAYER = { ...BIAS_LAYER, kernelInitializer: true, kernelRegularizer: true, kernelConstraint: true } as const;
const WINDOW = { strides: true, padding: true, dataFormat: true } as const;

export const LAYER_OPTIONS = optionNames<LayerArgs>(LAYER);

/**
 * As {@link checkOptions}, for a layer factory whose options object is required (a layer with a
 * required size or rate); without one, the error lists the layer's own options, then those of
 * every layer.
 */
export function checkRequiredOptions(args: unknown, allowed: readonly string[], call: string): void {
  if (args === undefined) {
    const own = allowed.filter((k) => !LAYER_OPTIONS.includes(k));
    const common = allowed.filter((k) => LAYER_OPTIONS.includes(k));
    throw new Error(`${call}() needs an options object, ${call}({ ... }). Its options are: ${own.join(', ')}${common.length > 0 ? `; and as every layer: ${common.join(', ')}` : ''}.`);
  }
  checkOptions(args, allowed, call);
}
const LORA = { loraRank: true, loraAlpha: true } as const;
export const DENSE_OPTIONS = optionNames<DenseArgs>({ ...KERNEL_BIAS_LAYER, ...LORA, units: true, inputDim: true });
export const EINSUM_DENSE_OPTIONS = optionNames<EinsumDenseArgs>({
  ...LAYER, equation: true, outputShape: true, activation: true, biasAxes: true, kernelInitializer: true, biasInitializer: true,
  kernelRegularizer: true, biasRegularizer: true, activityRegularizer: true, kernelConstraint: true, biasConstraint: true, ...LORA,
});
export const ACTIVATION_OPTIONS = optionNames<ActivationArgs>({ ...LAYER, activation: true });
export const CONV2D_OPTIONS = optionNames<Conv2DArgs>({ ...KERNEL_BIAS_LAYER, ...WINDOW, ...LORA, filters: true, kernelSize: true, dilationRate: true, groups: true });
const DEPTHWISE_CONV = {
  ...BIAS_LAYER, ...WINDOW, kernelSize: true, depthMultiplier: true, dilationRate: true,
  depthwiseInitializer: true, depthwiseRegularizer: true, depthwiseConstraint: true,
} as const;
export const DEPTHWISE_CONV2D_OPTIONS = optionNames<DepthwiseConv2DArgs>(DEPTHWISE_CONV);
export const DEPTHWISE_CONV1D_OPTIONS = optionNames<DepthwiseConv1DArgs>(DEPTHWISE_CONV);
export const POOLING2D_OPTIONS = optionNames<Pooling2DArgs>({ ...LAYER, ...WINDOW, poolSize: true });
export const BATCH_NORMALIZATION_OPTIONS = optionNames<BatchNormalizationArgs>({
  ...LAYER, axis: true, momentum: true, epsilon: true, center: true, scale: true,
  betaInitializer: true, gammaInitializer: true, movingMeanInitializer: true, movingVarianceInitializer: true,
  betaRegularizer: true, gammaRegularizer: true, betaConstraint: true, gammaConstraint: true,
});
export const MULTI_HEAD_ATTENTION_OPTIONS = optionNames<MultiHeadAttentionArgs>({
  ...LAYER, numHeads: true, keyDim: true, valueDim: true, dropout: true, useBias: true, outputShape: true, attentionAxes: true,
  kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true, activityRegularizer: true,
  kernelConstraint: true, biasConstraint: true, useCausalMask: true, returnAttentionScores: true, seed: true,
});
export const GROUPED_QUERY_ATTENTION_OPTIONS = optionNames<GroupedQueryAttentionArgs>({
  ...LAYER, headDim: true, numQueryHeads: true, numKeyValueHeads: true, dropout: true, useBias: true,
  kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true, activityRegularizer: true,
  kernelConstraint: true, biasConstraint: true, useCausalMask: true, returnAttentionScores: true, seed: true,
});
export const ATTENTION_OPTIONS = optionNames<AttentionArgs>({
  ...LAYER, useScale: true, scoreMode: true, dropout: true, seed: true, useCausalMask: true, returnAttentionScores: true,
});
export const ADDITIVE_ATTENTION_OPTIONS = optionNames<AdditiveAttentionArgs>({
  ...LAYER, useScale: true, dropout: true, seed: true, useCausalMask: true, returnAttentionScores: true,
});
export const POSITION_EMBEDDING_OPTIONS = optionNames<PositionEmbeddingArgs>({ ...LAYER, sequenceLength: true, initializer: true });
export const LAYER_NORMALIZATION_OPTIONS = optionNames<LayerNormalizationArgs>({
  ...LAYER, axis: true, epsilon: true, center: true, scale: true, betaInitializer: true, gammaInitializer: true,
  betaRegularizer: true, gammaRegularizer: true, betaConstraint: true, gammaConstraint: true,
});
export const GROUP_NORMALIZATION_OPTIONS = optionNames<GroupNormalizationArgs>({
  ...LAYER, groups: true, axis: true, epsilon: true, center: true, scale: true, betaInitializer: true, gammaInitializer: true,
  betaRegularizer: true, gammaRegularizer: true, betaConstraint: true, gammaConstraint: true,
});
export const UNIT_NORMALIZATION_OPTIONS = optionNames<UnitNormalizationArgs>({ ...LAYER, axis: true });
export const RMS_NORMALIZATION_OPTIONS = optionNames<RMSNormalizationArgs>({ ...LAYER, axis: true, epsilon: true });
export const ACTIVITY_REGULARIZATION_OPTIONS = optionNames<ActivityRegularizationArgs>({ ...LAYER, l1: true, l2: true });
export const GLOBAL_POOLING2D_OPTIONS = optionNames<GlobalPooling2DArgs>({ ...LAYER, dataFormat: true, keepdims: true });
export const ZERO_PADDING2D_OPTIONS = optionNames<ZeroPadding2DArgs>({ ...LAYER, padding: true, dataFormat: true });
export const UP_SAMPLING2D_OPTIONS = optionNames<UpSampling2DArgs>({ ...LAYER, size: true, interpolation: true, dataFormat: true });
export const DROPOUT_OPTIONS = optionNames<DropoutArgs>({ ...LAYER, rate: true, seed: true, noiseShape: true });
export const FLATTEN_OPTIONS = optionNames<FlattenArgs>({ ...LAYER, dataFormat: true });
export const RESHAPE_OPTIONS = optionNames<ReshapeArgs>({ ...LAYER, targetShape: true });
export const CONCATENATE_OPTIONS = optionNames<LayerArgs & { axis?: number }>({ ...LAYER, axis: true });
export const RELU_OPTIONS = optionNames<ReLUArgs>({ ...LAYER, maxValue: true, negativeSlope: true, threshold: true });
export const LEAKY_RELU_OPTIONS = optionNames<LeakyReLUArgs>({ ...LAYER, alpha: true });
export const ELU_OPTIONS = optionNames<ELUArgs>({ ...LAYER, alpha: true });
export const THRESHOLDED_RELU_OPTIONS = optionNames<ThresholdedReLUArgs>({ ...LAYER, theta: true });
export const SOFTMAX_OPTIONS = optionNames<SoftmaxArgs>({ ...LAYER, axis: true });
export const PRELU_OPTIONS = optionNames<PReLUArgs>({ ...LAYER, alphaInitializer: true, alphaRegularizer: true, alphaConstraint: true, sharedAxes: true });
export const EMBEDDING_OPTIONS = optionNames<EmbeddingArgs>({
  ...LAYER, inputDim: true, outputDim: true, embeddingsInitializer: true, embeddingsRegularizer: true, activityRegularizer: true,
  embeddingsConstraint: true, inputLength: true, maskZero: true, ...LORA,
});
export const CONV1D_OPTIONS = optionNames<Conv1DArgs>({ ...KERNEL_BIAS_LAYER, ...WINDOW, ...LORA, filters: true, kernelSize: true, dilationRate: true, groups: true });
export const POOLING1D_OPTIONS = optionNames<Pooling1DArgs>({ ...LAYER, ...WINDOW, poolSize: true });
export const CONV2D_TRANSPOSE_OPTIONS = optionNames<Conv2DTransposeArgs>({ ...KERNEL_BIAS_LAYER, ...WINDOW, filters: true, kernelSize: true, dilationRate: true, outputPadding: true });
const SEPARABLE_CONV = {
  ...BIAS_LAYER, ...WINDOW, filters: true, kernelSize: true, depthMultiplier: true, dilationRate: true,
  depthwiseInitializer: true, pointwiseInitializer: true, depthwiseRegularizer: true, pointwiseRegularizer: true, depthwiseConstraint: true, pointwiseConstraint: true,
} as const;
export const SEPARABLE_CONV2D_OPTIONS = optionNames<SeparableConv2DArgs>(SEPARABLE_CONV);
export const SEPARABLE_CONV1D_OPTIONS = optionNames<SeparableConv1DArgs>(SEPARABLE_CONV);
const RECURRENT = {
  ...LAYER, units: true, activation: true, useBias: true, kernelInitializer: true, recurrentInitializer: true, biasInitializer: true,
  kernelRegularizer: true, recurrentRegularizer: true, biasRegularizer: true, activityRegularizer: true,
  kernelConstraint: true, recurrentConstraint: true, biasConstraint: true, returnSequences: true, goBackwards: true,
  returnState: true, stateful: true, unroll: true, dropout: true, recurrentDropout: true, seed: true, implementation: true,
} as const satisfies Record<keyof RecurrentArgs, true>;
export const LSTM_OPTIONS = optionNames<LSTMArgs>({ ...RECURRENT, recurrentActivation: true, unitForgetBias: true });
const { units: _, ...RECURRENT_BUT_UNITS } = RECURRENT;
export const CONV_LSTM2D_OPTIONS = optionNames<ConvLSTM2DArgs>({
  ...RECURRENT_BUT_UNITS, ...WINDOW, recurrentActivation: true, unitForgetBias: true, filters: true, kernelSize: true, dilationRate: true,
});
export const CONV_LSTM1D_OPTIONS = optionNames<ConvLSTM1DArgs>({
  ...RECURRENT_BUT_UNITS, ...WINDOW, recurrentActivation: true, unitForgetBias: true, filters: true, kernelSize: true, dilationRate: true,
});
export const CONV_LSTM3D_OPTIONS = optionNames<ConvLSTM3DArgs>({
  ...RECURRENT_BUT_UNITS, ...WINDOW, recurrentActivation: true, unitForgetBias: true, filters: true, kernelSize: true, dilationRate: true,
});
export const SIMPLE_RNN_OPTIONS = optionNames<RecurrentArgs>(RECURRENT);
export const GRU_OPTIONS = optionNames<GRUArgs>({ ...RECURRENT, recurrentActivation: true, resetAfter: true });
const CELL = {
  name: true, trainable: true, units: true, activation: true, useBias: true, kernelInitializer: true, recurrentInitializer: true, biasInitializer: true,
  kernelRegularizer: true, recurrentRegularizer: true, biasRegularizer: true, activityRegularizer: true,
  kernelConstraint: true, recurrentConstraint: true, biasConstraint: true, dropout: true, recurrentDropout: true, seed: true, implementation: true,
} as const satisfies Record<keyof SimpleRNNCellArgs, true>;
export const SIMPLE_RNN_CELL_OPTIONS = optionNames<SimpleRNNCellArgs>(CELL);
export const LSTM_CELL_OPTIONS = optionNames<LSTMCellArgs>({ ...CELL, recurrentActivation: true, unitForgetBias: true });
export const GRU_CELL_OPTIONS = optionNames<GRUCellArgs>({ ...CELL, recurrentActivation: true, resetAfter: true });
const { units: _cellUnits, ...CELL_BUT_UNITS } = CELL;
export const CONV_LSTM2D_CELL_OPTIONS = optionNames<ConvLSTM2DCellArgs>({
  ...CELL_BUT_UNITS, ...WINDOW, recurrentActivation: true, unitForgetBias: true, filters: true, kernelSize: true, dilationRate: true,
});
export const STACKED_RNN_CELLS_OPTIONS = optionNames<StackedRNNCellsArgs>({ name: true, trainable: true, cells: true });
export const RNN_OPTIONS = optionNames<RNNArgs>({ ...LAYER, cell: true, returnSequences: true, returnState: true, goBackwards: true, stateful: true, unroll: true });
export const REPEAT_VECTOR_OPTIONS = optionNames<RepeatVectorArgs>({ ...LAYER, n: true });
export const PERMUTE_OPTIONS = optionNames<PermuteArgs>({ ...LAYER, dims: true });
export const CROPPING2D_OPTIONS = optionNames<Cropping2DArgs>({ ...LAYER, cropping: true, dataFormat: true });
export const ZERO_PADDING1D_OPTIONS = optionNames<ZeroPadding1DArgs>({ ...LAYER, padding: true });
export const CROPPING1D_OPTIONS = optionNames<Cropping1DArgs>({ ...LAYER, cropping: true });
export const UP_SAMPLING1D_OPTIONS = optionNames<UpSampling1DArgs>({ ...LAYER, size: true });
export const DOT_OPTIONS = optionNames<DotArgs>({ ...LAYER, axes: true, normalize: true });
export const RESCALING_OPTIONS = optionNames<RescalingArgs>({ ...LAYER, scale: true, offset: true });
export const GAUSSIAN_NOISE_OPTIONS = optionNames<GaussianNoiseArgs>({ ...LAYER, stddev: true, seed: true });
export const GAUSSIAN_DROPOUT_OPTIONS = optionNames<NoiseRateArgs>({ ...LAYER, rate: true, seed: true });
export const ALPHA_DROPOUT_OPTIONS = optionNames<AlphaDropoutArgs>({ ...LAYER, rate: true, noiseShape: true, seed: true });
export const SPATIAL_DROPOUT1D_OPTIONS = optionNames<SpatialDropout1DArgs>({ ...LAYER, rate: true, noiseShape: true, seed: true });
export const SPATIAL_DROPOUT_OPTIONS = optionNames<SpatialDropoutArgs>({ ...LAYER, rate: true, dataFormat: true, seed: true });
export const BIDIRECTIONAL_OPTIONS = optionNames<BidirectionalArgs>({ ...LAYER, layer: true, mergeMode: true, backwardLayer: true });
export const TIME_DISTRIBUTED_OPTIONS = optionNames<TimeDistributedArgs>({ ...LAYER, layer: true });
export const SPECTRAL_NORMALIZATION_OPTIONS = optionNames<SpectralNormalizationArgs>({ ...LAYER, layer: true, powerIterations: true });
export const MASKING_OPTIONS = optionNames<MaskingArgs>({ ...LAYER, maskValue: true });
export const CONV3D_OPTIONS = optionNames<Conv3DArgs>({ ...KERNEL_BIAS_LAYER, ...WINDOW, ...LORA, filters: true, kernelSize: true, dilationRate: true, groups: true });
export const CONV3D_TRANSPOSE_OPTIONS = optionNames<Conv3DTransposeArgs>({ ...KERNEL_BIAS_LAYER, ...WINDOW, filters: true, kernelSize: true, dilationRate: true, outputPadding: true });
export const CONV1D_TRANSPOSE_OPTIONS = optionNames<Conv1DTransposeArgs>({ ...KERNEL_BIAS_LAYER, ...WINDOW, filters: true, kernelSize: true, dilationRate: true, outputPadding: true });
export const POOLING3D_OPTIONS = optionNames<Pooling3DArgs>({ ...LAYER, ...WINDOW, poolSize: true });
export const GLOBAL_POOLING3D_OPTIONS = optionNames<GlobalPooling3DArgs>({ ...LAYER, dataFormat: true, keepdims: true });
export const ZERO_PADDING3D_OPTIONS = optionNames<ZeroPadding3DArgs>({ ...LAYER, padding: true, dataFormat: true });
export const CROPPING3D_OPTIONS = optionNames<Cropping3DArgs>({ ...LAYER, cropping: true, dataFormat: true });
export const UP_SAMPLING3D_OPTIONS = optionNames<UpSampling3DArgs>({ ...LAYER, size: true, dataFormat: true });

export const RESIZING_OPTIONS = optionNames<ResizingArgs>({ ...LAYER, height: true, width: true, interpolation: true, cropToAspectRatio: true, dataFormat: true });
export const CENTER_CROP_OPTIONS = optionNames<CenterCropArgs>({ ...LAYER, height: true, width: true });
export const CATEGORY_ENCODING_OPTIONS = optionNames<CategoryEncodingArgs>({ ...LAYER, numTokens: true, outputMode: true });
export const NORMALIZATION_OPTIONS = optionNames<NormalizationArgs>({ ...LAYER, axis: true, mean: true, variance: true, invert: true });
export const DISCRETIZATION_OPTIONS = optionNames<DiscretizationArgs>({ ...LAYER, binBoundaries: true, numBins: true, epsilon: true, outputMode: true, sparse: true });
export const INTEGER_LOOKUP_OPTIONS = optionNames<IntegerLookupArgs>({ ...LAYER, vocabulary: true, maxTokens: true, numOovIndices: true, maskToken: true, oovToken: true, invert: true, outputMode: true, idfWeights: true, padToMaxTokens: true, sparse: true });
export const HASHING_OPTIONS = optionNames<HashingArgs>({ ...LAYER, numBins: true, maskValue: true, salt: true, outputMode: true, sparse: true });
export const STFT_SPECTROGRAM_OPTIONS = optionNames<STFTSpectrogramArgs>({
  ...LAYER, mode: true, frameLength: true, frameStep: true, fftLength: true, window: true, periodic: true, scaling: true, padding: true, expandDims: true, dataFormat: true,
});
export const MEL_SPECTROGRAM_OPTIONS = optionNames<MelSpectrogramArgs>({
  ...LAYER, fftLength: true, sequenceStride: true, sequenceLength: true, window: true, samplingRate: true, numMelBins: true,
  minFreq: true, maxFreq: true, powerToDb: true, topDb: true, magExp: true, minPower: true, refPower: true,
});
export const RANDOM_FLIP_OPTIONS = optionNames<RandomFlipArgs>({ ...LAYER, mode: true, seed: true });

export const AFFINE = optionNames<AffineAugmentationArgs>({
  ...LAYER, fillMode: true, interpolation: true, seed: true, fillValue: true, dataFormat: true,
});
export const RANDOM_TRANSLATION_OPTIONS = [...AFFINE, 'heightFactor', 'widthFactor'];
export const RANDOM_ROTATION_OPTIONS = [...AFFINE, 'factor'];
export const RANDOM_ZOOM_OPTIONS = [...AFFINE, 'heightFactor', 'widthFactor'];
export const COLOR = optionNames<ColorAugmentationArgs>({ ...LAYER, valueRange: true, seed: true });
export const RANDOM_CONTRAST_OPTIONS = [...COLOR, 'factor'];
export const RANDOM_BRIGHTNESS_OPTIONS = [...COLOR, 'factor'];
export const RANDOM_GRAYSCALE_OPTIONS = optionNames<RandomGrayscaleArgs>({ ...LAYER, factor: true, seed: true, dataFormat: true });
export const RANDOM_INVERT_OPTIONS = optionNames<RandomInvertArgs>({ ...LAYER, factor: true, valueRange: true, seed: true, dataFormat: true });
export const SOLARIZATION_OPTIONS = optionNames<SolarizationArgs>({ ...LAYER, additionFactor: true, thresholdFactor: true, valueRange: true, seed: true });
export const RANDOM_POSTERIZATION_OPTIONS = optionNames<RandomPosterizationArgs>({ ...LAYER, factor: true, valueRange: true, seed: true, dataFormat: true });
export const RANDOM_COLOR_DEGENERATION_OPTIONS = optionNames<RandomColorDegenerationArgs>({ ...LAYER, factor: true, valueRange: true, seed: true, dataFormat: true });
export const HSV_OPTIONS = optionNames<RandomSaturationArgs & RandomHueArgs>({ ...LAYER, factor: true, valueRange: true, seed: true, dataFormat: true });
export const RANDOM_SHARPNESS_OPTIONS = optionNames<RandomSharpnessArgs>({ ...LAYER, factor: true, valueRange: true, seed: true, dataFormat: true });
export const AUTO_CONTRAST_OPTIONS = optionNames<AutoContrastArgs>({ ...LAYER, valueRange: true });
export const RANDOM_CROP_OPTIONS = optionNames<RandomCropArgs>({ ...LAYER, height: true, width: true, seed: true, dataFormat: true });
