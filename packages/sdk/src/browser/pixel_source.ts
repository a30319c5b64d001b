// The RGBA bytes of each kind of image fromPixels takes. Kinds are told by their properties, not
// their classes, so that bytes decoded in Node (no DOM) and elements from another frame both work.

/**
 * An image's RGBA bytes, row by row, 4 per pixel: TensorFlow.js' `PixelData`, what image decoders
 * give in Node. An `ImageData` is one too.
 */
export interface PixelData {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** What `km.browser.fromPixels` reads: the image types tfjs' `fromPixels` takes. */
export type PixelSource = PixelData | ImageData | HTMLCanvasElement | OffscreenCanvas | HTMLImageElement | HTMLVideoElement | ImageBitmap;

/** An image's size and its RGBA bytes. */
export interface Rgba {
  width: number;
  height: number;
  bytes: ArrayLike<number>;
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
type Drawable = HTMLImageElement | HTMLVideoElement | ImageBitmap | HTMLCanvasElement | OffscreenCanvas;

const WHERE = 'km.browser.fromPixels';
const HAVE_CURRENT_DATA = 2;

/** The size and RGBA bytes of `pixels`, or an error naming what is wrong with it and the fix. */
export function readRgba(pixels: PixelSource): Rgba {
  if (pixels === null || typeof pixels !== 'object') {
    throw new Error(`${WHERE} takes an image (a canvas, an <img>, a <video>, an ImageBitmap, an ImageData or { width, height, data } RGBA bytes); received ${pixels === null ? 'null' : typeof pixels}.`);
  }
  const p = pixels as unknown as Record<string, unknown>;
  if (typeof p.data === 'function') {
    throw new Error(`${WHERE} reads images, and received a tensor, which already holds values: use it as it is (a tfjs tensor: km.tensor(await t.data(), t.shape)).`);
  }
  if ('data' in p) return pixelData(p);
  if (typeof p.videoWidth === 'number') return video(pixels as HTMLVideoElement);
  if (typeof p.naturalWidth === 'number') return image(pixels as HTMLImageElement);
  if (typeof p.getContext === 'function') return canvas(pixels as HTMLCanvasElement | OffscreenCanvas);
  if (typeof ImageBitmap !== 'undefined' && pixels instanceof ImageBitmap) {
    checkSize(pixels.width, pixels.height, 'ImageBitmap', 'it was closed (bitmap.close()) or made from an empty image; make a new one with createImageBitmap');
    return drawn(pixels, pixels.width, pixels.height, 'an ImageBitmap');
  }
  throw new Error(
    `${WHERE} takes an HTMLCanvasElement, OffscreenCanvas, HTMLImageElement, HTMLVideoElement, ImageBitmap, ImageData or { width, height, data } RGBA bytes; ` +
      `received ${describeObject(pixels)}. Draw other images onto a canvas first and pass the canvas.`,
  );
}

function pixelData(p: Record<string, unknown>): Rgba {
  const { width, height, data } = p;
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new Error(
      `${WHERE}: { width, height, data } needs data as a Uint8Array or Uint8ClampedArray of RGBA bytes; received ${describeObject(data)}. ` +
        'Values that are not RGBA bytes make a tensor directly: km.tensor(values, [height, width, channels]).',
    );
  }
  if (!isSize(width) || !isSize(height)) {
    throw new Error(`${WHERE}: { width, height, data } needs width and height as positive integers; received width=${String(width)}, height=${String(height)}. Give the image's size in pixels.`);
  }
  const expected = width * height * 4;
  if (data.length !== expected) {
    const rgb = data.length === width * height * 3 ? ` They look like RGB bytes (3 per pixel): make the tensor of them directly, km.tensor(data, [${height}, ${width}, 3]).` : '';
    throw new Error(`${WHERE}: a ${width}x${height} image has ${expected} RGBA bytes (4 per pixel), but data holds ${data.length}.${rgb || ' Check width, height and that data holds 4 bytes per pixel.'}`);
  }
  return { width, height, bytes: data };
}

function video(v: HTMLVideoElement): Rgba {
  if (v.readyState < HAVE_CURRENT_DATA) {
    throw new Error(
      `${WHERE}: the <video> has no frame yet (readyState ${v.readyState}). Wait until it has one: ` +
        "await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true })), after video.play() for a webcam stream.",
    );
  }
  checkSize(v.videoWidth, v.videoHeight, '<video>', 'its source has no picture; check its src or srcObject');
  return drawn(v, v.videoWidth, v.videoHeight, 'a <video>');
}

function image(img: HTMLImageElement): Rgba {
  if (!img.complete) {
    throw new Error(
      `${WHERE}: the <img> has not finished loading (complete is false), so it has no pixels yet. ` +
        'Wait for it first, await img.decode() or its load event, or use await km.browser.fromPixelsAsync(img), which waits.',
    );
  }
  if (img.naturalWidth === 0) {
    const why = img.src === '' ? 'it has no src; set img.src' : `its src failed to load or is not an image; check img.src ('${truncate(img.src)}')`;
    throw new Error(`${WHERE}: the <img> has no pixels (naturalWidth is 0): ${why}.`);
  }
  // tfjs reads an <img> at its width and height (its attributes, else its natural size), scaling the picture to them.
  checkSize(img.width, img.height, '<img>', 'set img.width and img.height, or remove the zero-size attributes');
  return drawn(img, img.width, img.height, 'an <img>');
}

function canvas(c: HTMLCanvasElement | OffscreenCanvas): Rgba {
  checkSize(c.width, c.height, 'canvas', 'set canvas.width and canvas.height to its size in pixels before drawing on it');
  const context = c.getContext('2d') as Context2D | null;
  // A canvas holding a WebGL or bitmap context has no 2D one: copy its picture onto one instead.
  if (context === null) return drawn(c, c.width, c.height, 'a canvas');
  return { width: c.width, height: c.height, bytes: imageBytes(context, c.width, c.height) };
}

let scratch: Context2D | null = null;

/** The RGBA bytes of `source` drawn onto a 2D canvas of its size, as tfjs reads images, videos and bitmaps. */
function drawn(source: Drawable, width: number, height: number, what: string): Rgba {
  scratch ??= scratchContext(what);
  // Setting the size also clears what the last image left.
  scratch.canvas.width = width;
  scratch.canvas.height = height;
  scratch.drawImage(source, 0, 0, width, height);
  return { width, height, bytes: imageBytes(scratch, width, height) };
}

function scratchContext(what: string): Context2D {
  const options: CanvasRenderingContext2DSettings = { willReadFrequently: true };
  const context: Context2D | null =
    typeof document !== 'undefined'
      ? document.createElement('canvas').getContext('2d', options)
      : typeof OffscreenCanvas !== 'undefined'
        ? (new OffscreenCanvas(1, 1).getContext('2d', options) as OffscreenCanvasRenderingContext2D | null)
        : null;
  if (context === null) {
    throw new Error(`${WHERE} reads ${what} by drawing it on a 2D canvas, and this environment has none (no document or OffscreenCanvas). Decode the image to { width, height, data } RGBA bytes and pass those.`);
  }
  return context;
}

function imageBytes(context: Context2D, width: number, height: number): Uint8ClampedArray {
  try {
    return context.getImageData(0, 0, width, height).data;
  } catch (error) {
    if ((error as { name?: unknown }).name === 'SecurityError') {
      throw new Error(
        `${WHERE}: the browser will not let scripts read this image, which came from another origin without CORS permission. ` +
          "Load it with img.crossOrigin = 'anonymous' (set before src) from a server that sends Access-Control-Allow-Origin, or serve it from this page's origin.",
      );
    }
    throw error;
  }
}

function checkSize(width: number, height: number, what: string, fix: string): void {
  if (!isSize(width) || !isSize(height)) throw new Error(`${WHERE}: the ${what} is ${width}x${height} pixels, so there is nothing to read; ${fix}.`);
}

function isSize(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0;
}

/** What `value` is, for an error: its class with an article, or the keys of a plain object. */
export function describeObject(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return typeof value;
  if (Array.isArray(value)) return 'an array';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name !== 'string' || name === 'Object') return `an object with keys [${Object.keys(value).join(', ')}]`;
  return `${/^([AEIOU]|HTML)/.test(name) ? 'an' : 'a'} ${name}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
