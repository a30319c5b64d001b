// km.layers' Keras' preprocessing and augmentation layers, re-exported from the modules that hold each class and its factory.
export { categoryEncoding, CategoryEncoding, type CategoryEncodingArgs, type CategoryOutputMode } from './category_encoding.js';
export { centerCrop, CenterCrop, type CenterCropArgs } from './center_crop.js';
export { discretization, Discretization, type DiscretizationArgs } from './discretization.js';
export { hashing, Hashing, type HashingArgs } from './hashing.js';
export { integerLookup, IntegerLookup, type IntegerLookupArgs } from './integer_lookup.js';
export { normalization, Normalization, type NormalizationArgs } from './normalization.js';
export { randomFlip, RandomFlip, type RandomFlipArgs, type RandomFlipMode } from './random_flip.js';
export { resizing, Resizing, type ResizingArgs } from './resizing.js';
export { hashedCrossing, HashedCrossing, type CrossFeature, type HashedCrossingArgs } from './hashed_crossing.js';
export { stringLookup, StringLookup, type StringLookupArgs } from './string_lookup.js';
export { stftSpectrogram, STFTSpectrogram, type STFTSpectrogramArgs } from './stft_spectrogram.js';
export { melSpectrogram, MelSpectrogram, type MelSpectrogramArgs } from './mel_spectrogram.js';
export { textVectorization, TextVectorization, type TextVectorizationArgs, type TextVectorizationOutput, type TextVectorizationSample } from './text_vectorization.js';

export type { TextNgrams, TextSplit, TextStandardize } from './text_standardize.js';
export type { SpectrogramMode } from './spectrum_modes.js';
export type { WindowScaling, WindowSpec } from './dft_kernels.js';
