// Elementwise and reduction kernels over raw f32 buffers. Pointers are byte offsets,
// counts are elements; v128 loads tolerate the unaligned rows that odd strides produce.

/** ptr[i] = value for i < n. */
export function fill(ptr: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(ptr + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(ptr + (<usize>i << 2), value);
}

/** dst[i] = src[i] for i < n; the ranges may overlap. */
export function copy(dst: usize, src: usize, n: i32): void {
  if (n > 0) memory.copy(dst, src, <usize>n << 2);
}

/** x[r, c] += bias[c], in place. */
export function biasAdd(x: usize, bias: usize, rows: i32, cols: i32): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * rowBytes;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const off = <usize>c << 2;
      v128.store(row + off, f32x4.add(v128.load(row + off), v128.load(bias + off)));
    }
    for (; c < cols; c++) {
      const off = <usize>c << 2;
      store<f32>(row + off, load<f32>(row + off) + load<f32>(bias + off));
    }
  }
}

/** out[c] = (accumulate ? out[c] : 0) + sum over r of x[r, c]. */
export function colSum(x: usize, out: usize, rows: i32, cols: i32, accumulate: bool): void {
  if (!accumulate) fill(out, cols, 0);
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * rowBytes;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const off = <usize>c << 2;
      v128.store(out + off, f32x4.add(v128.load(out + off), v128.load(row + off)));
    }
    for (; c < cols; c++) {
      const off = <usize>c << 2;
      store<f32>(out + off, load<f32>(out + off) + load<f32>(row + off));
    }
  }
}

/** Row i of dst = row indices[i] of src (i32 indices); rows are rowLen floats. */
export function gatherRows(dst: usize, src: usize, indices: usize, count: i32, rowLen: i32): void {
  const rowBytes = <usize>rowLen << 2;
  for (let i = 0; i < count; i++) {
    const from = <usize>load<i32>(indices + (<usize>i << 2));
    memory.copy(dst + <usize>i * rowBytes, src + from * rowBytes, rowBytes);
  }
}

/** True when any of the n values is NaN or infinite (x - x is 0 only for finite x). */
export function hasNonFinite(ptr: usize, n: i32): bool {
  const zero = f32x4.splat(0);
  let i = 0;
  // One test per 16 values: v − v is 0 for finite v and NaN otherwise, and a sum of them keeps the NaN.
  for (; i + 16 <= n; i += 16) {
    const p = ptr + (<usize>i << 2);
    const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32), d = v128.load(p, 48);
    const s = f32x4.add(f32x4.add(f32x4.sub(a, a), f32x4.sub(b, b)), f32x4.add(f32x4.sub(c, c), f32x4.sub(d, d)));
    if (!i32x4.all_true(f32x4.eq(s, zero))) return true;
  }
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(ptr + (<usize>i << 2));
    if (!i32x4.all_true(f32x4.eq(f32x4.sub(v, v), zero))) return true;
  }
  for (; i < n; i++) {
    const x = load<f32>(ptr + (<usize>i << 2));
    if (x - x != 0) return true;
  }
  return false;
}

/** out[i] = a[i] + b[i]; out may alias a or b. */
export function add(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(out + off, f32x4.add(v128.load(a + off), v128.load(b + off)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(out + off, load<f32>(a + off) + load<f32>(b + off));
  }
}

/** out[i] = a[i] · b[i]; out may alias a or b. */
export function mul(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(out + off, f32x4.mul(v128.load(a + off), v128.load(b + off)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(out + off, load<f32>(a + off) * load<f32>(b + off));
  }
}

/** Row r of dst (stride dstStride) = row r of src (stride srcStride), cols floats per row. */
export function copyRows(src: usize, srcStride: i32, dst: usize, dstStride: i32, rows: i32, cols: i32): void {
  const bytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) memory.copy(dst + (<usize>(r * dstStride) << 2), src + (<usize>(r * srcStride) << 2), bytes);
}

/** out[i] = ln(x[i]) (−∞ at 0, NaN below it); out may alias x. */
export function logElements(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(out + off, Mathf.log(load<f32>(x + off)));
  }
}

/** out[i] = atan2(y[i], x[i]), the angle of (x, y) in [−π, π]; out may alias either. */
export function atan2Elements(y: usize, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(out + off, Mathf.atan2(load<f32>(y + off), load<f32>(x + off)));
  }
}
