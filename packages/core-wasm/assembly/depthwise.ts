// Depthwise convolution on im2col columns: each input channel has its own taps, so the product is
// per channel rather than a GEMM. cols is [rows, taps·channels] (tap-major, as im2col lays it
// out) and the kernel [taps, channels, multiplier] (Keras' [kh, kw, inC, depthMultiplier]).

/** out[r, c·m + j] = Σ_t cols[r, t·C + c] · kernel[t, c, j]. */
export function depthwiseForward(cols: usize, kernel: usize, out: usize, rows: i32, taps: i32, channels: i32, multiplier: i32): void {
  if (multiplier == 1) {
    depthwiseForwardSingle(cols, kernel, out, rows, taps, channels);
    return;
  }
  const outCols = channels * multiplier;
  for (let r = 0; r < rows; r++) {
    const row = cols + (<usize>(r * taps * channels) << 2);
    const dst = out + (<usize>(r * outCols) << 2);
    for (let o = 0; o < outCols; o++) store<f32>(dst + (<usize>o << 2), 0);
    for (let t = 0; t < taps; t++) {
      for (let c = 0; c < channels; c++) {
        const v = load<f32>(row + (<usize>(t * channels + c) << 2));
        const k = kernel + (<usize>((t * channels + c) * multiplier) << 2);
        const d = dst + (<usize>(c * multiplier) << 2);
        for (let j = 0; j < multiplier; j++) store<f32>(d + (<usize>j << 2), load<f32>(d + (<usize>j << 2)) + v * load<f32>(k + (<usize>j << 2)));
      }
    }
  }
}

/**
 * depthwiseForward with one filter per channel (MobileNet's case): four channels at a time, each
 * sum kept in a register over the taps. The products are added in tap order from +0 with separate
 * multiplies and adds, as the general loop adds them, so the values match it bit for bit.
 */
function depthwiseForwardSingle(cols: usize, kernel: usize, out: usize, rows: i32, taps: i32, channels: i32): void {
  const rowBytes = <usize>(taps * channels) << 2;
  const tapBytes = <usize>channels << 2;
  for (let r = 0; r < rows; r++) {
    const row = cols + <usize>r * rowBytes;
    const dst = out + (<usize>(r * channels) << 2);
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      const off = <usize>c << 2;
      let sum = f32x4.splat(0);
      for (let t = 0; t < taps; t++) {
        const at = <usize>t * tapBytes + off;
        sum = f32x4.add(sum, f32x4.mul(v128.load(row + at), v128.load(kernel + at)));
      }
      v128.store(dst + off, sum);
    }
    for (; c < channels; c++) {
      const off = <usize>c << 2;
      let sum: f32 = 0;
      for (let t = 0; t < taps; t++) {
        const at = <usize>t * tapBytes + off;
        sum += load<f32>(row + at) * load<f32>(kernel + at);
      }
      store<f32>(dst + off, sum);
    }
  }
}

/**
 * dKernel[t, c, j] = Σ_r cols[r, t·C + c] · dy[r, c·m + j] (overwritten; skipped when dKernel is 0,
 * for a frozen layer), then, when dCols is not 0, dCols[r, t·C + c] = Σ_j dy[r, c·m + j] · kernel[t, c, j].
 * Row by row, each row's columns are read before its gradient is written, so dCols may be the cols
 * buffer itself.
 */
export function depthwiseBackward(cols: usize, kernel: usize, dy: usize, dCols: usize, dKernel: usize, rows: i32, taps: i32, channels: i32, multiplier: i32): void {
  if (!dKernel) {
    if (dCols) depthwiseColumnsGrad(kernel, dy, dCols, rows, taps, channels, multiplier);
    return;
  }
  const outCols = channels * multiplier;
  const kernelSize = taps * channels * multiplier;
  for (let i = 0; i < kernelSize; i++) store<f32>(dKernel + (<usize>i << 2), 0);
  for (let r = 0; r < rows; r++) {
    const row = cols + (<usize>(r * taps * channels) << 2);
    const g = dy + (<usize>(r * outCols) << 2);
    for (let t = 0; t < taps; t++) {
      for (let c = 0; c < channels; c++) {
        const at = <usize>(t * channels + c);
        const v = load<f32>(row + (at << 2));
        const dk = dKernel + (<usize>((t * channels + c) * multiplier) << 2);
        const k = kernel + (<usize>((t * channels + c) * multiplier) << 2);
        const gc = g + (<usize>(c * multiplier) << 2);
        let back: f32 = 0;
        for (let j = 0; j < multiplier; j++) {
          const gj = load<f32>(gc + (<usize>j << 2));
          store<f32>(dk + (<usize>j << 2), load<f32>(dk + (<usize>j << 2)) + v * gj);
          back += gj * load<f32>(k + (<usize>j << 2));
        }
        if (dCols) store<f32>(dCols + (<usize>(r * taps * channels) << 2) + (at << 2), back);
      }
    }
  }
}

/**
 * The columns' gradient alone (dCols as in depthwiseBackward, summed in the same order from +0, so
 * the values match bit for bit); the columns are not read. With one filter per channel (MobileNet's
 * case) each tap's gradient is dy times that tap's kernel row, four channels at a time.
 */
function depthwiseColumnsGrad(kernel: usize, dy: usize, dCols: usize, rows: i32, taps: i32, channels: i32, multiplier: i32): void {
  const outCols = channels * multiplier;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const g = dy + (<usize>(r * outCols) << 2);
    const dst = dCols + (<usize>(r * taps * channels) << 2);
    for (let t = 0; t < taps; t++) {
      const kt = kernel + (<usize>(t * channels * multiplier) << 2);
      const dt = dst + (<usize>(t * channels) << 2);
      if (multiplier == 1) {
        let c = 0;
        for (; c + 4 <= channels; c += 4) {
          const off = <usize>c << 2;
          v128.store(dt + off, f32x4.add(zero, f32x4.mul(v128.load(g + off), v128.load(kt + off))));
        }
        for (; c < channels; c++) {
          const off = <usize>c << 2;
          store<f32>(dt + off, <f32>0 + load<f32>(g + off) * load<f32>(kt + off));
        }
        continue;
      }
      for (let c = 0; c < channels; c++) {
        const k = kt + (<usize>(c * multiplier) << 2);
        const gc = g + (<usize>(c * multiplier) << 2);
        let back: f32 = 0;
        for (let j = 0; j < multiplier; j++) back += load<f32>(gc + (<usize>j << 2)) * load<f32>(k + (<usize>j << 2));
        store<f32>(dt + (<usize>c << 2), back);
      }
    }
  }
}
