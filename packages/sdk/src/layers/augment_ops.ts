import type { ResizeInterpolation } from '../backend/backend.js';
import { AutoContrast } from './auto_contrast.js';
import { Equalization } from './equalization.js';
import { imageStep, type ImageStep } from './image_step.js';
import type { Shape } from './layer.js';
import { RandomBrightness } from './random_brightness.js';
import { RandomColorDegeneration } from './random_color_degeneration.js';
import { RandomContrast } from './random_contrast.js';
import { RandomPosterization } from './random_posterization.js';
import { RandomRotation } from './random_rotation.js';
import { RandomSharpness } from './random_sharpness.js';
import { RandomShear } from './random_shear.js';
import { RandomTranslation } from './random_translation.js';
import { Solarization } from './solarization.js';

/** What Keras' RandAugment and AugMix hand each of their ops. */
export interface AugmentOpSettings {
  /** The policy's factor as its [lower, upper] range, within [0, 1]. */
  readonly range: readonly [number, number];
  readonly valueRange: [number, number];
  readonly interpolation: ResizeInterpolation;
}

type Range = [number, number];

/**
 * The ops of Keras' RandAugment and AugMix by Keras' attribute name, each the kerasm layer made
 * with the options those policies give it: the factor range as each layer's factor (posterization
 * max(1, ⌊8·upper⌋) bits), `interpolation` to the geometric ops, `valueRange` to the colour ops.
 */
const OPS = {
  random_shear: (s: AugmentOpSettings, name: string) => new RandomShear({ xFactor: [...s.range] as Range, yFactor: [...s.range] as Range, interpolation: s.interpolation, name }),
  random_translation: (s: AugmentOpSettings, name: string) => new RandomTranslation({ heightFactor: [...s.range] as Range, widthFactor: [...s.range] as Range, interpolation: s.interpolation, name }),
  random_rotation: (s: AugmentOpSettings, name: string) => new RandomRotation({ factor: [...s.range] as Range, interpolation: s.interpolation, name }),
  random_brightness: (s: AugmentOpSettings, name: string) => new RandomBrightness({ factor: [...s.range] as Range, valueRange: s.valueRange, name }),
  random_color_degeneration: (s: AugmentOpSettings, name: string) => new RandomColorDegeneration({ factor: [...s.range] as Range, valueRange: s.valueRange, name }),
  random_contrast: (s: AugmentOpSettings, name: string) => new RandomContrast({ factor: [...s.range] as Range, valueRange: s.valueRange, name }),
  random_sharpness: (s: AugmentOpSettings, name: string) => new RandomSharpness({ factor: [...s.range] as Range, valueRange: s.valueRange, name }),
  random_posterization: (s: AugmentOpSettings, name: string) => new RandomPosterization({ factor: Math.max(1, Math.floor(8 * s.range[1])), valueRange: s.valueRange, name }),
  solarization: (s: AugmentOpSettings, name: string) => new Solarization({ additionFactor: [...s.range] as Range, thresholdFactor: [...s.range] as Range, valueRange: s.valueRange, name }),
  auto_contrast: (s: AugmentOpSettings, name: string) => new AutoContrast({ valueRange: s.valueRange, name }),
  equalization: (s: AugmentOpSettings, name: string) => new Equalization({ valueRange: s.valueRange, name }),
};

export type AugmentOpName = keyof typeof OPS;

/** The named ops as steps, in the given order; `owner` names them (`owner/random_shear`). */
export function augmentOps(names: readonly AugmentOpName[], settings: AugmentOpSettings, owner: string): ImageStep[] {
  return names.map((op) => imageStep(OPS[op](settings, `${owner}/${op}`)));
}

/**
 * A policy's `factor` as its [lower, upper] range, as Keras' RandAugment and AugMix read it: f in
 * [0, 1] stands for [0, f], a pair within [0, 1] for itself, sorted.
 */
export function policyFactorRange(factor: unknown, where: string, example: number): [number, number] {
  const unit = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
  if (unit(factor)) return [0, factor];
  if (Array.isArray(factor) && factor.length === 2 && factor.every(unit)) {
    const [a, b] = factor as [number, number];
    return [Math.min(a, b), Math.max(a, b)];
  }
  throw new Error(`${where}: factor must be a number in [0, 1] (the range [0, factor]) or a [lower, upper] pair of numbers in [0, 1], the strength of every op, e.g. factor: ${example} (Keras' default) or factor: [0.1, 0.3]. Received: factor=${JSON.stringify(factor)}.`);
}

/** `interpolation` of a policy: 'bilinear' (Keras' default) or 'nearest'. */
export function policyInterpolation(interpolation: unknown, where: string): ResizeInterpolation {
  const value = interpolation ?? 'bilinear';
  if (value !== 'bilinear' && value !== 'nearest') {
    throw new Error(`${where}: interpolation must be 'bilinear' or 'nearest', how shear, translation and rotation sample. Received: interpolation=${JSON.stringify(interpolation)}.`);
  }
  return value;
}

/** Builds each op for the policy's input, naming the policy and the op that refuses it. */
export function buildAugmentOps(ops: readonly ImageStep[], inputShapes: readonly Shape[], where: string): void {
  for (const op of ops) {
    try {
      op.ensureBuilt(inputShapes);
    } catch (error) {
      throw new Error(`${where} runs ${op.layer.className} among its ops, which refuses these images: ${(error as Error).message}`);
    }
  }
}
