import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as km from '@kerasm/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from './png.test.js';
import { buildCli, kerasm } from './testing/cli_binary.js';

// Through the built binary: a digit drawn dark on light, or on a transparent canvas, is flagged on
// stderr, and with --invert predicts exactly as the same digit drawn white on black.
describe('kerasm predict --input with images that are not white on black', () => {
  let dir: string;
  const path = (name: string) => join(dir, name);
  /** A "1" as in MNIST: a vertical bar, x 12-15 and y 4-23 of 28x28, scaled by `scale` (56x56: 2). */
  const isStroke = (x: number, y: number, scale: number) => x >= 12 * scale && x < 16 * scale && y >= 4 * scale && y < 24 * scale;
  const gray = (side: number, stroke: number, background: number) =>
    Uint8Array.from({ length: side * side }, (_, i) => (isStroke(i % side, Math.floor(i / side), side / 28) ? stroke : background));
  const predict = (...args: string[]) => kerasm('predict', path('m'), '--json', ...args);

  beforeAll(async () => {
    await buildCli();
    await km.ready();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-polarity-'));
    km.utils.setRandomSeed(3);
    const model = km.sequential([km.layers.flatten({ inputShape: [28, 28] }), km.layers.dense({ units: 10, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await model.save(`file://${path('m')}`);
    await writeFile(path('one.json'), JSON.stringify(Array.from(gray(28, 255, 0))));
    await writeFile(path('wob.png'), encodePng(28, 28, 1, gray(28, 255, 0)));
    await writeFile(path('bow.png'), encodePng(28, 28, 1, gray(28, 0, 255)));
    // A canvas export: opaque black strokes on fully transparent black pixels, RGBA, at 56x56.
    const canvas = new Uint8Array(56 * 56 * 4);
    gray(56, 255, 0).forEach((alpha, i) => (canvas[4 * i + 3] = alpha));
    await writeFile(path('canvas.png'), encodePng(56, 56, 4, canvas));
    await writeFile(path('empty.png'), encodePng(28, 28, 4, new Uint8Array(28 * 28 * 4)));
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a white digit on black gets no warning, and the same prediction as its JSON pixels', async () => {
    const [png, json] = [await predict('--input', path('wob.png')), await predict('--input', path('one.json'))];
    expect(png.code, png.stderr).toBe(0);
    expect(png.stderr).not.toMatch(/warning/);
    expect(JSON.parse(png.stdout)).toEqual(JSON.parse(json.stdout));
  });

  it.each(['bow.png', 'canvas.png'])('%s: warns that it looks inverted; with --invert it predicts as the white-on-black digit', async (name) => {
    const reference = JSON.parse((await predict('--input', path('one.json'))).stdout);
    const plain = await predict('--input', path(name));
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toContain(`kerasm: warning: ${path(name)} looks inverted: the background is bright (its border pixels average 1.00, on 0 for black to 1 for white), but MNIST digits are white on black, so the prediction is likely wrong. If the digit is dark on a light background, pass --invert.`);
    expect(JSON.parse(plain.stdout)).not.toEqual(reference);
    const inverted = await predict('--input', path(name), '--invert');
    expect(inverted.code, inverted.stderr).toBe(0);
    expect(inverted.stderr).not.toMatch(/warning/);
    expect(JSON.parse(inverted.stdout)).toEqual(reference);
  });

  it('--invert on a white digit on black warns to drop it; a transparent image is blank', async () => {
    const twice = await kerasm('predict', path('m'), '--input', path('wob.png'), '--invert');
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stderr).toMatch(/looks inverted after --invert: .* The image was light on dark already: drop --invert\./);
    expect(twice.stdout).toMatch(/^image 0: \d \(\d+\.\d%\)\n$/);
    const empty = await predict('--input', path('empty.png'));
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stderr).toContain(`${path('empty.png')} is blank: every pixel has the same value (gray level 0 of 255), so there is no digit to recognize`);
    expect(JSON.parse(empty.stdout).predictions).toHaveLength(1);
  });
});
