import { describe, expect, it } from 'vitest';
import { dataSampleShape, describeSampleSize, sampleSize } from './sample_shape.js';

describe('sample shapes with unknown dimensions', () => {
  it('sizes the one unknown dimension to the values of a sample, and only when they fit', () => {
    expect(dataSampleShape([4], 4)).toEqual([4]);
    expect(dataSampleShape([4], 5)).toBeUndefined();
    expect(dataSampleShape([null], 7)).toEqual([7]);
    expect(dataSampleShape([null, 8], 24)).toEqual([3, 8]);
    expect(dataSampleShape([2, null, 3], 30)).toEqual([2, 5, 3]);
    expect(dataSampleShape([null, 8], 20)).toBeUndefined();
    expect(dataSampleShape([null], 0)).toBeUndefined();
    // Two unknown dimensions: 12 values could be 3x4 or 2x6.
    expect(dataSampleShape([null, null], 12)).toBeUndefined();
  });

  it('counts values only when every dimension is known, and words the count for errors', () => {
    expect(sampleSize([28, 28])).toBe(784);
    expect(sampleSize([null, 28])).toBeNull();
    expect(describeSampleSize([4])).toBe('4 values');
    expect(describeSampleSize([1])).toBe('1 value');
    expect(describeSampleSize([null, 8])).toBe('a multiple of 8 values');
    expect(describeSampleSize([null])).toBe('any number of values');
    expect(describeSampleSize([null, null])).toContain('2 unknown dimensions (None)');
  });
});
