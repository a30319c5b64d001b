// Layout and selection kernels of the shape and merge layers (Permute, Maximum, Minimum).

/**
 * y = x with its axes permuted, y row-major over the output dims d0..d4 (pad with leading 1s);
 * s0..s4 are the input strides, in floats, of the input axis each output axis reads.
 */
export function transpose(x: usize, y: usize, d0: i32, d1: i32, d2: i32, d3: i32, d4: i32, s0: i32, s1: i32, s2: i32, s3: i32, s4: i32): void {
  let out = y;
  const rowBytes = <usize>d4 << 2;
  for (let i0 = 0; i0 < d0; i0++)
    for (let i1 = 0; i1 < d1; i1++)
      for (let i2 = 0; i2 < d2; i2++)
        for (let i3 = 0; i3 < d3; i3++) {
          const base = x + (<usize>(i0 * s0 + i1 * s1 + i2 * s2 + i3 * s3) << 2);
          if (s4 == 1) {
            memory.copy(out, base, rowBytes);
          } else {
            const step = <usize>s4 << 2;
            for (let i4 = 0; i4 < d4; i4++) store<f32>(out + (<usize>i4 << 2), load<f32>(base + <usize>i4 * step));
          }
          out += rowBytes;
        }
}

/** out[i] = max(a[i], b[i]) when takeMax, else min(a[i], b[i]); out may alias a or b. */
export function minMax(takeMax: bool, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const va = v128.load(a + off), vb = v128.load(b + off);
    v128.store(out + off, takeMax ? f32x4.pmax(va, vb) : f32x4.pmin(va, vb));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const va = load<f32>(a + off), vb = load<f32>(b + off);
    store<f32>(out + off, takeMax ? (vb > va ? vb : va) : (vb < va ? vb : va));
  }
}

/**
 * dx[i] = x[i] == y[i] ? pending[i] : 0, then pending[i] = 0 where they are equal: called on the
 * inputs in order, it routes the gradient of a max or min to the first input that equals it.
 */
export function routeToFirstMatch(x: usize, y: usize, pending: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const hit = f32x4.eq(v128.load(x + off), v128.load(y + off));
    const g = v128.load(pending + off);
    v128.store(dx + off, v128.and(g, hit));
    v128.store(pending + off, v128.bitselect(zero, g, hit));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const hit = load<f32>(x + off) == load<f32>(y + off);
    const g = load<f32>(pending + off);
    store<f32>(dx + off, hit ? g : 0);
    store<f32>(pending + off, hit ? 0 : g);
  }
}
