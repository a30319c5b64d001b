import type { ResizeInterpolation } from '../backend/backend.js';

/** The fill modes of Keras 3's `ops.image.map_coordinates`, applied to each tap's integer index. */
export type MapFillMode = 'reflect' | 'wrap' | 'constant' | 'nearest' | 'mirror';

export const MAP_FILL_MODES: readonly MapFillMode[] = ['reflect', 'wrap', 'constant', 'nearest', 'mirror'];

/** The index `i` folds onto in [0, n) under `mode`, or −1 outside the image in 'constant' mode. */
export function fixedIndex(i: number, n: number, mode: MapFillMode): number {
  switch (mode) {
    case 'constant':
      return i >= 0 && i < n ? i : -1;
    case 'nearest':
      return Math.min(Math.max(i, 0), n - 1);
    case 'wrap':
      return ((i % n) + n) % n;
    case 'mirror':
      return mirrorIndex(i, n);
    case 'reflect':
      // Keras' (and scipy's) 'reflect' repeats the edge pixel: a mirror about the half-pixel edges.
      return Math.floor((mirrorIndex(2 * i + 1, 2 * n + 1) - 1) / 2);
  }
}

/** 'mirror' (d c b | a b c d | c b a): a triangular wave of period 2(n − 1) that does not repeat the edge. */
function mirrorIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const s = n - 1;
  return Math.abs((((i + s) % (2 * s)) + 2 * s) % (2 * s) - s);
}

/** Math.round's halves go up; Keras' nearest sampling rounds them to even, as jnp.round. */
function roundHalfToEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** One axis' taps of a coordinate: [index, weight] pairs before the fill mode. */
function axisTaps(c: number, interpolation: ResizeInterpolation): [number, number][] {
  if (interpolation === 'nearest') return [[roundHalfToEven(c), 1]];
  const lower = Math.floor(c);
  return [[lower, 1 - (c - lower)], [lower + 1, c - lower]];
}

/** Taps per sampled point: 1 for 'nearest', 4 for 'bilinear'. */
export function tapsPerPoint(interpolation: ResizeInterpolation): number {
  return interpolation === 'nearest' ? 1 : 4;
}

/** Where {@link mapCoordinateTaps} writes point p's taps: from `indices` and `weights` at `p·taps`, its fill weight at `fillWeights[p]`. */
export interface CoordinateTaps {
  /** The pixel each tap reads, y·width + x plus `offset`; a tap outside the image in 'constant' mode reads pixel 0 (`offset`) with weight 0. */
  readonly indices: Float32Array;
  readonly weights: Float32Array;
  /** The weight of the taps outside the image ('constant' mode), which read the fill value. */
  readonly fillWeights: Float32Array;
}

/**
 * The taps with which Keras 3's map_coordinates (order 1 for 'bilinear', 0 for 'nearest') samples a
 * height×width image at the points (ys[p], xs[p]), p from 0: the lower and upper integer neighbour
 * along each axis (or the nearest, halves to even), each index folded by `mode`; the weight of a tap
 * is the product of its axes' linear weights. Point p's taps go at `start + p` of `into`, `offset`
 * added to every index (the image's first pixel in a batch).
 */
export function mapCoordinateTaps(
  ys: ArrayLike<number>, xs: ArrayLike<number>, height: number, width: number,
  interpolation: ResizeInterpolation, mode: MapFillMode, into: CoordinateTaps, start: number, offset: number,
): void {
  const taps = tapsPerPoint(interpolation);
  for (let p = 0; p < ys.length; p++) {
    let at = (start + p) * taps;
    let fill = 0;
    for (const [iy, wy] of axisTaps(ys[p], interpolation)) {
      for (const [ix, wx] of axisTaps(xs[p], interpolation)) {
        const [y, x] = [fixedIndex(iy, height, mode), fixedIndex(ix, width, mode)];
        const weight = wy * wx;
        const inside = y >= 0 && x >= 0;
        into.indices[at] = offset + (inside ? y * width + x : 0);
        into.weights[at] = inside ? weight : 0;
        if (!inside) fill += weight;
        at++;
      }
    }
    into.fillWeights[start + p] = fill;
  }
}
