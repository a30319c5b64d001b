import type * as km from '@kerasm/sdk';

/** A sample shape (no batch axis) as a model shows it: null for a dimension of unknown size (Keras' None). */
export type SampleShape = km.layers.SampleShape;

/** The values in one sample of `shape`; null when a dimension is unknown, so that only the data can say. */
export function sampleSize(shape: SampleShape): number | null {
  return shape.every((d) => d !== null) ? (shape as readonly number[]).reduce((a, b) => a * b, 1) : null;
}

/**
 * The shape that `values` numbers of one sample (a CSV row's features, an image's pixels) take for
 * a model input of `shape`: `shape` itself when it holds that many, or with its one unknown
 * dimension sized to fit (a sequence of `values` tokens for `[null]`). Undefined when no size fits,
 * or when several unknown dimensions leave it open (those take --input-shape).
 */
export function dataSampleShape(shape: SampleShape, values: number): number[] | undefined {
  const unknown = shape.filter((d) => d === null).length;
  const known = sampleSize(shape.filter((d) => d !== null))!;
  if (unknown === 0) return known === values ? [...(shape as readonly number[])] : undefined;
  if (unknown > 1 || values === 0 || values % known !== 0) return undefined;
  return shape.map((d) => d ?? values / known);
}

/** How many values a sample of `shape` holds, for an error: `8 values`, or `a multiple of 8 values` with an unknown dimension. */
export function describeSampleSize(shape: SampleShape): string {
  const unknown = shape.filter((d) => d === null).length;
  const known = sampleSize(shape.filter((d) => d !== null))!;
  if (unknown === 0) return `${known} value${known === 1 ? '' : 's'}`;
  if (unknown > 1) return `${unknown} unknown dimensions (None), whose sizes a row of values cannot tell: fix them with --input-shape`;
  return known === 1 ? 'any number of values' : `a multiple of ${known} values`;
}
