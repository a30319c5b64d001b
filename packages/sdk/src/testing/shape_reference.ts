/** Naive float64 references of the shape and merge layers on one flattened sample, written from Keras' definitions. */

/** `[f]` to `[n, f]`. */
export function refRepeat(v: number[], n: number): number[] {
  return Array.from({ length: n }, () => v).flat();
}

/** Axes of a row-major sample of `shape` reordered by `dims` (numbered from 1). */
export function refPermute(v: number[], shape: number[], dims: number[]): number[] {
  const outShape = dims.map((d) => shape[d - 1]);
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  return v.map((_, o) => {
    let rest = o, from = 0;
    for (let k = outShape.length - 1; k >= 0; k--) {
      from += (rest % outShape[k]) * strides[dims[k] - 1];
      rest = Math.floor(rest / outShape[k]);
    }
    return v[from];
  });
}

/** An [h, w, c] image without `top`..`right` rows and columns. */
export function refCrop(v: number[], [h, w, c]: number[], [[top, bottom], [left, right]]: [[number, number], [number, number]]): number[] {
  const out: number[] = [];
  for (let y = top; y < h - bottom; y++) for (let x = left; x < w - right; x++) for (let k = 0; k < c; k++) out.push(v[(y * w + x) * c + k]);
  return out;
}

/**
 * Keras' Dot of one sample's two matrices `a` [rows, cols] and `b`, summing over axis `axisA` of a and
 * `axisB` of b (1: rows, 2: cols): the remaining axis of a by the remaining axis of b, row-major.
 */
export function refDot(a: number[], [ra, ca]: number[], axisA: number, b: number[], [rb, cb]: number[], axisB: number): number[] {
  const at = (m: number[], cols: number, r: number, c: number) => m[r * cols + c];
  const [m, k] = axisA === 2 ? [ra, ca] : [ca, ra];
  const n = axisB === 2 ? rb : cb;
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += (axisA === 2 ? at(a, ca, i, t) : at(a, ca, t, i)) * (axisB === 2 ? at(b, cb, j, t) : at(b, cb, t, j));
      out.push(s);
    }
  }
  return out;
}

/** Float64 L2 normalization of [outer, reduce, inner] over the middle axis, as tfjs' l2Normalize: x / √max(Σx², 1e-7). */
export function refL2Normalize(x: ArrayLike<number>, outer: number, reduce: number, inner: number): number[] {
  const y = new Array<number>(x.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (r: number) => (o * reduce + r) * inner + j;
      let squares = 0;
      for (let r = 0; r < reduce; r++) squares += x[at(r)] ** 2;
      for (let r = 0; r < reduce; r++) y[at(r)] = x[at(r)] / Math.sqrt(Math.max(squares, 1e-7));
    }
  }
  return y;
}
