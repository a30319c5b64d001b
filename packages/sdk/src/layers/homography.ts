/** Four points [x, y], in the order the homography pairs them. */
export type Quad = readonly (readonly [number, number])[];

/**
 * The projective transform [a0, a1, a2, b0, b1, b2, c0, c1] that maps each of `to`'s four points
 * onto the matching point of `from` (x' = (a0·x + a1·y + a2) / (c0·x + c1·y + 1), y' likewise), as
 * Keras 3's compute_homography_matrix solves it; null when the points leave it undefined (three in
 * a line, or an image one pixel wide).
 */
export function homography(from: Quad, to: Quad): number[] | null {
  // Two rows per point pair: the x and y equations, linear in the 8 unknowns, then the right side.
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = to[i];
    const [u, v] = from[i];
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u], [0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting, in float64.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(rows[r][col]) > Math.abs(rows[pivot][col])) pivot = r;
    if (rows[pivot][col] === 0) return null;
    [rows[col], rows[pivot]] = [rows[pivot], rows[col]];
    for (let r = col + 1; r < 8; r++) {
      const f = rows[r][col] / rows[col][col];
      for (let k = col; k < 9; k++) rows[r][k] -= f * rows[col][k];
    }
  }
  const h = new Array<number>(8);
  for (let r = 7; r >= 0; r--) {
    let s = rows[r][8];
    for (let k = r + 1; k < 8; k++) s -= rows[r][k] * h[k];
    h[r] = s / rows[r][r];
  }
  return h.every(Number.isFinite) ? h : null;
}
