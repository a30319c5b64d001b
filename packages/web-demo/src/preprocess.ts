// MNIST's own normalisation, applied to a drawn digit: the ink's bounding box is scaled (keeping
// its aspect ratio, averaging over area) so its longer side is 20 pixels, then placed in a 28×28
// field with its centre of mass at the field's centre. A model trained on MNIST expects exactly this.

/** Side of an MNIST image. */
export const MNIST_SIDE = 28;
/** Side of the box MNIST scales each digit's bounding box into. */
export const MNIST_BOX = 20;

/**
 * Turns a grayscale image (values in [0, 1], ink bright, row by row) into an MNIST-style 28×28
 * input: ink cropped, scaled to fit 20×20, centred by mass, brightest pixel scaled to 1.
 *
 * @param threshold Pixels at or below this value count as background when cropping.
 * @returns 784 values in [0, 1]; all zeros when nothing is drawn.
 * @example
 * ```ts
 * const input = preprocessDigit(gray, 280, 280); // Float32Array(784), ready for predict()
 * ```
 */
export function preprocessDigit(gray: Float32Array, width: number, height: number, threshold = 0.05): Float32Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || gray.length !== width * height) {
    throw new Error(
      `preprocessDigit expects width*height gray values. Received: ${gray.length} values for width=${width}, height=${height}. ` +
        'Pass the image size in pixels and one value per pixel.',
    );
  }
  const out = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  const box = inkBox(gray, width, height, threshold);
  if (!box) return out;
  const scale = MNIST_BOX / Math.max(box.width, box.height);
  const w = Math.max(1, Math.round(box.width * scale));
  const h = Math.max(1, Math.round(box.height * scale));
  const small = resampleArea(gray, width, box, w, h);

  let mass = 0;
  let mx = 0;
  let my = 0;
  let peak = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = small[y * w + x];
      mass += v;
      mx += v * x;
      my += v * y;
      peak = Math.max(peak, v);
    }
  }
  // MNIST's digits have their centre of mass at pixel index 14.0 on average (measured on the test
  // set), not at the geometric 13.5.
  const centre = MNIST_SIDE / 2;
  const dx = Math.round(centre - mx / mass);
  const dy = Math.round(centre - my / mass);
  for (let y = 0; y < h; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= MNIST_SIDE) continue;
    for (let x = 0; x < w; x++) {
      const tx = x + dx;
      if (tx >= 0 && tx < MNIST_SIDE) out[ty * MNIST_SIDE + tx] = small[y * w + x] / peak;
    }
  }
  return out;
}

/**
 * Grayscale values in [0, 1] of an ImageData, ink bright: luminance weighted by alpha, inverted
 * when the image is mostly light (dark ink on paper), so both drawing styles work.
 */
export function imageDataToGray(image: ImageData): Float32Array {
  const { data, width, height } = image;
  const gray = new Float32Array(width * height);
  let sum = 0;
  for (let i = 0; i < gray.length; i++) {
    const luminance = (0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]) / 255;
    gray[i] = luminance * (data[4 * i + 3] / 255);
    sum += gray[i];
  }
  if (sum / gray.length > 0.5) for (let i = 0; i < gray.length; i++) gray[i] = 1 - gray[i];
  return gray;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function inkBox(gray: Float32Array, width: number, height: number, threshold: number): Box | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (gray[y * width + x] > threshold) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** For each of `count` target cells over `length` source cells from `start`: its (source index, overlap) pairs. */
function overlaps(start: number, length: number, count: number): [number, number][][] {
  const step = length / count;
  return Array.from({ length: count }, (_, i) => {
    const from = i * step;
    const to = from + step;
    const cells: [number, number][] = [];
    for (let s = Math.floor(from); s < Math.ceil(to); s++) {
      const overlap = Math.min(to, s + 1) - Math.max(from, s);
      if (overlap > 0) cells.push([start + s, overlap]);
    }
    return cells;
  });
}

/** Area-averaging resample of `box` to w×h: each target pixel is the mean of the source area it covers. */
function resampleArea(gray: Float32Array, width: number, box: Box, w: number, h: number): Float32Array {
  const columns = overlaps(box.x, box.width, w);
  const rows = overlaps(box.y, box.height, h);
  const out = new Float32Array(w * h);
  for (let ty = 0; ty < h; ty++) {
    for (let tx = 0; tx < w; tx++) {
      let sum = 0;
      let area = 0;
      for (const [sy, wy] of rows[ty]) {
        for (const [sx, wx] of columns[tx]) {
          sum += gray[sy * width + sx] * wy * wx;
          area += wy * wx;
        }
      }
      out[ty * w + tx] = sum / area;
    }
  }
  return out;
}
