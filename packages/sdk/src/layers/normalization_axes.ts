import { AxesLastLayout } from './axes_last_layout.js';
import { ChannelLayout, type ChannelOrder } from './channel_axis.js';
import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';

/** Keras' Normalization `axis`: the axes that keep their own statistics (an int, a list, or null for one statistic over everything). */
export type NormalizationAxis = number | readonly number[] | null;

/** Checks `axis` as given, before the input's rank is known. */
export function checkAxisOption(axis: unknown, where: string): NormalizationAxis {
  if (axis === undefined) return -1;
  const list = axis === null ? [] : typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : null;
  if (!list || !list.every((a) => Number.isInteger(a)) || new Set(list).size !== list.length) {
    throw new Error(`${where}: axis must be an integer, a list of distinct integers, or null. Received: axis=${JSON.stringify(axis)}. E.g. axis: -1 (one mean per feature on the last axis) or axis: [1, 2].`);
  }
  return axis as NormalizationAxis;
}

/** Where each entry of one sample finds its statistic, for the axes kept out of a sample of `shape`. */
export interface FeatureLayout {
  /** The kept axes' dimensions: the shape of the mean and variance weights. */
  readonly keptShape: number[];
  /** How many statistics: the product of keptShape. */
  readonly features: number;
  /** Whether the only kept axis is the last, so a sample is rows of features (the fast path). */
  readonly lastAxisOnly: boolean;
  /** The statistic's index of each entry of a sample. */
  readonly featureOf: Int32Array;
}

/** The layout for input samples of `shape` (no batch axis), with `axis` counted on the batched input as Keras counts it. */
export function featureLayout(axis: NormalizationAxis, shape: Shape, where: string): FeatureLayout {
  const rank = shape.length + 1;
  const given = axis === null ? [] : typeof axis === 'number' ? [axis] : [...axis];
  const kept = given.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  if (kept.some((a) => a < 1 || a >= rank) || new Set(kept).size !== kept.length) {
    throw new Error(`${where}: axis=${JSON.stringify(axis)} does not fit inputs of shape ${formatShape(shape)} (axes 1 to ${rank - 1}, or -1 to -${rank - 1}; axis 0 is the batch, which cannot keep statistics). Give axes of the sample.`);
  }
  const keptShape = kept.map((a) => shape[a - 1]);
  const features = keptShape.reduce((a, b) => a * b, 1);
  const size = shape.reduce((a, b) => a * b, 1);
  const featureOf = new Int32Array(size);
  for (let p = 0; p < size; p++) {
    let rest = p;
    const index = new Array<number>(shape.length);
    for (let k = shape.length - 1; k >= 0; k--) [index[k], rest] = [rest % shape[k], Math.floor(rest / shape[k])];
    featureOf[p] = kept.reduce((f, a, j) => f * keptShape[j] + index[a - 1], 0);
  }
  return { keptShape, features, lastAxisOnly: kept.length === 1 && kept[0] === rank - 1, featureOf };
}

/** A batch's values regrouped as rows of `features` (each row one value per statistic), as FeatureMoments reads them. */
export function asFeatureRows(values: ArrayLike<number>, layout: FeatureLayout): ArrayLike<number> {
  if (layout.lastAxisOnly) return values;
  const { featureOf, features } = layout;
  const perSample = featureOf.length;
  const rowsPerSample = perSample / features;
  const occurrence = new Int32Array(perSample);
  const seen = new Int32Array(features);
  for (let p = 0; p < perSample; p++) occurrence[p] = seen[featureOf[p]]++;
  const rows = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const [s, p] = [Math.floor(i / perSample), i % perSample];
    rows[(s * rowsPerSample + occurrence[p]) * features + featureOf[p]] = values[i];
  }
  return rows;
}

/**
 * Checks LayerNormalization's and RMSNormalization's `axis` as given: an integer or a non-empty
 * list of distinct integers, returned as a copy.
 */
export function checkNormalizedAxesOption(axis: unknown, where: string): number | number[] {
  const given = axis ?? -1;
  const list = typeof given === 'number' ? [given] : given;
  if (!Array.isArray(list) || list.length === 0 || !list.every((a) => Number.isInteger(a)) || new Set(list).size !== list.length) {
    throw new Error(`${where}: axis must be an integer or a non-empty list of distinct integers, e.g. -1 or [-2, -1]. Received: axis=${JSON.stringify(axis)}.`);
  }
  return typeof given === 'number' ? given : [...(list as number[])];
}

/**
 * `axis` counted from the batch (0), in the order given, checked against an input of `shape`: in
 * range and not the batch.
 */
export function normalizedAxes(axis: number | readonly number[], shape: Shape, where: string): number[] {
  const rank = shape.length + 1;
  const given = typeof axis === 'number' ? [axis] : axis;
  const resolved = given.map((a) => (a < 0 ? a + rank : a));
  const bad = resolved.findIndex((a) => a < 1 || a >= rank);
  if (bad >= 0) {
    throw new Error(
      `${where}: axis ${given[bad]} is out of range for an input of rank ${rank} (batch included); axes 1 to ${rank - 1} (or -1 to -${rank - 1}) can be normalised, not the batch axis 0. ` +
        `Received: axis=${JSON.stringify(axis)} for input shape ${formatShape(shape)}. Pick an axis of the sample, e.g. -1.`,
    );
  }
  return resolved;
}

/**
 * How the kernels, which normalise rows, see an input of `shape` normalised over `axes` (from
 * {@link normalizedAxes}): one axis or a run of adjacent ones is a channel layout; axes that are
 * not adjacent move last together.
 */
export function normalizedOrder(axes: readonly number[], shape: Shape, where: string): ChannelOrder {
  const sorted = [...axes].sort((a, b) => a - b);
  const adjacent = sorted.every((a, i) => a === sorted[0] + i);
  return adjacent ? new ChannelLayout(sorted[0], shape, where, sorted.length) : new AxesLastLayout(sorted, shape, where);
}
