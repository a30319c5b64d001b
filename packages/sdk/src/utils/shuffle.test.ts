import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('km.utils.shuffle, tfjs util.shuffle', () => {
  it('permutes an array or a typed array in place, the same way for the same seed', () => {
    const values = Array.from({ length: 50 }, (_, i) => i);
    km.utils.setRandomSeed(3);
    const a = [...values];
    km.utils.shuffle(a);
    km.utils.setRandomSeed(3);
    const b = Float32Array.from(values);
    km.utils.shuffle(b);
    expect(a).not.toEqual(values);
    expect([...a].sort((x, y) => x - y)).toEqual(values);
    expect(Array.from(b)).toEqual(a);
  });

  it('shuffleCombo keeps pairs together, and refuses arrays of different lengths', () => {
    km.utils.setRandomSeed(5);
    const xs = Array.from({ length: 20 }, (_, i) => i);
    const ys = Int32Array.from(xs, (x) => 100 + x);
    km.utils.shuffleCombo(xs, ys);
    expect(xs).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    xs.forEach((x, i) => expect(ys[i]).toBe(100 + x));
    expect(() => km.utils.shuffleCombo([1, 2], [1])).toThrow('must have the same length. Received lengths 2 and 1');
    expect(() => km.utils.shuffle('abc' as never)).toThrow('takes an array or a typed array');
  });
});
