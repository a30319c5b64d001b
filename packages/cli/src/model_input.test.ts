import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputImages } from './model_input.js';

describe('readInputImages (JSON)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kerasm-input-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, json: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(json));
    return path;
  };

  it('scales 0-255 to [0, 1] and keeps values already in [0, 1]', async () => {
    expect((await readInputImages(await write('gray.json', new Array(784).fill(255))))[0]).toBe(1);
    expect((await readInputImages(await write('unit.json', new Array(784).fill(0.5))))[783]).toBe(0.5);
  });

  it('refuses a JSON object or a number, saying the file must hold a list', async () => {
    const object = await write('object.json', { pixels: new Array(784).fill(0) });
    await expect(readInputImages(object)).rejects.toThrow(`${object} must hold a JSON list: an array of 784 pixel values, 28 rows of 28, or a list of such images. Received an object.`);
    await expect(readInputImages(await write('number.json', 7))).rejects.toThrow('must hold a JSON list: an array of 784 pixel values, 28 rows of 28, or a list of such images. Received the number 7.');
  });

  it('refuses values outside 0-255, naming the index, image, row and column', async () => {
    const path = await write('bright.json', new Array(784).fill(1000));
    await expect(readInputImages(path)).rejects.toThrow(`${path}: value 1000 at index 0 (image 0, row 0, column 0) is outside the pixel range 0-255. Pass gray levels 0 (black) to 255 (white), or 0 to 1.`);
    const second = new Array(784 * 2).fill(0);
    second[784 + 28 * 3 + 5] = -5;
    await expect(readInputImages(await write('negative.json', second))).rejects.toThrow('value -5 at index 873 (image 1, row 3, column 5) is outside the pixel range 0-255.');
  });
});
