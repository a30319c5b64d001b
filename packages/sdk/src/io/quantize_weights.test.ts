import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { floatToHalf, quantizationPlan, quantizeWeight } from './quantize_weights.js';
import { packWeights } from './weights.js';
import { Random } from '../utils/random.js';

// Every half float's value as tfjs-core 4.22 decodes it, by bit pattern.
const allHalves = tf.io.decodeWeights(Uint16Array.from({ length: 65536 }, (_, i) => i).buffer, [{ name: 'h', shape: [65536], dtype: 'float32', quantization: { dtype: 'float16' } }]).h.dataSync();

/**
 * IEEE round-to-nearest-even by search: the nearest of the non-negative halves (whose values grow
 * with their bits, 0x7c00 standing for 2^16 as the rounding rule's overflow point), ties to the even
 * pattern.
 */
function referenceHalf(value: number): number {
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  const valueOf = (bits: number) => (bits === 0x7c00 ? 65536 : allHalves[bits]);
  if (magnitude >= 65536) return sign | 0x7c00;
  let lo = 0;
  let hi = 0x7c00;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (valueOf(mid) <= magnitude) lo = mid;
    else hi = mid;
  }
  const below = magnitude - valueOf(lo);
  const above = valueOf(hi) - magnitude;
  return sign | (below < above ? lo : above < below ? hi : lo % 2 === 0 ? lo : hi);
}

describe('floatToHalf', () => {
  it('rounds edge cases as IEEE half does: zeros, subnormals, the largest half, overflow, ties to even', () => {
    const cases = [
      0, -0, 2 ** -24, 2 ** -25, 3 * 2 ** -25, 5 * 2 ** -25, 2 ** -14, 2 ** -14 - 2 ** -25, 2 ** -14 - 2 ** -24, -(2 ** -20),
      1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 - 2 ** -12, 2 - 2 ** -12, 0.1, -0.1, 1 / 3, Math.PI,
      65504, 65505, 65519, Math.fround(65519.99), 65520, 65536, 1e10, -65520, Infinity, -Infinity, 2 ** -30, -(2 ** -30),
    ];
    for (const v of cases) expect(floatToHalf(Math.fround(v)), `${v}`).toBe(referenceHalf(Math.fround(v)));
    // Spot checks of the rule itself, not of either implementation.
    expect(floatToHalf(-0)).toBe(0x8000);
    expect(floatToHalf(65504)).toBe(0x7bff);
    expect(floatToHalf(65520)).toBe(0x7c00);
    expect(floatToHalf(2 ** -25)).toBe(0);
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00);
  });

  it('gives NaN for NaN', () => {
    expect(allHalves[floatToHalf(Number.NaN)]).toBeNaN();
  });

  it('agrees with the reference on random float32 values across the half range', () => {
    const random = new Random(5);
    const bits = new Uint32Array(1);
    const float = new Float32Array(bits.buffer);
    for (let i = 0; i < 20000; i++) {
      // Exponents from 2^-30 to 2^17, random significands and signs.
      bits[0] = ((Math.floor(random.uniform(0, 2)) << 31) | ((97 + Math.floor(random.uniform(0, 48))) << 23) | Math.floor(random.uniform(0, 2 ** 23))) >>> 0;
      expect(floatToHalf(float[0])).toBe(referenceHalf(float[0]));
    }
  });
});

describe('quantizeWeight (uint8, uint16) follows tensorflowjs_converter', () => {
  it("gives the converter's own documented example: [0, -0.1, 1.2] → [20, 0, 255] with a nudged min", () => {
    // write_weights.py's _quantize_entry docstring.
    const { bytes, quantization } = quantizeWeight(Float32Array.of(0, -0.1, 1.2), 'uint8', 'w');
    expect(Array.from(bytes)).toEqual([20, 0, 255]);
    expect(quantization.dtype).toBe('uint8');
    expect(quantization.original_dtype).toBe('float32');
    expect(quantization.min).toBeCloseTo(-0.10196078817, 11);
    expect(quantization.scale).toBeCloseTo(0.00509803940852, 14);
  });

  it('keeps a range without 0 as it is (no nudge) and stores 0 exactly when the range holds it', () => {
    const positive = Float32Array.of(0.5, 1, 2, 1.25);
    const { bytes, quantization } = quantizeWeight(positive, 'uint8', 'w');
    const scale = (2 - 0.5) / 255;
    expect(quantization.min).toBe(0.5);
    expect(quantization.scale).toBe(scale);
    expect(Array.from(bytes)).toEqual([0, Math.round(0.5 / scale), 255, Math.round(0.75 / scale)]);

    const negative = quantizeWeight(Float32Array.of(-3, -1), 'uint16', 'w');
    expect(negative.quantization.min).toBe(-3);
    expect(negative.quantization.scale).toBe(2 / 65535);
    expect(Array.from(new Uint16Array(negative.bytes.buffer))).toEqual([0, 65535]);

    const straddling = quantizeWeight(Float32Array.of(-0.3, 0, 0.71, 0.2), 'uint8', 'w');
    const q = Array.from(straddling.bytes);
    expect(q[1] * straddling.quantization.scale! + straddling.quantization.min!).toBe(0);
  });

  it('stores a constant weight as zeros with min its value and scale 1', () => {
    for (const value of [0, -2.5, 7]) {
      const { bytes, quantization } = quantizeWeight(new Float32Array(5).fill(value), 'uint16', 'w');
      expect(Array.from(bytes)).toEqual(new Array(10).fill(0));
      expect(quantization).toEqual({ dtype: 'uint16', min: value, scale: 1, original_dtype: 'float32' });
    }
  });

  it('stores every value within scale/2 of the original', () => {
    const random = new Random(3);
    const values = Float32Array.from({ length: 1000 }, () => random.uniform(-0.7, 0.4));
    for (const dtype of ['uint8', 'uint16'] as const) {
      const { bytes, quantization } = quantizeWeight(values, dtype, 'w');
      const stored = dtype === 'uint8' ? bytes : new Uint16Array(bytes.buffer);
      const { min, scale } = quantization as { min: number; scale: number };
      values.forEach((v, i) => expect(Math.abs(stored[i] * scale + min - v)).toBeLessThanOrEqual(scale / 2 + 1e-12));
    }
  });

  it('refuses NaN and Infinity in a uint8/uint16 weight, naming it; float16 stores them', () => {
    expect(() => quantizeWeight(Float32Array.of(1, Number.NaN), 'uint8', 'dense/kernel')).toThrow(/weight 'dense\/kernel' holds NaN.*quantize: 'float16'/);
    expect(() => quantizeWeight(Float32Array.of(Infinity), 'uint16', 'b')).toThrow(/holds Infinity/);
    expect(Array.from(new Uint16Array(quantizeWeight(Float32Array.of(Infinity, -Infinity), 'float16', 'b').bytes.buffer))).toEqual([0x7c00, 0xfc00]);
  });
});

describe('quantizationPlan', () => {
  const names = ['dense_Dense1/kernel', 'dense_Dense1/bias', 'conv2d_Conv2D1/kernel', 'step'];

  it('quantizes every weight for a dtype, and those matching a pattern for { dtype, weights }', () => {
    expect([...quantizationPlan('float16', names)]).toEqual(names.map((n) => [n, 'float16']));
    expect([...quantizationPlan({ dtype: 'uint8', weights: ['*kernel'] }, names).keys()]).toEqual(['dense_Dense1/kernel', 'conv2d_Conv2D1/kernel']);
    expect([...quantizationPlan({ dtype: 'uint8', weights: ['dense_*', 'st?p'] }, names).keys()]).toEqual(['dense_Dense1/kernel', 'dense_Dense1/bias', 'step']);
    expect(quantizationPlan(undefined, names).size).toBe(0);
  });

  it('reads regular-expression characters in a pattern literally', () => {
    expect([...quantizationPlan({ dtype: 'uint8', weights: ['a.b+'] }, ['a.b+', 'axbb']).keys()]).toEqual(['a.b+']);
  });

  it('names the valid dtypes for an unknown one, and the weights for a pattern that matches none', () => {
    expect(() => quantizationPlan('int8' as never, names)).toThrow(/quantize must be one of 'uint8', 'uint16', 'float16'.*Received: quantize="int8"/);
    expect(() => quantizationPlan({ dtype: 'float64' } as never, names)).toThrow(/one of 'uint8', 'uint16', 'float16'.*Received: quantize=\{"dtype":"float64"\}/);
    expect(() => quantizationPlan({ dtype: 'uint8', weights: ['dense/kernel'] }, names)).toThrow(/pattern 'dense\/kernel' matches no weight\. The model's weights are: dense_Dense1\/kernel, dense_Dense1\/bias/);
    expect(() => quantizationPlan({ dtype: 'uint8', weights: [] }, names)).toThrow(/non-empty list.*Received: quantize.weights=\[\]/);
    expect(() => quantizationPlan({ dtype: 'uint8', weight: ['*'] } as never, names)).toThrow(/has no option 'weight'; did you mean 'weights'/);
  });
});

describe('packWeights with quantization', () => {
  it('leaves int32 and empty weights unquantized, as the converter does, and packs the rest back to back', () => {
    const weights = [
      { name: 'a', shape: [3], values: Float32Array.of(1, 2, 3) },
      { name: 'n', shape: [2], values: Int32Array.of(7, -8) },
      { name: 'e', shape: [0], values: new Float32Array(0) },
      { name: 'b', shape: [2], values: Float32Array.of(0.5, 0.25) },
    ];
    const plan = new Map([['a', 'uint8'], ['n', 'uint8'], ['e', 'float16'], ['b', 'float16']] as const);
    const { specs, data } = packWeights(weights, plan);
    expect(specs.map((s) => [s.name, s.dtype, s.quantization?.dtype])).toEqual([['a', 'float32', 'uint8'], ['n', 'int32', undefined], ['e', 'float32', undefined], ['b', 'float32', 'float16']]);
    expect(data.byteLength).toBe(3 + 8 + 0 + 4);
    expect(Array.from(new Int32Array(data.slice(3, 11)))).toEqual([7, -8]);
    expect(Array.from(new Uint16Array(data.slice(11)), (h) => allHalves[h])).toEqual([0.5, 0.25]);
  });
});
