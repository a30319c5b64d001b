import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';

// Failures injected into the real file system: a weights write that dies half-way (disk full,
// process killed) and a crash just before model.json is renamed into place.
const inject = vi.hoisted(() => ({ failure: null as null | 'half-written weights' | 'crash before commit' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof fs.open = async (path, flags, mode) => {
    const handle = await fs.open(path, flags, mode);
    if (inject.failure !== 'half-written weights' || flags !== 'w' || !String(path).includes('weights-')) return handle;
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'writeFile') {
          return async (data: Uint8Array) => {
            await target.write(data.subarray(0, data.length >> 1));
            throw new Error('injected: no space left on device');
          };
        }
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  const rename: typeof fs.rename = async (from, to) => {
    if (inject.failure === 'crash before commit' && String(to).endsWith('model.json')) throw new Error('injected: process killed');
    return fs.rename(from, to);
  };
  return { ...fs, default: { ...fs, open, rename }, open, rename };
});

let dir: string;
const x = km.tensor(Float32Array.from({ length: 2 * 6 }, (_, i) => Math.cos(i)), [2, 6]);

function model(seed: number): km.Sequential {
  km.utils.setRandomSeed(seed);
  return km.sequential([km.layers.dense({ inputShape: [6], units: 4, activation: 'tanh' }), km.layers.dense({ units: 2 })]);
}

beforeAll(async () => {
  await km.ready();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-atomic-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('saving is atomic', () => {
  it.each(['half-written weights', 'crash before commit'] as const)('a save interrupted by %s leaves the previous model loadable and no stray files', async (failure) => {
    const path = join(dir, failure.replace(/ /g, '-'));
    const previous = model(1);
    await previous.save(path);
    const before = (await readdir(path)).sort();

    inject.failure = failure;
    try {
      await expect(model(2).save(path)).rejects.toThrow(/injected/);
    } finally {
      inject.failure = null;
    }

    expect((await readdir(path)).sort()).toEqual(before);
    const loaded = await km.loadLayersModel(path);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(previous.predict(x).dataSync()));
    expect(Array.from(loaded.predict(x).dataSync())).not.toEqual(Array.from(model(2).predict(x).dataSync()));
  });
});
