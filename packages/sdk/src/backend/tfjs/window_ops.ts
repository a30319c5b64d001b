import type * as tfc from '@tensorflow/tfjs-core';
import { depthAxis, type WindowGeometry } from '../backend.js';

type Tf = typeof tfc;

/**
 * Sliding-window kernels (im2col, pooling) as gathers over the flattened input with one extra
 * element in front standing for "outside the input" (padding). The index tensor of each geometry
 * is built once on the host and cached: entry [row, k] is 1 + the flat input position that window
 * element k of output row `row` reads, or 0 where it falls in the padding.
 */
export class WindowIndex {
  readonly #tf: Tf;
  readonly #cache = new Map<string, tfc.Tensor1D>();

  constructor(tf: Tf) {
    this.#tf = tf;
  }

  /**
   * Indices for [batch·outD·outH·outW, kD·kH·kW, channels], flattened (depth 1 for images); with
   * `g.groups`, each row is [groups, taps, channels / groups] as core-wasm's im2col lays it out.
   */
  indices(g: WindowGeometry): tfc.Tensor1D {
    const key = JSON.stringify(g);
    let index = this.#cache.get(key);
    if (!index) {
      index = this.#tf.keep(this.#tf.tensor1d(buildIndex(g), 'int32'));
      this.#cache.set(key, index);
    }
    return index;
  }

  /** x with the padding element in front, gathered into windows: [rows, taps, channels] (see {@link windowRows}). */
  windows(x: tfc.Tensor1D, g: WindowGeometry, padValue: number): tfc.Tensor3D {
    const tf = this.#tf;
    const padded = tf.concat([tf.fill([1], padValue), x]);
    return tf.reshape(tf.gather(padded, this.indices(g)), [...windowRows(g), g.channels]);
  }

  /** The adjoint of a gather: sums `values` (laid out like the index) into the input positions. */
  scatterAdd(values: tfc.Tensor, g: WindowGeometry, index: tfc.Tensor1D = this.indices(g)): tfc.Tensor1D {
    const tf = this.#tf;
    const size = g.batch * depthAxis(g)[0] * g.inH * g.inW * g.channels;
    // scatterND sums duplicate indices (and, unlike unsortedSegmentSum, runs on tfjs-wasm).
    const summed = tf.scatterND(tf.reshape(index, [-1, 1]), tf.reshape(values, [-1]), [size + 1]);
    return tf.slice(summed, 1, size) as tfc.Tensor1D;
  }
}

/** [output rows, taps per window] of a geometry: [batch·outD·outH·outW, kD·kH·kW]. */
export function windowRows(g: WindowGeometry): [number, number] {
  const [, kD, , , , outD] = depthAxis(g);
  return [g.batch * outD * g.outH * g.outW, kD * g.kH * g.kW];
}

function buildIndex(g: WindowGeometry): Int32Array {
  const [inD, kD, strideD, dilationD, padFront, outD] = depthAxis(g);
  const [rows, taps] = windowRows(g);
  const index = new Int32Array(rows * taps * g.channels);
  const groups = g.groups ?? 1;
  const perGroup = g.channels / groups;
  let at = 0;
  for (let b = 0; b < g.batch; b++)
    for (let oz = 0; oz < outD; oz++)
      for (let oy = 0; oy < g.outH; oy++)
        for (let ox = 0; ox < g.outW; ox++)
          for (let group = 0; group < groups; group++)
            for (let kz = 0; kz < kD; kz++)
              for (let ky = 0; ky < g.kH; ky++)
                for (let kx = 0; kx < g.kW; kx++) {
                  const z = oz * strideD - padFront + kz * dilationD;
                  const y = oy * g.strideH - g.padTop + ky * g.dilationH;
                  const x = ox * g.strideW - g.padLeft + kx * g.dilationW;
                  const inside = z >= 0 && z < inD && y >= 0 && y < g.inH && x >= 0 && x < g.inW;
                  const base = (((b * inD + z) * g.inH + y) * g.inW + x) * g.channels;
                  for (let c = group * perGroup; c < (group + 1) * perGroup; c++) index[at++] = inside ? 1 + base + c : 0;
                }
  return index;
}

/** The dropout mask core-wasm draws (mulberry32's output function over seed + i), on the host. */
export function dropoutMaskValues(n: number, rate: number, seed: number): Float32Array {
  const mask = new Float32Array(n);
  const rate32 = Math.fround(rate);
  const keep = Math.fround(1 / Math.fround(1 - rate32));
  for (let i = 0; i < n; i++) mask[i] = hash24(seed, i) / 16777216 < rate32 ? 0 : keep;
  return mask;
}

/** core-wasm's 24 random bits for counter i: mulberry32's output function over seed + (i + 1) golden-ratio steps. */
export function hash24(seed: number, i: number): number {
  let t = (seed + Math.imul(i + 1, 0x6d2b79f5)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1) >>> 0;
  t = (t ^ (t + Math.imul(t ^ (t >>> 7), t | 61))) >>> 0;
  return (t ^ (t >>> 14)) >>> 8;
}
