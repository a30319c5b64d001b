import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng, resizeGray } from './png.js';

/** Encodes an 8-bit PNG, filtering row y with filter (y mod 5) so every filter type is exercised. */
function encodePng(width: number, height: number, channels: 1 | 2 | 3 | 4, samples: Uint8Array): Uint8Array {
  const colorType = { 1: 0, 2: 4, 3: 2, 4: 6 }[channels];
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : samples[y * stride + x]);
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const [a, b, c] = [at(x - channels, y), at(x, y - 1), at(x - channels, y - 1)];
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      raw[y * (stride + 1) + 1 + x] = (at(x, y) - predictor) & 0xff;
    }
  }
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(data).copy(out, 8);
    return out; // The decoder does not check CRCs, so they stay zero.
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, colorType, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
}

export { encodePng };

describe('decodePng', () => {
  const [w, h] = [7, 6];
  const gray = Uint8Array.from({ length: w * h }, (_, i) => (i * 37 + 11) % 256);

  it('grayscale through all five row filters', () => {
    expect(Array.from(decodePng(encodePng(w, h, 1, gray), 'g.png').pixels)).toEqual(Array.from(gray));
  });

  it('RGB to luma, and alpha composited on black', () => {
    const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 53) % 256);
    const rgbDecoded = decodePng(encodePng(w, h, 3, rgb), 'c.png').pixels;
    rgbDecoded.forEach((v, i) => expect(v).toBeCloseTo(0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2], 3));
    const ga = Uint8Array.from({ length: w * h * 2 }, (_, i) => (i % 2 ? 51 : 200));
    decodePng(encodePng(w, h, 2, ga), 'a.png').pixels.forEach((v) => expect(v).toBeCloseTo((200 * 51) / 255, 4));
  });

  it('composites transparent pixels on the color that contrasts with the drawn ones, so strokes survive', () => {
    // A 2x1 gray+alpha image: one opaque stroke pixel, one fully transparent pixel.
    const dark = decodePng(encodePng(2, 1, 2, Uint8Array.of(0, 255, 0, 0)), 'dark.png').pixels;
    expect(Array.from(dark)).toEqual([0, 255]);
    const light = decodePng(encodePng(2, 1, 2, Uint8Array.of(255, 255, 0, 0)), 'light.png').pixels;
    expect(Array.from(light)).toEqual([255, 0]);
    // RGBA: half-transparent black on a white-composited background is mid-gray.
    const rgba = decodePng(encodePng(2, 1, 4, Uint8Array.of(0, 0, 0, 255, 0, 0, 0, 102)), 'edge.png').pixels;
    expect(rgba[1]).toBeCloseTo(255 - 102, 4);
    expect(Array.from(decodePng(encodePng(2, 1, 2, new Uint8Array(4)), 'empty.png').pixels)).toEqual([0, 0]);
  });

  it('rejects files that are not 8-bit PNGs, naming the file', () => {
    expect(() => decodePng(new Uint8Array([1, 2, 3]), 'x.png')).toThrow(/x\.png is not a PNG file/);
    const png = encodePng(2, 2, 1, new Uint8Array(4));
    png[24] = 16; // bit depth
    expect(() => decodePng(png, 'deep.png')).toThrow(/deep\.png: kerasm reads 8-bit.*Received: bit depth 16/);
    png[24] = 8;
    png[25] = 3; // color type: palette, which is 8-bit too
    expect(() => decodePng(png, 'pal.png')).toThrow('pal.png: kerasm reads 8-bit, non-interlaced grayscale or RGB(A) PNGs. Received: a palette (indexed-color) PNG. Re-export the image as 8-bit grayscale or RGB, not interlaced.');
  });

  it('names the file of a damaged or empty PNG', () => {
    const png = encodePng(w, h, 1, gray);
    // Cut inside the image data, which starts after the signature, the IHDR chunk and the IDAT chunk's length and type.
    expect(() => decodePng(png.subarray(0, 8 + 25 + 8 + 10), 'cut.png')).toThrow(/^cut\.png: the PNG is damaged: its image data does not decompress \(.+\); the file may be truncated\./);
    expect(() => decodePng(encodePng(0, 0, 1, new Uint8Array()), 'none.png')).toThrow('none.png is an empty image (0x0 pixels). Pass an image of a digit.');
  });
});

describe('resizeGray', () => {
  it('averages the pixels each target pixel covers', () => {
    const image = { width: 4, height: 2, pixels: Float32Array.of(0, 2, 4, 6, 8, 10, 12, 14) };
    expect(Array.from(resizeGray(image, 2, 1))).toEqual([(0 + 2 + 8 + 10) / 4, (4 + 6 + 12 + 14) / 4]);
    expect(Array.from(resizeGray(image, 8, 2)).slice(0, 4)).toEqual([0, 0, 2, 2]);
  });
});
