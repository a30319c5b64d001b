import { inflateSync } from 'node:zlib';

/** A decoded image as grayscale intensities in [0, 255], row-major. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Float32Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples per pixel by PNG color type: gray, RGB, gray+alpha, RGBA (palette is not supported). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/**
 * Decodes a non-interlaced 8-bit PNG (grayscale, RGB, with or without alpha) to grayscale.
 * Transparent pixels are the background: they are composited on white when the drawn (opaque)
 * pixels are dark, on black otherwise, so that strokes survive whatever their color (black strokes
 * on a transparent canvas would vanish on MNIST's black). `name` is used in errors.
 */
export function decodePng(bytes: Uint8Array, name: string): GrayImage {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new Error(`${name} is not a PNG file (its signature is wrong). Pass a .png image or a .json array.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const [bitDepth, color, , , interlace] = data.subarray(8, 13);
      if (bitDepth !== 8 || CHANNELS[color] === undefined || interlace !== 0) {
        const kind = color === 3 ? 'a palette (indexed-color) PNG' : `bit depth ${bitDepth}, color type ${color}, interlace ${interlace}`;
        throw new Error(`${name}: kerasm reads 8-bit, non-interlaced grayscale or RGB(A) PNGs. Received: ${kind}. Re-export the image as 8-bit grayscale or RGB, not interlaced.`);
      }
      colorType = color;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (colorType < 0 || idat.length === 0) throw new Error(`${name} has no image header or data; the file may be truncated.`);
  if (width === 0 || height === 0) throw new Error(`${name} is an empty image (${width}x${height} pixels). Pass an image of a digit.`);
  const channels = CHANNELS[colorType];
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (err) {
    throw new Error(`${name}: the PNG is damaged: its image data does not decompress (${(err as Error).message}); the file may be truncated. Re-export or copy the image again.`, { cause: err });
  }
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new Error(`${name}: image data is truncated (${raw.length} bytes for ${width}x${height}).`);
  const rows = unfilter(raw, height, stride, channels, name);
  const [gray, alpha] = [new Float32Array(width * height), new Float32Array(width * height)];
  for (let i = 0; i < width * height; i++) {
    const p = rows.subarray(i * channels, (i + 1) * channels);
    gray[i] = channels >= 3 ? 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] : p[0];
    alpha[i] = channels === 2 ? p[1] : channels === 4 ? p[3] : 255;
  }
  const background = inkIsDark(gray, alpha) ? 255 : 0;
  const pixels = gray.map((g, i) => (g * alpha[i] + background * (255 - alpha[i])) / 255);
  return { width, height, pixels };
}

/** Whether the drawn pixels, weighted by their opacity, are dark on average (false when none is drawn). */
function inkIsDark(gray: Float32Array, alpha: Float32Array): boolean {
  let [ink, opacity] = [0, 0];
  for (let i = 0; i < gray.length; i++) [ink, opacity] = [ink + gray[i] * alpha[i], opacity + alpha[i]];
  return opacity > 0 && ink / opacity < 128;
}

/** Undoes PNG's per-row filters (None, Sub, Up, Average, Paeth). */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number, name: string): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? row[x - bpp] : 0;
      const b = up[x];
      const c = x >= bpp ? up[x - bpp] : 0;
      let predictor: number;
      if (filter === 0) predictor = 0;
      else if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`${name}: unknown PNG filter type ${filter} in row ${y}; the file is damaged.`);
      row[x] = (src[x] + predictor) & 0xff;
    }
  }
  return out;
}

/** Resizes by averaging the source pixels each target pixel covers (area sampling). */
export function resizeGray(image: GrayImage, width: number, height: number): Float32Array {
  if (image.width === width && image.height === height) return image.pixels;
  const out = new Float32Array(width * height);
  for (let ty = 0; ty < height; ty++) {
    for (let tx = 0; tx < width; tx++) {
      const [x0, x1] = [Math.floor((tx * image.width) / width), Math.max(Math.floor((tx * image.width) / width) + 1, Math.floor(((tx + 1) * image.width) / width))];
      const [y0, y1] = [Math.floor((ty * image.height) / height), Math.max(Math.floor((ty * image.height) / height) + 1, Math.floor(((ty + 1) * image.height) / height))];
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += image.pixels[y * image.width + x];
      out[ty * width + tx] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}
