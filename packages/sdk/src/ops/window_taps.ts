// Where each tap of each window of a convolution or pool reads its input: the one walk over a
// window geometry (an image's, or a volume's with a depth axis) that im2col, col2im, the pools
// and dilation2d share.
import { depthAxis, type WindowGeometry } from '../backend/backend.js';

/** Taps per window: kD·kH·kW (kD is 1 for an image). */
export function tapCount(g: WindowGeometry): number {
  return depthAxis(g)[1] * g.kH * g.kW;
}

/** Windows (output positions): batch·outD·outH·outW. */
export function windowCount(g: WindowGeometry): number {
  return g.batch * depthAxis(g)[5] * g.outH * g.outW;
}

/** Elements of the input `g` reads: batch·inD·inH·inW·channels. */
export function inputLength(g: WindowGeometry): number {
  return g.batch * depthAxis(g)[0] * g.inH * g.inW * g.channels;
}

/**
 * Per window (b, od, oh, ow) and tap (i, j, k), both row-major as tfjs' kernels visit them, the
 * offset in the channels-last input of the pixel the tap reads (its first channel), or -1 where it
 * falls in the padding.
 */
export function windowPixels(g: WindowGeometry): Int32Array {
  const [inD, kD, strideD, dilationD, padFront, outD] = depthAxis(g);
  const { batch, inH, inW, channels, kH, kW, outH, outW } = g;
  const pixels = new Int32Array(batch * outD * outH * outW * kD * kH * kW);
  let at = 0;
  for (let b = 0; b < batch; b++) {
    for (let od = 0; od < outD; od++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          for (let a = 0; a < kD; a++) {
            const id = od * strideD - padFront + a * dilationD;
            for (let i = 0; i < kH; i++) {
              const ih = oh * g.strideH - g.padTop + i * g.dilationH;
              for (let j = 0; j < kW; j++, at++) {
                const iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                const inside = id >= 0 && id < inD && ih >= 0 && ih < inH && iw >= 0 && iw < inW;
                pixels[at] = inside ? (((b * inD + id) * inH + ih) * inW + iw) * channels : -1;
              }
            }
          }
        }
      }
    }
  }
  return pixels;
}
