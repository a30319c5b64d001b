// LSTM cell arithmetic for one time step over a batch. The matrix products (x·W for every step at
// once, h·U per step) run on the GEMM; these kernels do the gate math between them. Gates are laid
// out as Keras and TensorFlow.js store them: each row of z is [i | f | c̃ | o], `units` values each.
import { activateRange, hasVectorSlope, slopeFromOutput, slopeVector } from './activations';

/**
 * Forward: z [rows, 4·units] holds the gates' pre-activations and is replaced by the gates
 * (recurrentActivation on i, f, o; activation on c̃). Then c = f·cPrev + i·c̃, ac = activation(c),
 * h = o·ac, each [rows, units]. cPrev 0 means a zero state (the first step).
 */
export function lstmCellForward(z: usize, cPrev: usize, c: usize, ac: usize, h: usize, rows: i32, units: i32, activation: i32, recurrentActivation: i32): void {
  const u = <usize>units << 2;
  const vecEnd = <usize>(units & ~3) << 2;
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * 4 * u;
    const off = <usize>r * u;
    activateRange(recurrentActivation, zr, zr, 2 * units);
    activateRange(activation, zr + 2 * u, zr + 2 * u, units);
    activateRange(recurrentActivation, zr + 3 * u, zr + 3 * u, units);
    const cr = c + off;
    let b: usize = 0;
    // mul then add (not madd), so both SIMD builds give the same bits.
    for (; b < vecEnd; b += 16) {
      const ig = f32x4.mul(v128.load(zr + b), v128.load(zr + 2 * u + b));
      const fc = cPrev ? f32x4.mul(v128.load(zr + u + b), v128.load(cPrev + off + b)) : f32x4.splat(0);
      v128.store(cr + b, f32x4.add(fc, ig));
    }
    for (; b < u; b += 4) {
      const ig = load<f32>(zr + b) * load<f32>(zr + 2 * u + b);
      const fc: f32 = cPrev ? load<f32>(zr + u + b) * load<f32>(cPrev + off + b) : 0;
      store<f32>(cr + b, fc + ig);
    }
    activateRange(activation, cr, ac + off, units);
    b = 0;
    for (; b < vecEnd; b += 16) v128.store(h + off + b, f32x4.mul(v128.load(zr + 3 * u + b), v128.load(ac + off + b)));
    for (; b < u; b += 4) store<f32>(h + off + b, load<f32>(zr + 3 * u + b) * load<f32>(ac + off + b));
  }
}

/**
 * Backward through one step: from the gates, cPrev and ac that the forward pass left, the
 * gradient dh of h and dc of c (from the later steps), writes the gradient of the gates'
 * pre-activations over the gates in z and replaces dc with the gradient of cPrev. cPrev 0: a zero state.
 */
export function lstmCellBackward(z: usize, cPrev: usize, ac: usize, dh: usize, dc: usize, rows: i32, units: i32, activation: i32, recurrentActivation: i32): void {
  const u = <usize>units << 2;
  // Softplus' slope needs exp: rows with it go lane by lane. Vector and scalar lanes multiply in the same order.
  const vecEnd: usize = hasVectorSlope(activation) && hasVectorSlope(recurrentActivation) ? <usize>(units & ~3) << 2 : 0;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * 4 * u;
    const off = <usize>r * u;
    let b: usize = 0;
    for (; b < vecEnd; b += 16) {
      const i = v128.load(zr + b);
      const f = v128.load(zr + u + b);
      const g = v128.load(zr + 2 * u + b);
      const o = v128.load(zr + 3 * u + b);
      const a = v128.load(ac + off + b);
      const d = v128.load(dh + off + b);
      const cp = cPrev ? v128.load(cPrev + off + b) : zero;
      const dcTotal = f32x4.add(v128.load(dc + off + b), f32x4.mul(f32x4.mul(d, o), slopeVector(activation, a)));
      v128.store(zr + b, f32x4.mul(f32x4.mul(dcTotal, g), slopeVector(recurrentActivation, i)));
      v128.store(zr + u + b, f32x4.mul(f32x4.mul(dcTotal, cp), slopeVector(recurrentActivation, f)));
      v128.store(zr + 2 * u + b, f32x4.mul(f32x4.mul(dcTotal, i), slopeVector(activation, g)));
      v128.store(zr + 3 * u + b, f32x4.mul(f32x4.mul(d, a), slopeVector(recurrentActivation, o)));
      v128.store(dc + off + b, f32x4.mul(dcTotal, f));
    }
    for (; b < u; b += 4) {
      const i = load<f32>(zr + b);
      const f = load<f32>(zr + u + b);
      const g = load<f32>(zr + 2 * u + b);
      const o = load<f32>(zr + 3 * u + b);
      const a = load<f32>(ac + off + b);
      const d = load<f32>(dh + off + b);
      const cp: f32 = cPrev ? load<f32>(cPrev + off + b) : 0;
      const dcTotal = load<f32>(dc + off + b) + d * o * slopeFromOutput(activation, a);
      store<f32>(zr + b, dcTotal * g * slopeFromOutput(recurrentActivation, i));
      store<f32>(zr + u + b, dcTotal * cp * slopeFromOutput(recurrentActivation, f));
      store<f32>(zr + 2 * u + b, dcTotal * i * slopeFromOutput(activation, g));
      store<f32>(zr + 3 * u + b, d * a * slopeFromOutput(recurrentActivation, o));
      store<f32>(dc + off + b, dcTotal * f);
    }
  }
}
