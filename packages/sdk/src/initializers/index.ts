// km.initializers: TensorFlow.js' initializer factories. Each gives the plain config that layers'
// initializer options take and getConfig() shows, so a model using one saves and loads.
import { checkOptions } from '../utils/options.js';
import { getInitializer, initializerConfig, type InitializerConfig } from './initializers.js';

export type { Initializer, InitializerConfig, InitializerName, InitializerSpec } from './initializers.js';

/** A seed makes an initializer draw the same values on every call, whatever `km.utils.setRandomSeed` set. */
export interface SeedArgs {
  seed?: number | null;
}

function made(call: string, args: object | undefined, allowed: readonly string[], className: string, config: Record<string, unknown>): InitializerConfig {
  checkOptions(args, allowed, `km.initializers.${call}`);
  const spec = { className, config };
  getInitializer(spec); // a bad value fails here, not later when a layer is built
  return initializerConfig(spec, `km.initializers.${call}`);
}

const seedOf = (args: SeedArgs) => args.seed ?? null;

/** All zeros. @example `km.layers.dense({ units: 4, kernelInitializer: km.initializers.zeros() })` */
export function zeros(): InitializerConfig {
  return made('zeros', undefined, [], 'Zeros', {});
}

/** All ones. */
export function ones(): InitializerConfig {
  return made('ones', undefined, [], 'Ones', {});
}

/** Every value `value`. @example `km.initializers.constant({ value: 0.1 })` */
export function constant(args: { value: number }): InitializerConfig {
  if (typeof args?.value !== 'number') throw new Error('km.initializers.constant needs the value to fill with, e.g. km.initializers.constant({ value: 0.1 }).');
  return made('constant', args, ['value'], 'Constant', { value: args.value });
}

/** Uniform in [minval, maxval) (defaults -0.05 and 0.05). */
export function randomUniform(args: { minval?: number; maxval?: number } & SeedArgs = {}): InitializerConfig {
  return made('randomUniform', args, ['minval', 'maxval', 'seed'], 'RandomUniform', { minval: args.minval ?? -0.05, maxval: args.maxval ?? 0.05, seed: seedOf(args) });
}

/** Normal with `mean` and `stddev` (defaults 0 and 0.05). */
export function randomNormal(args: { mean?: number; stddev?: number } & SeedArgs = {}): InitializerConfig {
  return made('randomNormal', args, ['mean', 'stddev', 'seed'], 'RandomNormal', { mean: args.mean ?? 0, stddev: args.stddev ?? 0.05, seed: seedOf(args) });
}

/** Normal with `mean` and `stddev` (defaults 0 and 0.05), redrawn beyond two standard deviations. */
export function truncatedNormal(args: { mean?: number; stddev?: number } & SeedArgs = {}): InitializerConfig {
  return made('truncatedNormal', args, ['mean', 'stddev', 'seed'], 'TruncatedNormal', { mean: args.mean ?? 0, stddev: args.stddev ?? 0.05, seed: seedOf(args) });
}

/** `gain` times the identity matrix, for 2-D weights. @example `km.layers.simpleRNN({ units: 8, recurrentInitializer: km.initializers.identity() })` */
export function identity(args: { gain?: number } = {}): InitializerConfig {
  return made('identity', args, ['gain'], 'Identity', { gain: args.gain ?? 1 });
}

/** A matrix with orthonormal rows or columns, times `gain` (default 1). */
export function orthogonal(args: { gain?: number } & SeedArgs = {}): InitializerConfig {
  return made('orthogonal', args, ['gain', 'seed'], 'Orthogonal', { gain: args.gain ?? 1, seed: seedOf(args) });
}

/** Arguments of {@link varianceScaling}; `mode` and `distribution` also take Keras' snake_case spellings. */
export interface VarianceScalingArgs extends SeedArgs {
  /** Default 1. */
  scale?: number;
  /** Whose fan the variance divides by; default `'fanIn'`. */
  mode?: 'fanIn' | 'fanOut' | 'fanAvg' | 'fan_in' | 'fan_out' | 'fan_avg';
  /** `'normal'` (the default) is truncated at two standard deviations, as in tfjs and Keras 2. */
  distribution?: 'normal' | 'uniform' | 'truncatedNormal' | 'untruncatedNormal' | 'truncated_normal' | 'untruncated_normal';
}

/**
 * Draws with variance `scale / n`, where n is the weight's fan-in, fan-out or their mean; the
 * Glorot, He and LeCun initializers are its presets.
 * @example `km.initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'uniform', seed: 1 })`
 */
export function varianceScaling(args: VarianceScalingArgs = {}): InitializerConfig {
  const config = { scale: args.scale ?? 1, mode: args.mode ?? 'fanIn', distribution: args.distribution ?? 'normal', seed: seedOf(args) };
  return made('varianceScaling', args, ['scale', 'mode', 'distribution', 'seed'], 'VarianceScaling', config);
}

function preset(call: string, args: SeedArgs, scale: number, mode: 'fanIn' | 'fanAvg', distribution: 'uniform' | 'normal'): InitializerConfig {
  return made(call, args, ['seed'], 'VarianceScaling', { scale, mode, distribution, seed: seedOf(args) });
}

/** Glorot (Xavier) uniform: variance 1 / mean fan. The default kernel initializer of most layers. */
export function glorotUniform(args: SeedArgs = {}): InitializerConfig {
  return preset('glorotUniform', args, 1, 'fanAvg', 'uniform');
}

/** Glorot (Xavier) normal: variance 1 / mean fan, truncated. */
export function glorotNormal(args: SeedArgs = {}): InitializerConfig {
  return preset('glorotNormal', args, 1, 'fanAvg', 'normal');
}

/** He uniform: variance 2 / fan-in, for ReLU layers. */
export function heUniform(args: SeedArgs = {}): InitializerConfig {
  return preset('heUniform', args, 2, 'fanIn', 'uniform');
}

/** He normal: variance 2 / fan-in, truncated, for ReLU layers. @example `km.initializers.heNormal({ seed: 42 })` */
export function heNormal(args: SeedArgs = {}): InitializerConfig {
  return preset('heNormal', args, 2, 'fanIn', 'normal');
}

/** LeCun uniform: variance 1 / fan-in, for SELU layers. */
export function leCunUniform(args: SeedArgs = {}): InitializerConfig {
  return preset('leCunUniform', args, 1, 'fanIn', 'uniform');
}

/** LeCun normal: variance 1 / fan-in, truncated, for SELU layers. */
export function leCunNormal(args: SeedArgs = {}): InitializerConfig {
  return preset('leCunNormal', args, 1, 'fanIn', 'normal');
}
