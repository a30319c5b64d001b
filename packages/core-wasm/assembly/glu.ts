// Keras 3's glu: each row of 2·half values splits into a = its first half and b = its second,
// and y = a ⊙ σ(b), so the output has half the features.
import { sigmoidScalar, sigmoidVector } from './simd_math';

/** y[rows×half] = a ⊙ σ(b) for x[rows×2·half] = [a | b] row by row; y must not overlap x. */
export function gluForward(x: usize, y: usize, rows: i32, half: i32): void {
  const halfBytes = <usize>half << 2;
  for (let r = 0; r < rows; r++) {
    const a = x + <usize>r * 2 * halfBytes;
    const b = a + halfBytes;
    const out = y + <usize>r * halfBytes;
    let c = 0;
    for (; c + 4 <= half; c += 4) {
      const off = <usize>c << 2;
      v128.store(out + off, f32x4.mul(v128.load(a + off), sigmoidVector(v128.load(b + off))));
    }
    for (; c < half; c++) {
      const off = <usize>c << 2;
      store<f32>(out + off, load<f32>(a + off) * sigmoidScalar(load<f32>(b + off)));
    }
  }
}

/** dx = [dy ⊙ σ(b) | dy ⊙ a ⊙ σ(b)(1 − σ(b))] row by row, from the forward input x; dx must not overlap dy. */
export function gluBackward(x: usize, dy: usize, dx: usize, rows: i32, half: i32): void {
  const halfBytes = <usize>half << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < rows; r++) {
    const rowOff = <usize>r * 2 * halfBytes;
    const a = x + rowOff;
    const b = a + halfBytes;
    const da = dx + rowOff;
    const db = da + halfBytes;
    const g = dy + <usize>r * halfBytes;
    let c = 0;
    for (; c + 4 <= half; c += 4) {
      const off = <usize>c << 2;
      const s = sigmoidVector(v128.load(b + off));
      const gs = f32x4.mul(v128.load(g + off), s);
      v128.store(da + off, gs);
      v128.store(db + off, f32x4.mul(f32x4.mul(gs, v128.load(a + off)), f32x4.sub(one, s)));
    }
    for (; c < half; c++) {
      const off = <usize>c << 2;
      const s = sigmoidScalar(load<f32>(b + off));
      const gs = load<f32>(g + off) * s;
      store<f32>(da + off, gs);
      store<f32>(db + off, gs * load<f32>(a + off) * (1 - s));
    }
  }
}
