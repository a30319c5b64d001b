import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { kerasmArtifacts, maxAbsDiff } from './testing/round_trip.js';

// model.save({ quantize }) against its own reading of the bytes and against tfjs-layers 4.22.

const INPUTS = 10;
const HIDDEN = 16;
const OUTPUTS = 4;
const BATCH = 6;
const DTYPES = ['uint8', 'uint16', 'float16'] as const;

let dir: string;
let xValues: Float32Array;

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'kerasm-quantized-'));
  const random = new Random(11);
  xValues = Float32Array.from({ length: BATCH * INPUTS }, () => random.uniform(-1, 1));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Dense(16, relu) → Dense(4): the first bias all zeros (a constant weight), the second all positive (min > 0). */
function model(): km.Sequential {
  km.utils.setRandomSeed(4);
  const m = km.sequential([km.layers.dense({ units: HIDDEN, activation: 'relu', inputShape: [INPUTS] }), km.layers.dense({ units: OUTPUTS })]);
  const [k1, b1, k2] = m.getWeights();
  m.setWeights([k1, b1, k2, km.tensor(Float32Array.of(0.5, 1, 2, 1.25), [OUTPUTS])]);
  return m;
}

/** Each weight read from the saved bytes by hand: `q · scale + min` for uint8/uint16, the half float's sign, exponent and mantissa for float16. */
function naiveDequantized(artifacts: km.io.ModelArtifacts): Float32Array[] {
  const data = new DataView(artifacts.weightData as ArrayBuffer);
  let offset = 0;
  return artifacts.weightSpecs!.map((spec) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const q = spec.quantization!;
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (q.dtype === 'uint8') values[i] = data.getUint8(offset + i) * q.scale! + q.min!;
      else if (q.dtype === 'uint16') values[i] = data.getUint16(offset + 2 * i, true) * q.scale! + q.min!;
      else {
        const h = data.getUint16(offset + 2 * i, true);
        const [sign, exponent, mantissa] = [h >> 15 ? -1 : 1, (h >> 10) & 31, h & 1023];
        values[i] = exponent === 0 ? sign * mantissa * 2 ** -24 : sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
      }
    }
    offset += n * (q.dtype === 'uint8' ? 1 : 2);
    return values;
  });
}

/** The largest error quantizing `w` may make: scale/2 for uint8/uint16, half an ulp of each value for float16. */
function errorBound(spec: km.io.WeightSpec, w: Float32Array): Float32Array {
  const q = spec.quantization!;
  // Float32 rounding of the dequantized value adds at most half a float32 ulp.
  if (q.dtype !== 'float16') return w.map((v) => q.scale! / 2 + Math.abs(v) * 2 ** -24 + 1e-12);
  return w.map((v) => Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
}

/** A bound on |Δy| for Dense(relu) → Dense from the weights' error bounds (relu is 1-Lipschitz). */
function predictionBound(x: Float32Array, original: Float32Array[], loaded: Float32Array[], bounds: Float32Array[]): number {
  const [k1, b1] = original;
  const [, , k2] = loaded;
  const [dk1, db1, dk2, db2] = bounds;
  let worst = 0;
  for (let r = 0; r < BATCH; r++) {
    const hidden = new Float64Array(HIDDEN);
    const hiddenError = new Float64Array(HIDDEN);
    for (let j = 0; j < HIDDEN; j++) {
      let sum = b1[j];
      let error = db1[j];
      for (let i = 0; i < INPUTS; i++) {
        sum += x[r * INPUTS + i] * k1[i * HIDDEN + j];
        error += Math.abs(x[r * INPUTS + i]) * dk1[i * HIDDEN + j];
      }
      hidden[j] = Math.max(sum, 0);
      hiddenError[j] = error;
    }
    for (let o = 0; o < OUTPUTS; o++) {
      let error = db2[o];
      for (let j = 0; j < HIDDEN; j++) error += hiddenError[j] * Math.abs(k2[j * OUTPUTS + o]) + hidden[j] * dk2[j * OUTPUTS + o];
      worst = Math.max(worst, error);
    }
  }
  return worst;
}

describe.each(DTYPES)("model.save({ quantize: '%s' })", (dtype) => {
  it('loads in kerasm with the bytes as saved, each weight and prediction within the error bound', async () => {
    const original = model();
    const x = km.tensor(xValues, [BATCH, INPUTS]);
    const artifacts = await kerasmArtifacts(original);
    let quantized: km.io.ModelArtifacts | undefined;
    await original.save(km.io.withSaveHandler(async (a) => void (quantized = a)), { quantize: dtype });

    const count = original.countParams();
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(4 * count);
    expect((quantized!.weightData as ArrayBuffer).byteLength).toBe((dtype === 'uint8' ? 1 : 2) * count);
    expect(quantized!.weightSpecs!.map((s) => s.quantization?.dtype)).toEqual([dtype, dtype, dtype, dtype]);

    const loaded = await km.loadLayersModel(km.io.fromMemory(quantized!));
    const loadedWeights = loaded.getWeights().map((w) => w.dataSync() as Float32Array);
    const naive = naiveDequantized(quantized!);
    loadedWeights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(naive[i])));

    const originalWeights = original.getWeights().map((w) => w.dataSync() as Float32Array);
    const bounds = quantized!.weightSpecs!.map((spec, i) => errorBound(spec, originalWeights[i]));
    originalWeights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(loadedWeights[i][j] - v), `${quantized!.weightSpecs![i].name}[${j}]`).toBeLessThanOrEqual(bounds[i][j])));
    // The zero bias comes back exactly zero (uint8/uint16: stored 0 with min 0, scale 1), and the positive one within its bound.
    expect(Array.from(loadedWeights[1])).toEqual(new Array(HIDDEN).fill(0));
    if (dtype !== 'float16') expect(quantized!.weightSpecs![1].quantization).toEqual({ dtype, min: 0, scale: 1, original_dtype: 'float32' });

    const gap = maxAbsDiff(loaded.predict(x).dataSync(), original.predict(x).dataSync());
    expect(gap).toBeLessThanOrEqual(predictionBound(xValues, originalWeights, loadedWeights, bounds) + 1e-5);
    expect(gap).toBeGreaterThan(0);
  });

  it('loads in tfjs-layers with the weights and predictions kerasm loads', async () => {
    const original = model();
    let quantized: km.io.ModelArtifacts | undefined;
    await original.save(km.io.withSaveHandler(async (a) => void (quantized = a)), { quantize: dtype });
    const ours = await km.loadLayersModel(km.io.fromMemory(quantized!));
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(quantized as tf.io.ModelArtifacts));

    const names = quantized!.weightSpecs!.map((s) => s.name);
    const tfjsWeights = new Map(theirs.weights.map((w) => [w.originalName, w.read().dataSync()]));
    ours.getWeights().forEach((w, i) => expect(Array.from(tfjsWeights.get(names[i])!)).toEqual(Array.from(w.dataSync())));
    const tfPredictions = (theirs.predict(tf.tensor(xValues, [BATCH, INPUTS])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(tfPredictions, ours.predict(km.tensor(xValues, [BATCH, INPUTS])).dataSync())).toBeLessThanOrEqual(1e-5);
  });
});

describe('quantized saving to disk', () => {
  it('writes a weights file of a quarter (uint8) or half (uint16, float16) the float32 size, and model.json as the converter does', async () => {
    km.utils.setRandomSeed(2);
    const mnist = km.sequential([km.layers.flatten({ inputShape: [28, 28] }), km.layers.dense({ units: 64, activation: 'relu' }), km.layers.dense({ units: 10, activation: 'softmax' })]);
    const sizes: Record<string, number> = {};
    for (const dtype of ['none', ...DTYPES] as const) {
      const path = join(dir, dtype);
      await mnist.save(`file://${path}`, dtype === 'none' ? {} : { quantize: dtype });
      const files = (await readdir(path)).sort();
      expect(files).toHaveLength(2);
      sizes[dtype] = (await stat(join(path, files[1]))).size;
      const json = JSON.parse(await readFile(join(path, 'model.json'), 'utf8'));
      const specs = json.weightsManifest[0].weights as km.io.WeightSpec[];
      if (dtype === 'none') {
        expect(specs.every((s) => s.quantization === undefined)).toBe(true);
      } else {
        for (const spec of specs) {
          expect(spec.dtype).toBe('float32');
          expect(Object.keys(spec.quantization!)).toEqual(dtype === 'float16' ? ['dtype', 'original_dtype'] : ['dtype', 'min', 'scale', 'original_dtype']);
        }
        const fromDisk = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: (await readFile(join(path, files[1]))).buffer }));
        expect(fromDisk.countParams()).toBe(mnist.countParams());
      }
    }
    const params = mnist.countParams();
    expect(sizes).toEqual({ none: 4 * params, uint8: params, uint16: 2 * params, float16: 2 * params });
  });
});

describe('quantize options', () => {
  it('quantizes only the weights a pattern names, and keeps optimizer state float32', async () => {
    const m = model();
    m.compile({ optimizer: 'adam', loss: 'mse' });
    await m.fit(km.tensor(xValues, [BATCH, INPUTS]), km.zeros([BATCH, OUTPUTS]), { epochs: 1, verbose: 0 });
    let saved: km.io.ModelArtifacts | undefined;
    await m.save(km.io.withSaveHandler(async (a) => void (saved = a)), { includeOptimizer: true, quantize: { dtype: 'uint8', weights: ['*kernel'] } });
    const specs = saved!.weightSpecs!;
    const modelSpecs = specs.filter((s) => s.group !== 'optimizer');
    expect(modelSpecs.map((s) => [s.name.endsWith('kernel'), s.quantization?.dtype])).toEqual([[true, 'uint8'], [false, undefined], [true, 'uint8'], [false, undefined]]);
    expect(specs.filter((s) => s.group === 'optimizer').every((s) => s.quantization === undefined)).toBe(true);
    const loaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    expect(loaded.optimizer?.iterations).toBe(m.optimizer?.iterations);
    expect(Array.from(loaded.getWeights()[3].dataSync())).toEqual(Array.from(m.getWeights()[3].dataSync()));
  });

  it('saveWeights quantizes as save does, and loadWeights reads the weights a naive dequantization gives', async () => {
    const saver = model();
    let saved: km.io.ModelArtifacts | undefined;
    await saver.saveWeights(km.io.withSaveHandler(async (a) => void (saved = a)), { quantize: 'uint16' });
    expect(saved!.weightSpecs!.map((s) => s.quantization?.dtype)).toEqual(['uint16', 'uint16', 'uint16', 'uint16']);
    expect(saved!.trainingConfig).toBeUndefined();
    const twin = model();
    await twin.loadWeights(km.io.fromMemory(saved!));
    const naive = naiveDequantized(saved!);
    twin.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(naive[i])));
    await expect(saver.saveWeights(km.io.withSaveHandler(async () => {}), { includeOptimizer: true } as never)).rejects.toThrow(/saveWeights has no option 'includeOptimizer'/);
  });

  it('refuses an unknown dtype, naming the valid ones, before anything is written', async () => {
    const path = join(dir, 'refused');
    await expect(model().save(`file://${path}`, { quantize: 'int8' as never })).rejects.toThrow(/quantize must be one of 'uint8', 'uint16', 'float16'.*Received: quantize="int8"/);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
    await expect(model().save(`file://${path}`, { quantise: 'uint8' } as never)).rejects.toThrow(/has no option 'quantise'; did you mean 'quantize'/);
  });
});
