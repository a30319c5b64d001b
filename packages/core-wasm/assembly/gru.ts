// GRU cell arithmetic (Keras' reset_after=False form, the one TensorFlow.js 4.22 runs) for one time
// step over a batch. Rows of z are [z | r | h̃], `units` values each, holding x·W + b on entry. The
// recurrent kernel's two column blocks, U_zr [units, 2·units] and U_h [units, units], multiply on
// the GEMM between these kernels: p = hPrev·U_zr, q = (r⊙hPrev)·U_h. hPrev 0 is a zero state.
import { activateRange, slopeFromOutput } from './activations';

/** z ← recurrentActivation(z + p) on the z and r blocks (p [rows, 2·units], 0: none), rh = r⊙hPrev [rows, units]. */
export function gruGatesForward(z: usize, p: usize, hPrev: usize, rh: usize, rows: i32, units: i32, recurrentActivation: i32): void {
  const u = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * 3 * u;
    const off = <usize>r * u;
    if (p) {
      const pr = p + <usize>r * 2 * u;
      for (let b: usize = 0; b < 2 * u; b += 4) store<f32>(zr + b, load<f32>(zr + b) + load<f32>(pr + b));
    }
    activateRange(recurrentActivation, zr, zr, 2 * units);
    for (let b: usize = 0; b < u; b += 4) store<f32>(rh + off + b, hPrev ? load<f32>(zr + u + b) * load<f32>(hPrev + off + b) : 0);
  }
}

/** h̃ = activation(z_h + q) in place (q [rows, units], 0: none), h = z⊙hPrev + (1 − z)⊙h̃. */
export function gruOutputForward(z: usize, q: usize, hPrev: usize, h: usize, rows: i32, units: i32, activation: i32): void {
  const u = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * 3 * u;
    const off = <usize>r * u;
    const hh = zr + 2 * u;
    if (q) for (let b: usize = 0; b < u; b += 4) store<f32>(hh + b, load<f32>(hh + b) + load<f32>(q + off + b));
    activateRange(activation, hh, hh, units);
    for (let b: usize = 0; b < u; b += 4) {
      const g = load<f32>(zr + b);
      const hp: f32 = hPrev ? load<f32>(hPrev + off + b) : 0;
      store<f32>(h + off + b, g * hp + (1 - g) * load<f32>(hh + b));
    }
  }
}

/**
 * Backward through the output: from dh, writes the z block's pre-activation gradient over z's z
 * block and h̃'s over its h̃ block and into dHh [rows, units]; adds dh⊙z into dhPrev (when not 0).
 */
export function gruOutputBackward(z: usize, hPrev: usize, dh: usize, dhPrev: usize, dHh: usize, rows: i32, units: i32, activation: i32, recurrentActivation: i32): void {
  const u = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * 3 * u;
    const off = <usize>r * u;
    for (let b: usize = 0; b < u; b += 4) {
      const g = load<f32>(zr + b);
      const hh = load<f32>(zr + 2 * u + b);
      const d = load<f32>(dh + off + b);
      const hp: f32 = hPrev ? load<f32>(hPrev + off + b) : 0;
      store<f32>(zr + b, d * (hp - hh) * slopeFromOutput(recurrentActivation, g));
      const dPre = d * (1 - g) * slopeFromOutput(activation, hh);
      store<f32>(zr + 2 * u + b, dPre);
      store<f32>(dHh + off + b, dPre);
      if (dhPrev) store<f32>(dhPrev + off + b, load<f32>(dhPrev + off + b) + d * g);
    }
  }
}

/**
 * Backward through the gates, given dRh = the gradient of r⊙hPrev (0: none, the first step):
 * writes r's pre-activation gradient over z's r block, copies the z and r blocks' gradients into
 * s [rows, 2·units] (for the U_zr products), and adds dRh⊙r into dhPrev (when not 0).
 */
export function gruGatesBackward(z: usize, hPrev: usize, dRh: usize, dhPrev: usize, s: usize, rows: i32, units: i32, recurrentActivation: i32): void {
  const u = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * 3 * u;
    const sr = s + <usize>r * 2 * u;
    const off = <usize>r * u;
    for (let b: usize = 0; b < u; b += 4) {
      const gate = load<f32>(zr + u + b);
      const d: f32 = dRh ? load<f32>(dRh + off + b) : 0;
      const hp: f32 = hPrev ? load<f32>(hPrev + off + b) : 0;
      const dPre = d * hp * slopeFromOutput(recurrentActivation, gate);
      store<f32>(zr + u + b, dPre);
      store<f32>(sr + b, load<f32>(zr + b));
      store<f32>(sr + u + b, dPre);
      if (dhPrev) store<f32>(dhPrev + off + b, load<f32>(dhPrev + off + b) + d * gate);
    }
  }
}
