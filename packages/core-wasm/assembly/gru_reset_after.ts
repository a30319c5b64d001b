// GRU cell arithmetic in Keras' reset_after=True form (its default since TF 2, and CuDNN's), for one
// time step over a batch. Rows of z are [z | r | h̃], `units` values each, holding x·W + b_input on
// entry; rows of `inner` hold hPrev·U [rows, 3·units] (zeros at the first step), to which the
// recurrent bias (0: none) is added here. The reset gate scales the recurrent product of h̃:
// h̃ = activation(x·W_h + b_h + r⊙(hPrev·U_h + b_rh)).
import { activateRange, slopeFromOutput } from './activations';

// @ts-ignore: decorator
@inline
function biasAt(bias: usize, b: usize): f32 {
  return bias ? load<f32>(bias + b) : 0;
}

/** Replaces z's blocks with the gates z, r and h̃, and writes h = z⊙hPrev + (1 − z)⊙h̃ (hPrev 0: a zero state). */
export function gruResetAfterForward(z: usize, inner: usize, recurrentBias: usize, hPrev: usize, h: usize, rows: i32, units: i32, activation: i32, recurrentActivation: i32): void {
  const u = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * 3 * u;
    const ir = inner + <usize>r * 3 * u;
    const off = <usize>r * u;
    for (let b: usize = 0; b < 2 * u; b += 4) store<f32>(zr + b, load<f32>(zr + b) + load<f32>(ir + b) + biasAt(recurrentBias, b));
    activateRange(recurrentActivation, zr, zr, 2 * units);
    for (let b: usize = 0; b < u; b += 4) {
      const reset = load<f32>(zr + u + b);
      store<f32>(zr + 2 * u + b, load<f32>(zr + 2 * u + b) + reset * (load<f32>(ir + 2 * u + b) + biasAt(recurrentBias, 2 * u + b)));
    }
    activateRange(activation, zr + 2 * u, zr + 2 * u, units);
    for (let b: usize = 0; b < u; b += 4) {
      const g = load<f32>(zr + b);
      const hp: f32 = hPrev ? load<f32>(hPrev + off + b) : 0;
      store<f32>(h + off + b, g * hp + (1 - g) * load<f32>(zr + 2 * u + b));
    }
  }
}

/**
 * Backward through one step from dh: writes the gradient of x·W + b_input over z (blocks z, r, h̃),
 * replaces `inner` with the gradient of hPrev·U + b_recurrent (the h̃ block scaled by r), and adds
 * dh⊙z into dhPrev (when not 0). The caller adds that gradient times Uᵀ into dhPrev.
 */
export function gruResetAfterBackward(z: usize, inner: usize, recurrentBias: usize, hPrev: usize, dh: usize, dhPrev: usize, rows: i32, units: i32, activation: i32, recurrentActivation: i32): void {
  const u = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const zr = z + <usize>r * 3 * u;
    const ir = inner + <usize>r * 3 * u;
    const off = <usize>r * u;
    for (let b: usize = 0; b < u; b += 4) {
      const g = load<f32>(zr + b);
      const reset = load<f32>(zr + u + b);
      const hh = load<f32>(zr + 2 * u + b);
      const d = load<f32>(dh + off + b);
      const hp: f32 = hPrev ? load<f32>(hPrev + off + b) : 0;
      const recurrentH = load<f32>(ir + 2 * u + b) + biasAt(recurrentBias, 2 * u + b);
      const dUpdate = d * (hp - hh) * slopeFromOutput(recurrentActivation, g);
      const dCandidate = d * (1 - g) * slopeFromOutput(activation, hh);
      const dReset = dCandidate * recurrentH * slopeFromOutput(recurrentActivation, reset);
      store<f32>(zr + b, dUpdate);
      store<f32>(zr + u + b, dReset);
      store<f32>(zr + 2 * u + b, dCandidate);
      store<f32>(ir + b, dUpdate);
      store<f32>(ir + u + b, dReset);
      store<f32>(ir + 2 * u + b, dCandidate * reset);
      if (dhPrev) store<f32>(dhPrev + off + b, load<f32>(dhPrev + off + b) + d * g);
    }
  }
}
