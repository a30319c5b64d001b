// Projective image transforms over NHWC batches, as TensorFlow's ImageProjectiveTransformV3 (and so
// tf.image.transform and Keras' affine_transform): output pixel (x, y) of image b samples the input
// at ((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k), k = c0·x + c1·y + 1, with the 8 numbers
// [a0, a1, a2, b0, b1, b2, c0, c1] of transforms[b]. Coordinates are mapped into the image by the
// fill mode, then read by nearest or bilinear interpolation, a tap outside the image reading
// `fillValue`. Coordinates in f64 as tfjs computes them; SIMD across channels.

/** Fill modes, numbered as Core passes them. */
const REFLECT = 0;
const WRAP = 1;
const CONSTANT = 2;

function mapReflect(c: f64, len: i32): f64 {
  const n = <f64>len;
  if (len <= 1) return 0;
  const period = 2 * n;
  if (c < 0) {
    // As TensorFlow: fold into one period, then mirror about the edge of the first pixel.
    c = period * Math.trunc(-c / period) + c;
    c = c < -n ? c + period : -c - 1;
  } else if (c > n - 1) {
    c -= period * Math.trunc(c / period);
    if (c >= n) c = period - c - 1;
  }
  return min(max(c, 0), n - 1);
}

function mapWrap(c: f64, len: i32): f64 {
  const n = <f64>len;
  if (len <= 1) return 0;
  // TensorFlow's own wrap divides by len − 1; kept so both agree pixel for pixel.
  if (c < 0) c += n * (Math.trunc(-c / (n - 1)) + 1);
  else if (c > n - 1) c -= n * Math.trunc(c / (n - 1));
  return min(max(c, 0), n - 1);
}

@inline function mapCoord(c: f64, len: i32, mode: i32): f64 {
  if (mode == REFLECT) return mapReflect(c, len);
  if (mode == WRAP) return mapWrap(c, len);
  if (mode == CONSTANT) return c;
  return min(max(c, 0), <f64>len - 1);
}

// The taps of the current output pixel: float offsets into its image (-1 when outside it), their
// weights, and the weight the fill value gets (the taps that fell outside).
let tap0: i32 = -1, tap1: i32 = -1, tap2: i32 = -1, tap3: i32 = -1;
let weight0: f32 = 0, weight1: f32 = 0, weight2: f32 = 0, weight3: f32 = 0;
let fillWeight: f32 = 0;

/** The float offset of pixel (row, col), or -1 when it lies outside the image (compared in f64: no i32 overflow). */
@inline function offsetOf(row: f64, col: f64, h: i32, w: i32, c: i32): i32 {
  if (row < 0 || row >= <f64>h || col < 0 || col >= <f64>w) return -1;
  return (<i32>row * w + <i32>col) * c;
}

@inline function computeTaps(t: usize, outX: i32, outY: i32, h: i32, w: i32, c: i32, bilinear: bool, mode: i32): void {
  const ox = <f64>outX, oy = <f64>outY;
  const k = <f64>load<f32>(t, 24) * ox + <f64>load<f32>(t, 28) * oy + 1;
  tap1 = tap2 = tap3 = -1;
  weight1 = weight2 = weight3 = 0;
  if (k == 0) {
    tap0 = -1;
    weight0 = 0;
    fillWeight = 1;
    return;
  }
  const inX = (<f64>load<f32>(t, 0) * ox + <f64>load<f32>(t, 4) * oy + <f64>load<f32>(t, 8)) / k;
  const inY = (<f64>load<f32>(t, 12) * ox + <f64>load<f32>(t, 16) * oy + <f64>load<f32>(t, 20)) / k;
  const x = mapCoord(inX, w, mode), y = mapCoord(inY, h, mode);
  if (!bilinear) {
    // Math.round's rounding (half up), as tfjs' kernel.
    tap0 = offsetOf(Math.floor(y + 0.5), Math.floor(x + 0.5), h, w, c);
    weight0 = tap0 < 0 ? 0 : 1;
    fillWeight = tap0 < 0 ? 1 : 0;
    return;
  }
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const fx = x - x0, fy = y - y0;
  tap0 = offsetOf(y0, x0, h, w, c);
  tap1 = offsetOf(y0, x0 + 1, h, w, c);
  tap2 = offsetOf(y0 + 1, x0, h, w, c);
  tap3 = offsetOf(y0 + 1, x0 + 1, h, w, c);
  const w0 = (1 - fy) * (1 - fx), w1 = (1 - fy) * fx, w2 = fy * (1 - fx), w3 = fy * fx;
  weight0 = tap0 < 0 ? 0 : <f32>w0;
  weight1 = tap1 < 0 ? 0 : <f32>w1;
  weight2 = tap2 < 0 ? 0 : <f32>w2;
  weight3 = tap3 < 0 ? 0 : <f32>w3;
  fillWeight = <f32>((tap0 < 0 ? w0 : 0) + (tap1 < 0 ? w1 : 0) + (tap2 < 0 ? w2 : 0) + (tap3 < 0 ? w3 : 0));
}

/** acc + weight·image[tap + ch .. +4], or acc when the tap is outside the image. */
@inline function addTap(acc: v128, image: usize, tap: i32, weight: f32, ch: i32): v128 {
  if (tap < 0) return acc;
  return f32x4.add(acc, f32x4.mul(v128.load(image + (<usize>(tap + ch) << 2)), f32x4.splat(weight)));
}

@inline function tapValue(image: usize, tap: i32, weight: f32, ch: i32): f32 {
  return tap < 0 ? 0 : weight * load<f32>(image + (<usize>(tap + ch) << 2));
}

/**
 * y[b] (`oh`×`ow`) = image b of x (`h`×`w`) sampled through transforms[b] (8 floats each).
 * `interpolation` 0 is nearest, 1 bilinear; `fillMode` 0 reflect, 1 wrap, 2 constant, 3 nearest.
 * y must not alias x.
 */
export function transformImages(x: usize, y: usize, transforms: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, interpolation: i32, fillMode: i32, fillValue: f32): void {
  const bilinear = interpolation == 1;
  let out = y;
  for (let b = 0; b < n; b++) {
    const image = x + (<usize>(b * h * w * c) << 2);
    const t = transforms + (<usize>(b * 8) << 2);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        computeTaps(t, ox, oy, h, w, c, bilinear, fillMode);
        const fill = fillWeight * fillValue;
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          let acc = f32x4.splat(fill);
          acc = addTap(acc, image, tap0, weight0, ch);
          acc = addTap(acc, image, tap1, weight1, ch);
          acc = addTap(acc, image, tap2, weight2, ch);
          acc = addTap(acc, image, tap3, weight3, ch);
          v128.store(out + (<usize>ch << 2), acc);
        }
        for (; ch < c; ch++) {
          const v = fill + tapValue(image, tap0, weight0, ch) + tapValue(image, tap1, weight1, ch) + tapValue(image, tap2, weight2, ch) + tapValue(image, tap3, weight3, ch);
          store<f32>(out + (<usize>ch << 2), v);
        }
        out += <usize>c << 2;
      }
    }
  }
}

@inline function scatterTap(image: usize, tap: i32, weight: f32, g: usize, c: i32): void {
  if (tap < 0 || weight == 0) return;
  const p = image + (<usize>tap << 2);
  const vw = f32x4.splat(weight);
  let ch = 0;
  for (; ch + 4 <= c; ch += 4) {
    const at = <usize>ch << 2;
    v128.store(p + at, f32x4.add(v128.load(p + at), f32x4.mul(v128.load(g + at), vw)));
  }
  for (; ch < c; ch++) store<f32>(p + (<usize>ch << 2), load<f32>(p + (<usize>ch << 2)) + weight * load<f32>(g + (<usize>ch << 2)));
}

/** dx of transformImages (overwritten): each output gradient added into the pixels it read, by their weights. */
export function transformImagesBackward(dy: usize, dx: usize, transforms: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, interpolation: i32, fillMode: i32): void {
  memory.fill(dx, 0, <usize>(n * h * w * c) << 2);
  const bilinear = interpolation == 1;
  let g = dy;
  for (let b = 0; b < n; b++) {
    const image = dx + (<usize>(b * h * w * c) << 2);
    const t = transforms + (<usize>(b * 8) << 2);
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        computeTaps(t, ox, oy, h, w, c, bilinear, fillMode);
        scatterTap(image, tap0, weight0, g, c);
        scatterTap(image, tap1, weight1, g, c);
        scatterTap(image, tap2, weight2, g, c);
        scatterTap(image, tap3, weight3, g, c);
        g += <usize>c << 2;
      }
    }
  }
}
