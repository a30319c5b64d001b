import { describe, expect, it } from 'vitest';
import { digitImageWarnings } from './digit_image_checks.js';

/** A 28x28 image of `background` with a 4-pixel-wide vertical bar of `stroke` in the middle: a "1". */
function one(background: number, stroke: number): Float32Array {
  return Float32Array.from({ length: 784 }, (_, i) => (i % 28 >= 12 && i % 28 < 16 && i >= 4 * 28 && i < 24 * 28 ? stroke : background));
}

describe('digitImageWarnings', () => {
  it('says nothing of a white digit on black', () => {
    expect(digitImageWarnings(one(0, 1), 'one.png', false)).toEqual([]);
    expect(digitImageWarnings(one(0, 1), 'one.png', true)).toEqual([]);
  });

  it('warns of a bright background, naming the fix', () => {
    expect(digitImageWarnings(one(1, 0), 'bow.png', false)).toEqual([
      'bow.png looks inverted: the background is bright (its border pixels average 1.00, on 0 for black to 1 for white), but MNIST digits are white on black, ' +
        'so the prediction is likely wrong. If the digit is dark on a light background, pass --invert.',
    ]);
    const [after] = digitImageWarnings(one(0.9, 0.1), 'wob.png', true);
    expect(after).toMatch(/^wob\.png looks inverted after --invert: the background is bright \(its border pixels average 0\.90,.* The image was light on dark already: drop --invert\.$/);
    // A dark border around a mostly bright image is no MNIST digit either.
    const framed = Float32Array.from({ length: 784 }, (_, i) => (i < 28 || i >= 27 * 28 || i % 28 === 0 || i % 28 === 27 ? 0 : 0.95));
    expect(digitImageWarnings(framed, 'framed.png', false)[0]).toMatch(/^framed\.png looks inverted: .*average 0\.00/);
  });

  it('warns of a blank image, with its gray level', () => {
    expect(digitImageWarnings(new Float32Array(784), 'empty.png', false)).toEqual([
      'empty.png is blank: every pixel has the same value (gray level 0 of 255), so there is no digit to recognize and the prediction means nothing. Pass an image with a digit drawn on it.',
    ]);
    // All white is blank, not inverted.
    expect(digitImageWarnings(new Float32Array(784).fill(1), 'white.png', false)).toEqual([expect.stringMatching(/^white\.png is blank: .*gray level 255 of 255/)]);
  });

  it('names the images of a JSON file that are blank or inverted', () => {
    const images = [one(0, 1), new Float32Array(784), one(1, 0), one(0, 1), one(0.8, 0)];
    const pixels = new Float32Array(images.length * 784);
    images.forEach((image, i) => pixels.set(image, i * 784));
    const [blank, inverted] = digitImageWarnings(pixels, 'x.json', false);
    expect(blank).toMatch(/^x\.json: image 1 of 5 is blank: every pixel has the same value, so/);
    expect(inverted).toMatch(/^x\.json: images 2, 4 \(2 of 5\) look inverted: the background is bright, but MNIST/);
  });
});
