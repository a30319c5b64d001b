import { checkOptions, optionNames } from '../utils/options.js';
import type { WeightQuantization } from './types.js';

// Saving float32 weights quantized, byte for byte as tensorflowjs_converter's write_weights.py and
// quantization.py write them, so that tfjs' io.decodeWeights (and kerasm's) dequantize them.

/** The dtypes `model.save`'s `quantize` stores float32 weights as: tensorflowjs_converter's `--quantize_uint8`, `--quantize_uint16` and `--quantize_float16`. */
export const QUANTIZE_DTYPES = ['uint8', 'uint16', 'float16'] as const;

/** A dtype that `model.save`'s `quantize` stores float32 weights as. */
export type QuantizeDType = (typeof QUANTIZE_DTYPES)[number];

/**
 * `model.save`'s `quantize`: a dtype for every float32 weight, or a dtype for the weights whose
 * names match one of `weights`' patterns (`*` matches any run of characters, `/` included, and `?`
 * one character, as the converter's `--quantize_uint8='*kernel'` does).
 */
export type QuantizeConfig = QuantizeDType | { dtype: QuantizeDType; weights?: string[] };

interface QuantizeOptions {
  dtype: QuantizeDType;
  weights?: string[];
}

/**
 * The dtype each weight named in `names` is saved as under `quantize` (none: no entry); throws,
 * naming what was received, for an unknown dtype or a pattern that matches no weight.
 */
export function quantizationPlan(quantize: QuantizeConfig | undefined, names: readonly string[]): Map<string, QuantizeDType> {
  const plan = new Map<string, QuantizeDType>();
  if (quantize === undefined) return plan;
  const { dtype, weights } = quantizeOptions(quantize);
  const patterns = weights?.map((pattern) => ({ pattern, regex: wildcardRegex(pattern) }));
  for (const { pattern, regex } of patterns ?? []) {
    if (!names.some((name) => regex.test(name))) {
      throw new Error(`save: the quantize pattern '${pattern}' matches no weight. The model's weights are: ${names.join(', ')}. Received: quantize.weights=${JSON.stringify(weights)}.`);
    }
  }
  for (const name of names) {
    if (!patterns || patterns.some(({ regex }) => regex.test(name))) plan.set(name, dtype);
  }
  return plan;
}

function quantizeOptions(quantize: QuantizeConfig): QuantizeOptions {
  const options: QuantizeOptions = typeof quantize === 'string' ? { dtype: quantize } : quantize;
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) checkOptions(options, optionNames<QuantizeOptions>({ dtype: true, weights: true }), 'save({ quantize })');
  const dtype = (options as Partial<QuantizeOptions> | null)?.dtype;
  if (!(QUANTIZE_DTYPES as readonly unknown[]).includes(dtype)) {
    throw new Error(
      `save: quantize must be one of ${QUANTIZE_DTYPES.map((d) => `'${d}'`).join(', ')} (tensorflowjs_converter's --quantize_uint8, --quantize_uint16, --quantize_float16), or { dtype, weights: ['dense*/kernel'] }. ` +
        `Received: quantize=${JSON.stringify(quantize)}.`,
    );
  }
  const { weights } = options;
  if (weights !== undefined && !(Array.isArray(weights) && weights.length > 0 && weights.every((w) => typeof w === 'string' && w !== ''))) {
    throw new Error(`save: quantize.weights must be a non-empty list of weight name patterns such as ['dense*/kernel'], or left out to quantize every float32 weight. Received: quantize.weights=${JSON.stringify(weights)}.`);
  }
  return options;
}

/** fnmatch's `*` and `?` (Python's, which the converter uses) as an anchored regular expression. */
function wildcardRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

/**
 * A float32 weight's stored bytes and its manifest's `quantization` entry, as tensorflowjs_converter
 * writes them. uint8/uint16: `stored = round((clip(w, min, max) − min) / scale)` with
 * `scale = (max − min) / (2^bits − 1)`, the range nudged so that 0 is stored exactly when it is
 * within it, and a constant weight stored as zeros with `min` its value and `scale` 1. float16:
 * IEEE half floats, rounded to nearest even. `name` is for errors.
 */
export function quantizeWeight(values: Float32Array, dtype: QuantizeDType, name: string): { bytes: Uint8Array; quantization: WeightQuantization } {
  if (dtype === 'float16') {
    const halves = Uint16Array.from(values, floatToHalf);
    return { bytes: new Uint8Array(halves.buffer), quantization: { dtype, original_dtype: 'float32' } };
  }
  const { stored, min, scale } = affineQuantized(values, dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length), name);
  return { bytes: new Uint8Array(stored.buffer), quantization: { dtype, min, scale, original_dtype: 'float32' } };
}

/** quantization.py's quantize_weights for uint8/uint16, in float64 as numpy computes min, max and scale. */
function affineQuantized<T extends Uint8Array | Uint16Array>(values: Float32Array, stored: T, name: string): { stored: T; min: number; scale: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`save: weight '${name}' holds ${v}, which ${stored instanceof Uint8Array ? 'uint8' : 'uint16'} quantization cannot store (it maps the weight's finite range). Save it with quantize: 'float16', or without quantize.`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return { stored, min, scale: 1 };
  const quantMax = stored instanceof Uint8Array ? 255 : 65535;
  const scale = (max - min) / quantMax;
  // TF-Lite's nudge, as the converter does it: only when the range holds 0, which then maps to an integer.
  if (min <= 0 && 0 <= max) {
    min = -roundHalfEven(-min / scale) * scale;
    max = quantMax * scale + min;
  }
  for (let i = 0; i < values.length; i++) stored[i] = roundHalfEven((Math.min(Math.max(values[i], min), max) - min) / scale);
  return { stored, min, scale };
}

/** numpy's `round`: to the nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return fraction < 0.5 ? floor : floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * A float32 value as the bits of an IEEE 754 half float, rounded to nearest even (numpy's
 * `astype(float16)`): magnitudes from 65520 (halfway past the largest half, 65504) become
 * Infinity, those below 2^-14 subnormals, and NaN the quiet NaN 0x7e00.
 */
export function floatToHalf(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 65520) return sign | 0x7c00;
  // Subnormals are multiples of 2^-24; rounding up to 1024 of them gives 2^-14's bits, 0x0400.
  if (magnitude < 2 ** -14) return sign | roundHalfEven(magnitude * 2 ** 24);
  let exponent = Math.floor(Math.log2(magnitude));
  // log2 may be off by one next to a power of two.
  if (2 ** exponent > magnitude) exponent--;
  else if (2 ** (exponent + 1) <= magnitude) exponent++;
  // Exact: a float32's significand has 24 bits, so this scaling loses none of them.
  const mantissa = roundHalfEven((magnitude / 2 ** exponent - 1) * 1024);
  // A mantissa rounded up to 1024 carries into the exponent, as adding the bits does.
  return sign | (((exponent + 15) << 10) + mantissa);
}
