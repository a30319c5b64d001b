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
