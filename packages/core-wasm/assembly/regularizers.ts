// Weight penalties: returns l1·Σ|w| + l2·Σw² over n weights and, when grad ≠ 0, adds the penalty's
// gradient l1·sign(w) + 2·l2·w to grad (backward has already written the loss gradient there).

export function regularize(w: usize, grad: usize, n: i32, l1: f32, l2: f32): f64 {
  let abs: f64 = 0;
  let squares: f64 = 0;
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    const x = load<f32>(w + off);
    abs += <f64>Mathf.abs(x);
    squares += <f64>x * <f64>x;
    if (grad != 0) {
      const sign: f32 = x > 0 ? 1 : x < 0 ? -1 : 0;
      store<f32>(grad + off, load<f32>(grad + off) + l1 * sign + 2 * l2 * x);
    }
  }
  return <f64>l1 * abs + <f64>l2 * squares;
}
