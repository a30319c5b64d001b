// Sparsemax along one row (Martins & Astudillo, 2016): the Euclidean projection of x onto the
// probability simplex, y = max(x − τ, 0) with τ chosen so that y sums to 1.

/**
 * τ by Michelot's (1986) fixed point, without sorting or scratch memory: start from the whole row,
 * take τ = (Σ_S x − 1)/|S|, keep S = {x > τ} and repeat until S stops shrinking. τ only grows, so
 * S shrinks at most `cols` times; the row maximum always stays in S. Sums are taken in f64.
 */
function sparsemaxThreshold(x: usize, cols: i32): f64 {
  let tau: f64 = -Infinity;
  let support = cols + 1;
  for (let pass = 0; pass <= cols; pass++) {
    let sum: f64 = 0;
    let count = 0;
    for (let c = 0; c < cols; c++) {
      const v = <f64>load<f32>(x + (<usize>c << 2));
      if (v > tau) {
        sum += v;
        count++;
      }
    }
    if (count == support || count == 0) break;
    support = count;
    tau = (sum - 1) / <f64>count;
  }
  return tau;
}

/** y = sparsemax(x) of one row; y may alias x. */
export function sparsemaxRow(x: usize, y: usize, cols: i32): void {
  const tau = sparsemaxThreshold(x, cols);
  for (let c = 0; c < cols; c++) {
    const off = <usize>c << 2;
    store<f32>(y + off, <f32>max(<f64>load<f32>(x + off) - tau, 0));
  }
}

/**
 * dx = s ⊙ (dy − (Σ_S dy)/|S|) of one row, where s marks the support S = {y > 0}: the product with
 * sparsemax's Jacobian diag(s) − s·sᵀ/|S|. dx may alias dy.
 */
export function sparsemaxBackwardRow(y: usize, dy: usize, dx: usize, cols: i32): void {
  let sum: f64 = 0;
  let count = 0;
  for (let c = 0; c < cols; c++) {
    const off = <usize>c << 2;
    if (load<f32>(y + off) > 0) {
      sum += <f64>load<f32>(dy + off);
      count++;
    }
  }
  const mean = count > 0 ? <f32>(sum / <f64>count) : <f32>0;
  for (let c = 0; c < cols; c++) {
    const off = <usize>c << 2;
    store<f32>(dx + off, load<f32>(y + off) > 0 ? load<f32>(dy + off) - mean : 0);
  }
}
