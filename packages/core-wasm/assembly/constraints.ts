// Weight constraints, applied in place after an optimizer step. The weight is viewed as
// [outer, reduce, inner]: one L2 norm per (outer, inner) pair over the `reduce` axis, which covers
// Keras' norm over any contiguous run of axes (axis 0 of a Dense kernel: outer = 1, inner = units).

// Keras' backend epsilon, added to the norm before dividing as Keras and TensorFlow.js do.
const EPSILON: f64 = 1e-7;

export function normConstraint(w: usize, outer: i32, reduce: i32, inner: i32, lo: f32, hi: f32, rate: f32): void {
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const block = w + <usize>o * <usize>reduce * rowBytes;
    for (let j = 0; j < inner; j++) {
      const column = block + (<usize>j << 2);
      let squares: f64 = 0;
      for (let r = 0; r < reduce; r++) {
        const x = <f64>load<f32>(column + <usize>r * rowBytes);
        squares += x * x;
      }
      const norm = Math.sqrt(squares);
      const clipped = norm < <f64>lo ? <f64>lo : norm > <f64>hi ? <f64>hi : norm;
      const desired = <f64>rate * clipped + (1 - <f64>rate) * norm;
      const factor = <f32>(desired / (EPSILON + norm));
      for (let r = 0; r < reduce; r++) {
        const at = column + <usize>r * rowBytes;
        store<f32>(at, load<f32>(at) * factor);
      }
    }
  }
}
