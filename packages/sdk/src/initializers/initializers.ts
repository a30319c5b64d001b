import { tfjsObjectError } from '../engine/foreign_values.js';
import { toCamelCase } from '../io/keras_names.js';
import { checkConfigKeys } from '../utils/config_keys.js';
import { Random } from '../utils/random.js';
import { orthogonal } from './orthogonal.js';

/** Fills a weight of the given shape; `shape` follows the layer's weight layout. */
export type Initializer = (shape: readonly number[], random: Random) => Float32Array;

/**
 * An initializer as plain data, as tfjs' `getConfig()` gives it (Keras' saved `{class_name, config}`
 * with camelCase names and values), e.g.
 * `{ className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null } }`.
 * Keras' value spellings (`mode: 'fan_avg'`, `distribution: 'truncated_normal'`) are read too.
 */
export interface InitializerConfig {
  className: string;
  config: Record<string, unknown>;
}

/** What layers accept for an initializer: a name, a saved config, or a custom function (which cannot be saved). */
export type InitializerSpec = InitializerName | InitializerConfig | Initializer;

/** Fan-in and fan-out as Keras computes them (last two dims; leading dims are the receptive field). */
function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A normal sample redrawn until it lies within two standard deviations (Keras' truncated normal). */
function truncatedNormal(random: Random, mean: number, stddev: number): number {
  for (;;) {
    const z = random.normal();
    if (Math.abs(z) <= 2) return mean + stddev * z;
  }
}

type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
type Distribution = 'uniform' | 'normal' | 'truncatedNormal' | 'untruncatedNormal';
const FAN_MODES: readonly string[] = ['fanIn', 'fanOut', 'fanAvg'] satisfies FanMode[];
const DISTRIBUTIONS: readonly string[] = ['uniform', 'normal', 'truncatedNormal', 'untruncatedNormal'] satisfies Distribution[];

/**
 * A copy of an initializer's config with tfjs' camelCase `mode` and `distribution` (`'fan_in'` →
 * `'fanIn'`), which Keras and saved files spell in snake_case. Only VarianceScaling has them.
 */
function camelCaseValues(config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  for (const key of ['mode', 'distribution']) if (typeof out[key] === 'string') out[key] = toCamelCase(out[key] as string);
  return out;
}

/** Keras' VarianceScaling, of which Glorot, He and LeCun initializers are presets. */
function varianceScaling(scale: number, mode: FanMode, distribution: Distribution): Initializer {
  return (shape, random) => {
    const [fanIn, fanOut] = fans(shape);
    const n = Math.max(1, mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2);
    const variance = scale / n;
    if (distribution === 'uniform') {
      // (3·scale)/n rather than 3·(scale/n): one rounding, so presets draw exactly what they always drew.
      const limit = Math.sqrt((3 * scale) / n);
      return Float32Array.from({ length: size(shape) }, () => random.uniform(-limit, limit));
    }
    if (distribution === 'untruncatedNormal') {
      return Float32Array.from({ length: size(shape) }, () => Math.sqrt(variance) * random.normal());
    }
    // The constant is the stddev of a unit normal truncated to [-2, 2]; dividing restores the variance.
    const stddev = Math.sqrt(variance) / 0.8796256610342398;
    return Float32Array.from({ length: size(shape) }, () => truncatedNormal(random, 0, stddev));
  };
}

/** Named initializers and the config each gives (what TensorFlow.js' `getConfig()` gives for it). */
const PRESETS = {
  zeros: { className: 'Zeros', config: {} },
  ones: { className: 'Ones', config: {} },
  glorotUniform: vsConfig(1, 'fanAvg', 'uniform'),
  glorotNormal: vsConfig(1, 'fanAvg', 'normal'),
  heUniform: vsConfig(2, 'fanIn', 'uniform'),
  heNormal: vsConfig(2, 'fanIn', 'normal'),
  lecunUniform: vsConfig(1, 'fanIn', 'uniform'),
  lecunNormal: vsConfig(1, 'fanIn', 'normal'),
  orthogonal: { className: 'Orthogonal', config: { gain: 1, seed: null } },
  randomUniform: { className: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
  randomNormal: { className: 'RandomNormal', config: { mean: 0, stddev: 0.05, seed: null } },
  truncatedNormal: { className: 'TruncatedNormal', config: { mean: 0, stddev: 0.05, seed: null } },
  identity: { className: 'Identity', config: { gain: 1 } },
} satisfies Record<string, InitializerConfig>;

function vsConfig(scale: number, mode: FanMode, distribution: Distribution): InitializerConfig {
  return { className: 'VarianceScaling', config: { scale, mode, distribution, seed: null } };
}

type PresetName = keyof typeof PRESETS;

/** Names accepted for initialisers (camelCase, Keras snake_case, tfjs' `leCun...` spelling, and the class names tfjs also takes as names). */
export type InitializerName =
  | PresetName | 'glorot_uniform' | 'glorot_normal' | 'he_uniform' | 'he_normal' | 'lecun_uniform' | 'lecun_normal'
  | 'random_uniform' | 'random_normal' | 'truncated_normal' | 'leCunUniform' | 'leCunNormal' | 'varianceScaling' | 'variance_scaling' | InitializerClassName;

type InitializerClassName =
  | 'Zeros' | 'Ones' | 'GlorotUniform' | 'GlorotNormal' | 'HeUniform' | 'HeNormal' | 'LecunUniform' | 'LecunNormal' | 'LeCunUniform' | 'LeCunNormal'
  | 'Orthogonal' | 'RandomUniform' | 'RandomNormal' | 'TruncatedNormal' | 'Identity' | 'VarianceScaling' | 'OrthogonalInitializer' | 'IdentityInitializer';

/** The class names Keras 3 saves Orthogonal and Identity under (its classes' own names), read as tfjs' and Keras 2's. */
const KERAS3_CLASS_NAMES: Readonly<Record<string, string>> = { OrthogonalInitializer: 'Orthogonal', IdentityInitializer: 'Identity' };

/** `className`, or the name tfjs and Keras 2 give the class Keras 3 saves under it. */
function canonicalClassName(className: string): string {
  return KERAS3_CLASS_NAMES[className] ?? className;
}

/** Keras class names that are VarianceScaling presets (Keras 2/3 files save them by these names; tfjs' spelling LeCun too). */
const PRESET_CLASSES: Record<string, PresetName> = {
  GlorotUniform: 'glorotUniform',
  GlorotNormal: 'glorotNormal',
  HeUniform: 'heUniform',
  HeNormal: 'heNormal',
  LecunUniform: 'lecunUniform',
  LecunNormal: 'lecunNormal',
  LeCunUniform: 'lecunUniform',
  LeCunNormal: 'lecunNormal',
};

const ALIASES: Record<string, PresetName> = {
  glorot_uniform: 'glorotUniform',
  glorot_normal: 'glorotNormal',
  he_uniform: 'heUniform',
  he_normal: 'heNormal',
  lecun_uniform: 'lecunUniform',
  lecun_normal: 'lecunNormal',
  random_uniform: 'randomUniform',
  random_normal: 'randomNormal',
  truncated_normal: 'truncatedNormal',
  // TensorFlow.js' spellings; its 'varianceScaling' at its defaults (scale 1, fanIn, normal) is LeCun normal.
  leCunUniform: 'lecunUniform',
  leCunNormal: 'lecunNormal',
  varianceScaling: 'lecunNormal',
  variance_scaling: 'lecunNormal',
  // Class names, which tfjs takes as names too ('GlorotNormal'); VarianceScaling's defaults are LeCun normal's.
  ...PRESET_CLASSES,
  Zeros: 'zeros',
  Ones: 'ones',
  Orthogonal: 'orthogonal',
  RandomUniform: 'randomUniform',
  RandomNormal: 'randomNormal',
  TruncatedNormal: 'truncatedNormal',
  Identity: 'identity',
  VarianceScaling: 'lecunNormal',
  OrthogonalInitializer: 'orthogonal',
  IdentityInitializer: 'identity',
};

/** The config keys each class takes, as tfjs and Keras 3 save them (the presets' classes take only a seed in Keras 3). */
export const CONFIG_KEYS: Record<string, readonly string[]> = {
  Zeros: [],
  Ones: [],
  Constant: ['value'],
  RandomUniform: ['minval', 'maxval', 'seed'],
  RandomNormal: ['mean', 'stddev', 'seed'],
  TruncatedNormal: ['mean', 'stddev', 'seed'],
  Orthogonal: ['gain', 'seed'],
  Identity: ['gain'],
  VarianceScaling: ['scale', 'mode', 'distribution', 'seed'],
  ...Object.fromEntries(Object.keys(PRESET_CLASSES).map((className) => [className, ['seed']])),
};

function presetName(name: string): PresetName | undefined {
  const key = ALIASES[name] ?? name;
  return key in PRESETS ? (key as PresetName) : undefined;
}

function numberOr(config: Record<string, unknown>, key: string, fallback: number): number {
  const value = config[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`Initializer config field '${key}' must be a finite number. Received: ${key}=${JSON.stringify(value)}.`);
  }
  return value;
}

/** Keras' and tfjs' Identity: `gain` times the identity matrix, for 2-D weights only. */
function identity(shape: readonly number[], gain: number): Float32Array {
  if (shape.length !== 2) {
    throw new Error(`The Identity initializer needs a 2-D weight. Received: shape=[${shape.join(', ')}]. Use it for a Dense kernel or a recurrent kernel, not for ${shape.length === 1 ? 'a bias' : 'a convolution kernel'}.`);
  }
  const [rows, cols] = shape;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = gain;
  return out;
}

/**
 * Makes the initializer a saved config describes; throws for classes kerasm does not implement and
 * for keys the class does not take (`where` names the layer option in that error).
 * A config with a `seed` draws from its own generator, afresh on each call, so every weight it
 * fills gets the same values whatever the global seed, as a seeded initializer does in Keras and tfjs.
 */
function fromConfig(spec: InitializerConfig, where?: string): Initializer {
  const canonical = canonicalClassName(spec.className);
  // TF 1.x Keras wrote a dtype into every initializer's config; float32 is kerasm's only weight dtype.
  if (Object.hasOwn(CONFIG_KEYS, canonical)) checkConfigKeys(spec.config, CONFIG_KEYS[canonical], spec.className, 'initializer', where, ['dtype']);
  const draw = unseededFromConfig(spec);
  const seed = spec.config.seed;
  if (seed === null || seed === undefined) return draw;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new Error(`Initializer ${spec.className}'s seed must be an integer or null. Received: seed=${JSON.stringify(seed)}.`);
  }
  return (shape) => draw(shape, new Random(seed));
}

function unseededFromConfig({ className, config }: InitializerConfig): Initializer {
  const preset = PRESET_CLASSES[className];
  if (preset) return unseededFromConfig(PRESETS[preset]);
  switch (canonicalClassName(className)) {
    case 'Zeros':
      return (shape) => new Float32Array(size(shape));
    case 'Ones':
      return (shape) => new Float32Array(size(shape)).fill(1);
    case 'Constant': {
      const value = numberOr(config, 'value', 0);
      return (shape) => new Float32Array(size(shape)).fill(value);
    }
    case 'RandomUniform': {
      const [low, high] = [numberOr(config, 'minval', -0.05), numberOr(config, 'maxval', 0.05)];
      return (shape, random) => Float32Array.from({ length: size(shape) }, () => random.uniform(low, high));
    }
    case 'RandomNormal':
    case 'TruncatedNormal': {
      const [mean, stddev] = [numberOr(config, 'mean', 0), numberOr(config, 'stddev', 0.05)];
      const draw = className === 'RandomNormal' ? (r: Random) => mean + stddev * r.normal() : (r: Random) => truncatedNormal(r, mean, stddev);
      return (shape, random) => Float32Array.from({ length: size(shape) }, () => draw(random));
    }
    case 'Orthogonal': {
      const gain = numberOr(config, 'gain', 1);
      return (shape, random) => orthogonal(shape, random, gain);
    }
    case 'Identity': {
      const gain = numberOr(config, 'gain', 1);
      return (shape) => identity(shape, gain);
    }
    case 'VarianceScaling': {
      const named = camelCaseValues(config);
      const [mode, distribution] = [named.mode ?? 'fanIn', named.distribution ?? 'truncatedNormal'];
      if (!FAN_MODES.includes(mode as string)) {
        throw new Error(`VarianceScaling mode must be 'fanIn', 'fanOut' or 'fanAvg' (or Keras' 'fan_in', 'fan_out', 'fan_avg'). Received: mode=${JSON.stringify(config.mode)}.`);
      }
      if (!DISTRIBUTIONS.includes(distribution as string)) {
        throw new Error(`VarianceScaling distribution must be 'uniform', 'normal', 'truncatedNormal' or 'untruncatedNormal' (or Keras' 'truncated_normal', 'untruncated_normal'). Received: distribution=${JSON.stringify(config.distribution)}.`);
      }
      return varianceScaling(numberOr(config, 'scale', 1), mode as FanMode, distribution as Distribution);
    }
    default:
      throw new Error(`Unknown initializer class '${className}'. Known classes: ${[...Object.keys(CONFIG_KEYS), ...Object.keys(KERAS3_CLASS_NAMES)].join(', ')}.`);
  }
}

function isConfig(spec: unknown): spec is InitializerConfig {
  return typeof spec === 'object' && spec !== null && typeof (spec as InitializerConfig).className === 'string';
}

/**
 * What to pass instead of a TensorFlow.js initializer object: the preset of the same settings
 * (tfjs' HeNormal reports itself as a VarianceScaling) when it has no seed, else its class and
 * config as its `getConfig()` gives them, which kerasm reads as they are, seed included.
 */
function tfjsInitializerInstead(className: string, initializer: { getConfig(): Record<string, unknown> }): string {
  const config = initializer.getConfig();
  const preset = Object.entries(PRESETS).find(([, p]) => p.className === className && Object.entries(p.config).every(([key, value]) => (key === 'seed' ? config.seed == null : config[key] === value)));
  return preset ? `'${preset[0]}'` : `a name (${Object.keys(PRESETS).join(', ')}) or { className: '${className}', config: ${JSON.stringify(config)} }`;
}

/**
 * Resolves an initialiser by name or saved config, with an error listing the valid names; `where`
 * names the layer option in errors about a config (e.g. "Dense layer 'dense' kernelInitializer").
 */
export function getInitializer(spec: InitializerSpec, where?: string): Initializer {
  if (typeof spec === 'function') return spec;
  const foreign = tfjsObjectError('The initializer', spec, 'initializer', (className) => tfjsInitializerInstead(className, spec as unknown as { getConfig(): Record<string, unknown> }));
  if (foreign) throw foreign;
  if (isConfig(spec)) return fromConfig({ className: spec.className, config: spec.config ?? {} }, where);
  const preset = typeof spec === 'string' ? presetName(spec) : undefined;
  if (!preset) {
    throw new Error(`Unknown initializer ${JSON.stringify(spec)}. Valid initializers: ${Object.keys(PRESETS).join(', ')} (also in Keras' snake_case, glorot_uniform, and as class names, GlorotUniform), varianceScaling, or a config such as { className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'uniform' } }.`);
  }
  return fromConfig(PRESETS[preset]);
}

/**
 * An initializer's plain-data config as a layer's `getConfig()` gives it, in tfjs' form: a
 * VarianceScaling's `mode` and `distribution` in camelCase (`'fanAvg'`, `'truncatedNormal'`),
 * however they were given. Saving writes them back in Keras' snake_case (`io/layers_model_format.ts`).
 * `where` names the layer field in the error for a custom function, which has no config.
 *
 * @example `initializerConfig('heNormal', 'kernelInitializer')` gives
 * `{ className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', distribution: 'normal', seed: null } }`
 */
export function initializerConfig(spec: InitializerSpec, where: string): InitializerConfig {
  if (typeof spec === 'function') {
    throw new Error(`${where} is a custom function, which cannot be saved. Use a named initializer (e.g. 'glorotUniform') or a config ({ className, config }) to save this model.`);
  }
  if (isConfig(spec)) {
    // tfjs 4.22 writes customObjects into a config object a tfjs layer was given; it is no setting.
    const config = Object.fromEntries(Object.entries(spec.config ?? {}).filter(([key]) => key !== 'customObjects'));
    // Saved under tfjs' class name, which tfjs and Keras 2 read too.
    return { className: canonicalClassName(spec.className), config: camelCaseValues(config) };
  }
  getInitializer(spec);
  const preset = PRESETS[presetName(spec)!];
  return { className: preset.className, config: { ...preset.config } };
}
