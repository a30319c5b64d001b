// The km.layers factories of Keras' preprocessing and augmentation layers, each checking its options.
import { checkOptions, optionNames } from '../utils/options.js';
import { CategoryEncoding, type CategoryEncodingArgs, type CategoryOutputMode } from './category_encoding.js';
import { CenterCrop, type CenterCropArgs } from './center_crop.js';
import { Discretization, type DiscretizationArgs } from './discretization.js';
import { Hashing, type HashingArgs } from './hashing.js';
import { IntegerLookup, type IntegerLookupArgs } from './integer_lookup.js';
import { Normalization, type NormalizationArgs } from './normalization.js';
import { RandomFlip, type RandomFlipArgs, type RandomFlipMode } from './random_flip.js';
import { Resizing, type ResizingArgs } from './resizing.js';
import { checkRequiredOptions, LAYER } from './layer_options.js';

const RESIZING_OPTIONS = optionNames<ResizingArgs>({ ...LAYER, height: true, width: true, interpolation: true, cropToAspectRatio: true, dataFormat: true });
const CENTER_CROP_OPTIONS = optionNames<CenterCropArgs>({ ...LAYER, height: true, width: true });
const CATEGORY_ENCODING_OPTIONS = optionNames<CategoryEncodingArgs>({ ...LAYER, numTokens: true, outputMode: true });
const NORMALIZATION_OPTIONS = optionNames<NormalizationArgs>({ ...LAYER, axis: true, mean: true, variance: true, invert: true });
const DISCRETIZATION_OPTIONS = optionNames<DiscretizationArgs>({ ...LAYER, binBoundaries: true, numBins: true, epsilon: true, outputMode: true, sparse: true });
const INTEGER_LOOKUP_OPTIONS = optionNames<IntegerLookupArgs>({ ...LAYER, vocabulary: true, maxTokens: true, numOovIndices: true, maskToken: true, oovToken: true, invert: true, outputMode: true, idfWeights: true, padToMaxTokens: true, sparse: true });
const HASHING_OPTIONS = optionNames<HashingArgs>({ ...LAYER, numBins: true, maskValue: true, salt: true, outputMode: true, sparse: true });
const RANDOM_FLIP_OPTIONS = optionNames<RandomFlipArgs>({ ...LAYER, mode: true, seed: true });

/** Resizes images to `height`×`width` (bilinear or nearest, Keras' half-pixel centres). @example `km.layers.resizing({ height: 64, width: 64 })` */
export function resizing(args: ResizingArgs): Resizing {
  checkRequiredOptions(args, RESIZING_OPTIONS, 'km.layers.resizing');
  return new Resizing(args);
}

/** Keeps the central `height`×`width` window of each image. @example `km.layers.centerCrop({ height: 24, width: 24 })` */
export function centerCrop(args: CenterCropArgs): CenterCrop {
  checkRequiredOptions(args, CENTER_CROP_OPTIONS, 'km.layers.centerCrop');
  return new CenterCrop(args);
}

/** Token ids to one-hot, multi-hot or count vectors. @example `km.layers.categoryEncoding({ numTokens: 10, outputMode: 'multiHot' })` */
export function categoryEncoding(args: CategoryEncodingArgs): CategoryEncoding {
  checkRequiredOptions(args, CATEGORY_ENCODING_OPTIONS, 'km.layers.categoryEncoding');
  return new CategoryEncoding(args);
}

/** Standardizes each feature with a mean and variance given or adapted from data. @example `await km.layers.normalization().adapt(x)` */
export function normalization(args?: NormalizationArgs): Normalization {
  checkOptions(args, NORMALIZATION_OPTIONS, 'km.layers.normalization');
  return new Normalization(args);
}

/** Bins values by boundaries given or adapted (quantiles). @example `km.layers.discretization({ binBoundaries: [0, 10, 100] })` */
export function discretization(args: DiscretizationArgs): Discretization {
  checkOptions(args, DISCRETIZATION_OPTIONS, 'km.layers.discretization');
  return new Discretization(args);
}

/** Maps whole-number tokens to vocabulary indices (or back, with invert). @example `km.layers.integerLookup({ vocabulary: [12, 7, 40] })` */
export function integerLookup(args?: IntegerLookupArgs): IntegerLookup {
  checkOptions(args, INTEGER_LOOKUP_OPTIONS, 'km.layers.integerLookup');
  return new IntegerLookup(args);
}

/** Hashes whole numbers into numBins bins, as Keras' Hashing (FarmHash, or SipHash with a salt). @example `km.layers.hashing({ numBins: 64 })` */
export function hashing(args: HashingArgs): Hashing {
  checkRequiredOptions(args, HASHING_OPTIONS, 'km.layers.hashing');
  return new Hashing(args);
}

/** Mirrors images at random while training. @example `km.layers.randomFlip({ mode: 'horizontal' })` */
export function randomFlip(args?: RandomFlipArgs): RandomFlip {
  checkOptions(args, RANDOM_FLIP_OPTIONS, 'km.layers.randomFlip');
  return new RandomFlip(args);
}

export {
  CategoryEncoding, CenterCrop, Discretization, Hashing, IntegerLookup, Normalization, RandomFlip, Resizing,
  type CategoryEncodingArgs, type CategoryOutputMode, type CenterCropArgs, type DiscretizationArgs, type HashingArgs, type IntegerLookupArgs, type NormalizationArgs, type RandomFlipArgs, type RandomFlipMode, type ResizingArgs,
};
export { hashedCrossing, HashedCrossing, type CrossFeature, type HashedCrossingArgs } from './hashed_crossing.js';
export { stringLookup, StringLookup, type StringLookupArgs } from './string_lookup.js';
export { textVectorization, TextVectorization, type TextVectorizationArgs, type TextVectorizationOutput, type TextVectorizationSample } from './text_vectorization.js';
export type { TextNgrams, TextSplit, TextStandardize } from './text_standardize.js';
