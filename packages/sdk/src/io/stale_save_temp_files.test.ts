import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

let dir: string;

beforeAll(async () => {
  await km.ready();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-stale-tmp-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a save to a folder', () => {
  it('removes the old temporary files of killed saves, and nothing else', async () => {
    const folder = join(dir, 'model');
    const model = km.sequential([km.layers.dense({ inputShape: [3], units: 2 })]);
    await model.save(folder);
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    const stale = ['.weights-0123456789abcdef.bin.4242.k3j9x.tmp', '.model.json.4242.a1.tmp'];
    // Younger files may be a concurrent save's; the others are not kerasm's save files.
    const kept = ['.weights-fedcba9876543210.bin.777.q8.tmp', '.notes.txt.4242.a1.tmp', '.weights-draft.bin.4242.a1.tmp', 'weights-0123456789abcdef.bin.tmp', 'notes.txt'];
    for (const name of [...stale, ...kept]) {
      await writeFile(join(folder, name), 'x');
      if (name !== kept[0]) await utimes(join(folder, name), hourAgo, hourAgo);
    }

    model.layers[0].setWeights([km.ones([3, 2]), km.zeros([2])]);
    await model.save(folder);

    const files = await readdir(folder);
    for (const name of stale) expect(files).not.toContain(name);
    const weights = files.filter((f) => /^weights-[0-9a-f]{16}\.bin$/.test(f));
    expect(files.sort()).toEqual(['model.json', ...weights, ...kept].sort());
    expect(weights).toHaveLength(1);
    const loaded = await km.loadLayersModel(folder);
    expect(Array.from(loaded.getWeights()[0].dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
