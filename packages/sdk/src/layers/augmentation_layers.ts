// The km.layers factories of Keras' image augmentation layers, each checking its options.
import { checkOptions, optionNames } from '../utils/options.js';
import type { AffineAugmentationArgs } from './random_affine.js';
import { RandomRotation, type RandomRotationArgs } from './random_rotation.js';
import { RandomTranslation, type RandomTranslationArgs } from './random_translation.js';
import { RandomZoom, type RandomZoomArgs } from './random_zoom.js';
import type { ColorAugmentationArgs } from './random_color.js';
import { RandomContrast, type RandomContrastArgs } from './random_contrast.js';
import { RandomBrightness, type RandomBrightnessArgs } from './random_brightness.js';
import { RandomCrop, type RandomCropArgs } from './random_crop.js';
import { GRAYSCALE_WEIGHTS, RandomGrayscale, type RandomGrayscaleArgs } from './random_grayscale.js';
import { RandomInvert, type RandomInvertArgs } from './random_invert.js';
import { Solarization, type SolarizationArgs } from './solarization.js';
import { RandomPosterization, type RandomPosterizationArgs } from './random_posterization.js';
import { AutoContrast, type AutoContrastArgs } from './auto_contrast.js';
import { RandomColorDegeneration, type RandomColorDegenerationArgs } from './random_color_degeneration.js';
import { RandomSaturation, type RandomSaturationArgs } from './random_saturation.js';
import { RandomHue, type RandomHueArgs } from './random_hue.js';
import { RandomSharpness, type RandomSharpnessArgs } from './random_sharpness.js';
import { checkRequiredOptions, LAYER } from './layer_options.js';

const AFFINE = optionNames<AffineAugmentationArgs>({
  ...LAYER, fillMode: true, interpolation: true, seed: true, fillValue: true, dataFormat: true,
});
const RANDOM_TRANSLATION_OPTIONS = [...AFFINE, 'heightFactor', 'widthFactor'];
const RANDOM_ROTATION_OPTIONS = [...AFFINE, 'factor'];
const RANDOM_ZOOM_OPTIONS = [...AFFINE, 'heightFactor', 'widthFactor'];
const COLOR = optionNames<ColorAugmentationArgs>({ ...LAYER, valueRange: true, seed: true });
const RANDOM_CONTRAST_OPTIONS = [...COLOR, 'factor'];
const RANDOM_BRIGHTNESS_OPTIONS = [...COLOR, 'factor'];
const RANDOM_GRAYSCALE_OPTIONS = optionNames<RandomGrayscaleArgs>({ ...LAYER, factor: true, seed: true, dataFormat: true });
const RANDOM_INVERT_OPTIONS = optionNames<RandomInvertArgs>({ ...LAYER, factor: true, valueRange: true, seed: true, dataFormat: true });
const SOLARIZATION_OPTIONS = optionNames<SolarizationArgs>({ ...LAYER, additionFactor: true, thresholdFactor: true, valueRange: true, seed: true });
const RANDOM_POSTERIZATION_OPTIONS = optionNames<RandomPosterizationArgs>({ ...LAYER, factor: true, valueRange: true, seed: true, dataFormat: true });
const RANDOM_COLOR_DEGENERATION_OPTIONS = optionNames<RandomColorDegenerationArgs>({ ...LAYER, factor: true, valueRange: true, seed: true, dataFormat: true });
const HSV_OPTIONS = optionNames<RandomSaturationArgs & RandomHueArgs>({ ...LAYER, factor: true, valueRange: true, seed: true, dataFormat: true });
const RANDOM_SHARPNESS_OPTIONS = optionNames<RandomSharpnessArgs>({ ...LAYER, factor: true, valueRange: true, seed: true, dataFormat: true });
const AUTO_CONTRAST_OPTIONS = optionNames<AutoContrastArgs>({ ...LAYER, valueRange: true });
const RANDOM_CROP_OPTIONS = optionNames<RandomCropArgs>({ ...LAYER, height: true, width: true, seed: true, dataFormat: true });

/** Shifts images by a random fraction of their size while training. @example `km.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 })` */
export function randomTranslation(args: RandomTranslationArgs): RandomTranslation {
  checkRequiredOptions(args, RANDOM_TRANSLATION_OPTIONS, 'km.layers.randomTranslation');
  return new RandomTranslation(args);
}

/** Rotates images by a random fraction of a turn while training. @example `km.layers.randomRotation({ factor: 0.1 })` */
export function randomRotation(args: RandomRotationArgs): RandomRotation {
  checkRequiredOptions(args, RANDOM_ROTATION_OPTIONS, 'km.layers.randomRotation');
  return new RandomRotation(args);
}

/** Zooms images in or out at random while training. @example `km.layers.randomZoom({ heightFactor: 0.2 })` */
export function randomZoom(args: RandomZoomArgs): RandomZoom {
  checkRequiredOptions(args, RANDOM_ZOOM_OPTIONS, 'km.layers.randomZoom');
  return new RandomZoom(args);
}

/** Scales each image's contrast by a random factor while training. @example `km.layers.randomContrast({ factor: 0.2, valueRange: [0, 1] })` */
export function randomContrast(args: RandomContrastArgs): RandomContrast {
  checkRequiredOptions(args, RANDOM_CONTRAST_OPTIONS, 'km.layers.randomContrast');
  return new RandomContrast(args);
}

/** Shifts each image's brightness by a random amount while training. @example `km.layers.randomBrightness({ factor: 0.2, valueRange: [0, 1] })` */
export function randomBrightness(args: RandomBrightnessArgs): RandomBrightness {
  checkRequiredOptions(args, RANDOM_BRIGHTNESS_OPTIONS, 'km.layers.randomBrightness');
  return new RandomBrightness(args);
}

/** Cuts a random window (one per batch, as Keras) out of the images while training (a centred one at inference). @example `km.layers.randomCrop({ height: 24, width: 24 })` */
export function randomCrop(args: RandomCropArgs): RandomCrop {
  checkRequiredOptions(args, RANDOM_CROP_OPTIONS, 'km.layers.randomCrop');
  return new RandomCrop(args);
}

/** Turns each RGB image grey (keeping 3 channels) with probability `factor` while training, as Keras 3's RandomGrayscale. @example `km.layers.randomGrayscale({ factor: 0.2 })` */
export function randomGrayscale(args?: RandomGrayscaleArgs): RandomGrayscale {
  checkOptions(args, RANDOM_GRAYSCALE_OPTIONS, 'km.layers.randomGrayscale');
  return new RandomGrayscale(args);
}

/** Inverts images (x → high − x) at random while training, as Keras 3's RandomInvert. @example `km.layers.randomInvert({ factor: 0.5, valueRange: [0, 1] })` */
export function randomInvert(args?: RandomInvertArgs): RandomInvert {
  checkOptions(args, RANDOM_INVERT_OPTIONS, 'km.layers.randomInvert');
  return new RandomInvert(args);
}

/** Flips the values at or above a threshold drawn per image (v → 255 − v, in [0, 255] terms) while training, as Keras 3's Solarization. @example `km.layers.solarization({ thresholdFactor: 0.5, valueRange: [0, 1] })` */
export function solarization(args?: SolarizationArgs): Solarization {
  checkOptions(args, SOLARIZATION_OPTIONS, 'km.layers.solarization');
  return new Solarization(args);
}

/** Keeps only the top bits of each image's values (as bytes) while training, as Keras 3's RandomPosterization. @example `km.layers.randomPosterization({ factor: [3, 6], valueRange: [0, 1] })` */
export function randomPosterization(args: RandomPosterizationArgs): RandomPosterization {
  checkRequiredOptions(args, RANDOM_POSTERIZATION_OPTIONS, 'km.layers.randomPosterization');
  return new RandomPosterization(args);
}

/** Stretches each image's channels over the value range, in training and inference alike, as Keras 3's AutoContrast. @example `km.layers.autoContrast({ valueRange: [0, 1] })` */
export function autoContrast(args?: AutoContrastArgs): AutoContrast {
  checkOptions(args, AUTO_CONTRAST_OPTIONS, 'km.layers.autoContrast');
  return new AutoContrast(args);
}

/** Blends each RGB image toward its grey version by a factor drawn per image while training, as Keras 3's RandomColorDegeneration. @example `km.layers.randomColorDegeneration({ factor: [0, 0.5], valueRange: [0, 1] })` */
export function randomColorDegeneration(args: RandomColorDegenerationArgs): RandomColorDegeneration {
  checkRequiredOptions(args, RANDOM_COLOR_DEGENERATION_OPTIONS, 'km.layers.randomColorDegeneration');
  return new RandomColorDegeneration(args);
}

/** Scales each RGB image's saturation by f / (1 − f), f drawn per image, while training, as Keras 3's RandomSaturation. @example `km.layers.randomSaturation({ factor: [0.3, 0.7], valueRange: [0, 1] })` */
export function randomSaturation(args: RandomSaturationArgs): RandomSaturation {
  checkRequiredOptions(args, HSV_OPTIONS, 'km.layers.randomSaturation');
  return new RandomSaturation(args);
}

/** Turns each RGB image's hue by a random fraction of a turn while training, as Keras 3's RandomHue. @example `km.layers.randomHue({ factor: 0.2, valueRange: [0, 1] })` */
export function randomHue(args: RandomHueArgs): RandomHue {
  checkRequiredOptions(args, HSV_OPTIONS, 'km.layers.randomHue');
  return new RandomHue(args);
}

/** Blurs or sharpens each image by a factor drawn per image while training, as Keras 3's RandomSharpness. @example `km.layers.randomSharpness({ factor: [0.3, 0.7], valueRange: [0, 1] })` */
export function randomSharpness(args: RandomSharpnessArgs): RandomSharpness {
  checkRequiredOptions(args, RANDOM_SHARPNESS_OPTIONS, 'km.layers.randomSharpness');
  return new RandomSharpness(args);
}

export { RandomCrop, type RandomCropArgs };
export { RandomSharpness, type RandomSharpnessArgs };
export { RandomHue, RandomSaturation, type RandomHueArgs, type RandomSaturationArgs };
export { HsvAugmentation, type HsvAugmentationArgs } from './hsv_augmentation.js';
export { RandomColorDegeneration, type RandomColorDegenerationArgs };
export { AutoContrast, GRAYSCALE_WEIGHTS, RandomGrayscale, RandomInvert, RandomPosterization, Solarization, type RandomGrayscaleArgs, type RandomInvertArgs, type RandomPosterizationArgs, type SolarizationArgs, type AutoContrastArgs };
export { RandomRotation, RandomTranslation, RandomZoom, type RandomRotationArgs, type RandomTranslationArgs, type RandomZoomArgs };
export { RandomBrightness, RandomContrast, type RandomBrightnessArgs, type RandomContrastArgs };
export { ColorAugmentation, type ColorAugmentationArgs } from './random_color.js';
export { AffineAugmentation, type AffineAugmentationArgs, type AugmentationFactor } from './random_affine.js';
export { randomWidth, RandomWidth, type RandomWidthArgs } from './random_width.js';
export { randomShear, RandomShear, type RandomShearArgs } from './random_shear.js';
export { randomPerspective, RandomPerspective, type RandomPerspectiveArgs } from './random_perspective.js';
export { randomResizedCrop, RandomResizedCrop, type RandomResizedCropArgs } from './random_resized_crop.js';
export { randomErasing, RandomErasing, type RandomErasingArgs } from './random_erasing.js';
export { randomGaussianBlur, RandomGaussianBlur, type RandomGaussianBlurArgs } from './random_gaussian_blur.js';
export { equalization, Equalization, type EqualizationArgs } from './equalization.js';
export { randomColorJitter, RandomColorJitter, type RandomColorJitterArgs } from './random_color_jitter.js';
