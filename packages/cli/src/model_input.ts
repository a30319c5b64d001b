import { readFile } from 'node:fs/promises';
import { decodePng, resizeGray } from './png.js';

const SIDE = 28;

/**
 * Reads `--input`: a PNG (grayscale or RGB, resized to 28x28) or a JSON array holding one image
 * (784 numbers, or 28 rows of 28) or a list of them. Pixel values 0-255 are scaled to [0, 1] as
 * MNIST's are; JSON values already in [0, 1] are kept, and values outside 0-255 are refused.
 * With `invert`, each value v becomes 1 - v (a dark digit on light turns white on black, as MNIST's).
 * Returns the images flat, 784 values each.
 */
export async function readInputImages(path: string, { invert = false } = {}): Promise<Float32Array> {
  const pixels = await readPixels(path);
  return invert ? pixels.map((v) => 1 - v) : pixels;
}

async function readPixels(path: string): Promise<Float32Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new Error(`Cannot read --input ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  if (/\.png$/i.test(path)) return resizeGray(decodePng(bytes, path), SIDE, SIDE).map((v) => v / 255);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}). Pass an array of 784 pixel values, 28 rows of 28, or a list of such images.`);
  }
  if (!Array.isArray(json)) {
    const received = json === null ? 'null' : typeof json === 'object' ? 'an object' : `the ${typeof json} ${JSON.stringify(json).slice(0, 40)}`;
    throw new Error(`${path} must hold a JSON list: an array of 784 pixel values, 28 rows of 28, or a list of such images. Received ${received}.`);
  }
  const flat = json.flat(3);
  if (flat.length === 0 || flat.length % (SIDE * SIDE) !== 0 || !flat.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new Error(`${path} must hold finite numbers in multiples of 784 (28x28 pixels per image). Received ${flat.length} values${flat.some((v) => typeof v !== 'number') ? ', not all numbers' : ''}.`);
  }
  const outside = (flat as number[]).findIndex((v) => v < 0 || v > 255);
  if (outside >= 0) {
    const [image, pixel] = [Math.floor(outside / (SIDE * SIDE)), outside % (SIDE * SIDE)];
    throw new Error(
      `${path}: value ${flat[outside]} at index ${outside} (image ${image}, row ${Math.floor(pixel / SIDE)}, column ${pixel % SIDE}) is outside the pixel range 0-255. ` +
        'Pass gray levels 0 (black) to 255 (white), or 0 to 1.',
    );
  }
  const scale = flat.some((v) => (v as number) > 1) ? 1 / 255 : 1;
  return Float32Array.from(flat as number[], (v) => v * scale);
}
