const SIDE = 28;
const PIXELS = SIDE * SIDE;
/** Images whose brightest and darkest pixels differ by less than one gray level are blank. */
const BLANK_SPREAD = 1 / 255;
/** MNIST's backgrounds are black (0): a border or image brighter than mid-gray is no MNIST digit. */
const BRIGHT = 0.5;

/**
 * Warnings for `--input` images that cannot be MNIST-like digits, whose predictions would be
 * silently wrong: blank images, and inverted ones (a bright background; MNIST digits are white on
 * black). `pixels` holds 28x28 images in [0, 1], after `--invert` when `inverted`; `name` is the file.
 */
export function digitImageWarnings(pixels: Float32Array, name: string, inverted: boolean): string[] {
  const count = pixels.length / PIXELS;
  const [blank, bright]: [number[], { index: number; border: number }[]] = [[], []];
  for (let index = 0; index < count; index++) {
    const image = pixels.subarray(index * PIXELS, (index + 1) * PIXELS);
    const [min, max] = [Math.min(...image), Math.max(...image)];
    const mean = image.reduce((a, b) => a + b, 0) / PIXELS;
    const border = borderMean(image);
    if (max - min < BLANK_SPREAD) blank.push(index);
    else if (border > BRIGHT || mean > BRIGHT) bright.push({ index, border });
  }
  const warnings: string[] = [];
  if (blank.length > 0) {
    const level = count === 1 ? ` (gray level ${Math.round(pixels[0] * 255)} of 255)` : '';
    warnings.push(`${subject(name, blank, count, ['is', 'are'])} blank: every pixel has the same value${level}, so there is no digit to recognize and the prediction means nothing. Pass an image with a digit drawn on it.`);
  }
  if (bright.length > 0) {
    const border = count === 1 ? ` (its border pixels average ${bright[0].border.toFixed(2)}, on 0 for black to 1 for white)` : '';
    const fix = inverted ? 'The image was light on dark already: drop --invert.' : 'If the digit is dark on a light background, pass --invert.';
    warnings.push(
      `${subject(name, bright.map((b) => b.index), count, ['looks', 'look'])} inverted${inverted ? ' after --invert' : ''}: the background is bright${border}, ` +
        `but MNIST digits are white on black, so the prediction is likely wrong. ${fix}`,
    );
  }
  return warnings;
}

/** Who a warning is about, and its verb: `x.png` (is, looks), or `x.json: images 0, 3 (2 of 10)` (are, look). */
function subject(name: string, indices: readonly number[], count: number, verbs: [string, string]): string {
  if (count === 1) return `${name} ${verbs[0]}`;
  const listed = indices.slice(0, 5).join(', ') + (indices.length > 5 ? ', ...' : '');
  return indices.length === 1 ? `${name}: image ${listed} of ${count} ${verbs[0]}` : `${name}: images ${listed} (${indices.length} of ${count}) ${verbs[1]}`;
}

/** The mean of the outermost ring of pixels, the background of a centered digit. */
function borderMean(image: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < SIDE; i++) sum += image[i] + image[(SIDE - 1) * SIDE + i] + image[i * SIDE] + image[i * SIDE + SIDE - 1];
  // The four corners were counted twice.
  sum -= image[0] + image[SIDE - 1] + image[(SIDE - 1) * SIDE] + image[PIXELS - 1];
  return sum / (4 * SIDE - 4);
}
