import { describe, expect, it } from 'vitest';
import { predictPixels } from './predict_input.js';

describe('predictPixels', () => {
  it('copies 784 values in [0, 1]', () => {
    const input = new Float32Array(784).fill(1);
    input[0] = 0;
    const pixels = predictPixels(input);
    expect(pixels).toEqual(input);
    expect(pixels).not.toBe(input);
  });

  it('refuses values outside [0, 1], NaN and infinities, naming the value, its index and the fix', () => {
    for (const [value, shown] of [[255, '255'], [-0.5, '-0.5'], [NaN, 'NaN'], [Infinity, 'Infinity']] as const) {
      const input = new Float32Array(784);
      input[3] = value;
      expect(() => predictPixels(input)).toThrow(`kerasm-mnist-demo: predict() takes pixel values in [0, 1] (ink bright, like MNIST). Received: ${shown} at index 3. Divide 0-255 bytes by 255`);
    }
  });

  it('refuses arrays of the wrong length or type, naming what it received', () => {
    expect(() => predictPixels(new Float32Array(10))).toThrow(/784 values \(28×28\)\. Received: Float32Array\(10\)/);
    expect(() => predictPixels([0, 1])).toThrow(/Received: \[object Array\]/);
  });
});
