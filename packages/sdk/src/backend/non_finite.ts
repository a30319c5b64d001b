/** Index of the first NaN or ±Infinity in `values[from, to)`, or −1. */
export function firstNonFinite(values: ArrayLike<number>, from = 0, to = values.length): number {
  for (let i = from; i < to; i++) {
    const v = values[i];
    // v − v is 0 for every finite v and NaN for NaN and ±Infinity.
    if (v - v !== 0) return i;
  }
  return -1;
}

/** Position among rows `indices[start..start+count)` of `src` of the first row holding a non-finite value, or −1. */
export function firstNonFiniteRow(src: ArrayLike<number>, indices: Int32Array, start: number, count: number, rowLength: number): number {
  for (let i = 0; i < count; i++) {
    const row = indices[start + i] * rowLength;
    if (firstNonFinite(src, row, row + rowLength) >= 0) return i;
  }
  return -1;
}
