import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { crc32c } from './crc32c.js';
import { histogramBuckets } from './histogram_buckets.js';

// The callback's files are read back by a reader written here from the format's description
// (TFRecord framing, protobuf wire format, event.proto's and summary.proto's field numbers), with
// its own bit-by-bit CRC-32C, so an error in the writer's encoding cannot cancel out.

let dir: string;
beforeAll(async () => {
  await km.ready();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-tensorboard-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** CRC-32C one bit at a time, with the polynomial 0x1EDC6F41 reflected. */
function bitwiseCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function masked(bytes: Uint8Array): number {
  const crc = bitwiseCrc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) % 2 ** 32;
}

type Field = { field: number; varint?: number; fixed?: DataView; bytes?: Uint8Array };

/** The fields of one protobuf message, in order. */
function protoFields(bytes: Uint8Array): Field[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: Field[] = [];
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === 0) fields.push({ field, varint: varint() });
    else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      fields.push({ field, fixed: new DataView(bytes.buffer, bytes.byteOffset + at, size) });
      at += size;
    } else if (wireType === 2) {
      const length = varint();
      fields.push({ field, bytes: bytes.subarray(at, at + length) });
      at += length;
    } else throw new Error(`unexpected wire type ${wireType}`);
  }
  expect(at).toBe(view.byteLength);
  return fields;
}

/** A histogram Summary.Value: its tag, the tensor's dtype and shape, its [left, right, count] rows, and its metadata. */
interface Histogram {
  tag: string;
  dtype: number;
  shape: number[];
  rows: [number, number, number][];
  pluginName: string;
  pluginContent: number;
  dataClass: number;
}

interface Event {
  wallTime: number;
  step: number;
  fileVersion?: string;
  /** The summary's scalar values, as [tag, simple_value]. */
  values: [string, number][];
  /** The summary's tensor values (histograms), present only when there are some. */
  histograms?: Histogram[];
}

const field = (fields: Field[], number: number): Field | undefined => fields.find((f) => f.field === number);

/**
 * Value { tag = 1; tensor = 8; metadata = 9 }, TensorProto { dtype = 1; tensor_shape = 2; tensor_content = 4 },
 * TensorShapeProto { repeated dim = 2 { size = 1 } }, SummaryMetadata { plugin_data = 1 { plugin_name = 1; content = 2 }; data_class = 4 }.
 */
function decodeHistogram(tag: string, parts: Field[]): Histogram {
  expect(parts.map((p) => p.field)).toEqual([1, 8, 9]);
  const tensor = protoFields(field(parts, 8)!.bytes!);
  const shape = protoFields(field(tensor, 2)!.bytes!).map((dim) => {
    expect(dim.field).toBe(2);
    return field(protoFields(dim.bytes!), 1)!.varint!;
  });
  const content = field(tensor, 4)!.bytes!;
  const doubles = new DataView(content.buffer, content.byteOffset, content.byteLength);
  const rows = Array.from({ length: content.length / 24 }, (_, r): [number, number, number] => [0, 1, 2].map((c) => doubles.getFloat64((r * 3 + c) * 8, true)) as [number, number, number]);
  expect(tensor.map((t) => t.field)).toEqual([1, 2, 4]);
  const metadata = protoFields(field(parts, 9)!.bytes!);
  expect(metadata.map((m) => m.field)).toEqual([1, 4]);
  const plugin = protoFields(field(metadata, 1)!.bytes!);
  return {
    tag, dtype: field(tensor, 1)!.varint!, shape, rows,
    pluginName: new TextDecoder().decode(field(plugin, 1)!.bytes), pluginContent: field(plugin, 2)?.bytes?.length ?? 0, dataClass: field(metadata, 4)!.varint!,
  };
}

/** Event { wall_time double = 1; step int64 = 2; file_version string = 3; summary Summary = 5 }. */
function decodeEvent(bytes: Uint8Array): Event {
  const event: Event = { wallTime: NaN, step: 0, values: [] };
  for (const f of protoFields(bytes)) {
    if (f.field === 1) event.wallTime = f.fixed!.getFloat64(0, true);
    else if (f.field === 2) event.step = f.varint!;
    else if (f.field === 3) event.fileVersion = new TextDecoder().decode(f.bytes);
    else if (f.field === 5) {
      // Summary { repeated Value value = 1 }, Value { string tag = 1; float simple_value = 2; TensorProto tensor = 8 }.
      for (const value of protoFields(f.bytes!)) {
        expect(value.field).toBe(1);
        const parts = protoFields(value.bytes!);
        const tag = new TextDecoder().decode(field(parts, 1)!.bytes);
        if (field(parts, 8)) (event.histograms ??= []).push(decodeHistogram(tag, parts));
        else event.values.push([tag, field(parts, 2)!.fixed!.getFloat32(0, true)]);
      }
    } else throw new Error(`unexpected Event field ${f.field}`);
  }
  return event;
}

/** The events of a TFRecord file, checking each record's two masked CRCs. */
function readEvents(file: Uint8Array): Event[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const events: Event[] = [];
  let at = 0;
  while (at < file.length) {
    const length = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
    expect(view.getUint32(at + 8, true), 'length CRC').toBe(masked(file.subarray(at, at + 8)));
    const data = file.subarray(at + 12, at + 12 + length);
    expect(view.getUint32(at + 12 + length, true), 'data CRC').toBe(masked(data));
    events.push(decodeEvent(data));
    at += 16 + length;
  }
  expect(at).toBe(file.length);
  return events;
}

/** The events of the one event file in `folder` (one per fit). */
async function eventsIn(folder: string): Promise<Event[]> {
  const names = await readdir(folder);
  expect(names).toHaveLength(1);
  expect(names[0]).toMatch(/^events\.out\.tfevents\.\d{10}\.[^/]+\.\d+\.\d+\.v2$/);
  return readEvents(await readFile(join(folder, names[0]!)));
}

/** Scalars as [tag, step, value], file order. */
function scalars(events: Event[]): [string, number, number][] {
  return events.slice(1).flatMap((e) => e.values.map(([tag, value]): [string, number, number] => [tag, e.step, value]));
}

const X = [[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6], [0.7, 0.8]];
const Y = [[1], [0], [1], [0]];

function tinyModel(): km.LayersModel {
  const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })]);
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError', metrics: ['mae'] });
  return model;
}

describe('crc32c', () => {
  const bytes = (values: Iterable<number>) => Uint8Array.from(values);
  it("matches the check value and RFC 3720's (iSCSI) test vectors", () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(bytes(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(bytes(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with a bit-by-bit CRC on arbitrary bytes', () => {
    const data = bytes(Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) % 256));
    expect(crc32c(data)).toBe(bitwiseCrc32c(data));
  });
});

/**
 * TensorBoard's buckets counted the plain way: 30 equal-width buckets from min to max, each
 * holding the values in [left, right), the last [left, max]; all-equal values in the last bucket.
 */
function referenceBuckets(values: ArrayLike<number>): [number, number, number][] {
  const all = Array.from(values);
  const min = Math.min(...all);
  const max = Math.max(...all);
  if (min === max) return Array.from({ length: 30 }, (_, b) => [min, min, b === 29 ? all.length : 0]);
  const edge = (b: number) => min + ((max - min) * b) / 30;
  return Array.from({ length: 30 }, (_, b) => [edge(b), edge(b + 1), all.filter((v) => v >= edge(b) && (b === 29 ? v <= max : v < edge(b + 1))).length]);
}

/** Rows of [k, 3] as triples. */
const triples = (flat: Float64Array) => Array.from({ length: flat.length / 3 }, (_, r) => Array.from(flat.subarray(r * 3, r * 3 + 3)));

describe('histogramBuckets', () => {
  it("makes TensorBoard's 30 equal-width buckets, the greatest value in the last", () => {
    const values = Array.from({ length: 31 }, (_, i) => i);
    expect(triples(histogramBuckets(values))).toEqual(Array.from({ length: 30 }, (_, b) => [b, b + 1, b === 29 ? 2 : 1]));
  });

  it('spans min to max exactly, edges min + i * width, and counts every value once', () => {
    const values = Float32Array.from({ length: 200 }, (_, i) => Math.sin(i * 12.9898) * 3.7 - 0.4);
    const rows = triples(histogramBuckets(values));
    const reference = referenceBuckets(values);
    expect(rows).toHaveLength(30);
    expect(rows[0]![0]).toBe(Math.min(...values));
    expect(rows[29]![1]).toBe(Math.max(...values));
    rows.forEach(([left, right, count], b) => {
      expect(left).toBeCloseTo(reference[b]![0], 12);
      expect(right).toBeCloseTo(reference[b]![1], 12);
      expect(count).toBe(reference[b]![2]);
      if (b > 0) expect(left).toBe(rows[b - 1]![1]);
    });
    expect(rows.reduce((n, [, , count]) => n + count, 0)).toBe(200);
  });

  it('puts all-equal values in the last of 30 zero-width buckets, and gives no values 30 empty ones', () => {
    expect(triples(histogramBuckets(new Float32Array(5)))).toEqual(Array.from({ length: 30 }, (_, b) => [0, 0, b === 29 ? 5 : 0]));
    expect(triples(histogramBuckets([-2.5, -2.5]))).toEqual(Array.from({ length: 30 }, (_, b) => [-2.5, -2.5, b === 29 ? 2 : 0]));
    expect(triples(histogramBuckets([]))).toEqual(Array.from({ length: 30 }, () => [0, 0, 0]));
    // NaN is left out of the counts.
    expect(triples(histogramBuckets([NaN, 0, 3])).map(([, , count]) => count)).toEqual(Array.from({ length: 30 }, (_, b) => (b === 0 || b === 29 ? 1 : 0)));
  });
});

describe('km.callbacks.tensorBoard', () => {
  it("writes Keras' epoch scalars, train and validation apart, equal to History's values", async () => {
    const logDir = join(dir, 'epochs');
    const model = tinyModel();
    const before = Date.now() / 1000;
    const history = await model.fit(km.tensor(X), km.tensor(Y), {
      epochs: 3, batchSize: 2, shuffle: false, verbose: 0, validationData: [km.tensor(X.slice(0, 2)), km.tensor(Y.slice(0, 2))],
      callbacks: [km.callbacks.tensorBoard(logDir)],
    });
    const train = await eventsIn(join(logDir, 'train'));
    const validation = await eventsIn(join(logDir, 'validation'));
    // histogramFreq 0, the default: no histograms.
    expect([...train, ...validation].filter((e) => e.histograms)).toEqual([]);
    for (const events of [train, validation]) {
      expect(events[0]).toEqual({ wallTime: expect.any(Number), step: 0, fileVersion: 'brain.Event:2', values: [] });
      const times = events.map((e) => e.wallTime);
      expect(times[0]).toBeGreaterThanOrEqual(Math.floor(before));
      expect(times[times.length - 1]).toBeLessThanOrEqual(Date.now() / 1000);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    const h = history.history;
    const f = Math.fround;
    // The optimizer's rate, which plain SGD keeps at 0.1.
    expect(scalars(train)).toEqual([0, 1, 2].flatMap((epoch) => [
      ['epoch_loss', epoch, f(h.loss![epoch]!)], ['epoch_mae', epoch, f(h.mae![epoch]!)], ['epoch_learning_rate', epoch, f(0.1)],
    ]));
    // Each validation pass also writes Keras' evaluation_*_vs_iterations, at the optimizer's update count (2 a epoch).
    expect(scalars(validation)).toEqual([0, 1, 2].flatMap((epoch) => [
      ['evaluation_loss_vs_iterations', 2 * (epoch + 1), f(h.val_loss![epoch]!)], ['evaluation_mae_vs_iterations', 2 * (epoch + 1), f(h.val_mae![epoch]!)],
      ['epoch_loss', epoch, f(h.val_loss![epoch]!)], ['epoch_mae', epoch, f(h.val_mae![epoch]!)],
    ]));
    // Every value differs from epoch to epoch, so a step written against the wrong epoch would show.
    expect(new Set(h.loss).size).toBe(3);
  });

  it("with updateFreq 'batch' or n, writes the running batch values at the batch count of the fit", async () => {
    const seen: [number, number, number][] = [];
    const recorder = { onTrainBatchEnd: (_batch: number, logs: km.Logs) => void seen.push([seen.length + 1, logs.loss!, logs.mae!]) };
    const model = tinyModel();
    await model.fit(km.tensor(X), km.tensor(Y), { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, callbacks: [km.callbacks.tensorBoard(join(dir, 'batch'), { updateFreq: 'batch' }), recorder] });
    const batchScalars = (events: Event[]) => scalars(events).filter(([tag]) => tag.startsWith('batch_'));
    expect(seen).toHaveLength(6);
    expect(batchScalars(await eventsIn(join(dir, 'batch', 'train')))).toEqual(seen.flatMap(([step, loss, mae]) => [['batch_loss', step, Math.fround(loss)], ['batch_mae', step, Math.fround(mae)]]));
    // No validation data: no validation folder.
    expect(await readdir(join(dir, 'batch'))).toEqual(['train']);

    await tinyModel().fit(km.tensor(X), km.tensor(Y), { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, callbacks: [km.callbacks.tensorBoard(join(dir, 'every-4'), { updateFreq: 4 })] });
    const written = batchScalars(await eventsIn(join(dir, 'every-4', 'train')));
    expect(written.map(([tag, step]) => [tag, step])).toEqual([['batch_loss', 4], ['batch_mae', 4]]);
    expect(written[0]![2]).toBe(Math.fround(seen[3]![1]));
  });

  it("with histogramFreq n, writes Keras' weight histograms to the train run every n epochs, layer by layer", async () => {
    km.utils.setRandomSeed(7);
    const model = km.sequential([
      km.layers.dense({ name: 'hidden', units: 4, inputShape: [2], activation: 'relu' }),
      km.layers.batchNormalization({ name: 'bn' }),
      // Frozen with zero biases: a histogram of all-equal values.
      km.layers.dense({ name: 'frozen', units: 3, trainable: false }),
      km.layers.dense({ name: 'out', units: 1 }),
    ]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    // Each epoch's weights, read as each epoch ends (after the TensorBoard callback wrote them).
    const seen: { epoch: number; tag: string; values: Float32Array }[] = [];
    const recorder = {
      onEpochEnd: (epoch: number) => {
        for (const layer of model.layers) for (const w of layer.weights) seen.push({ epoch, tag: `${w.name}/histogram`, values: w.read().dataSync() });
      },
    };
    const logDir = join(dir, 'histograms');
    await model.fit(km.tensor(X), km.tensor(Y), { epochs: 6, batchSize: 2, shuffle: false, verbose: 0, callbacks: [km.callbacks.tensorBoard(logDir, { histogramFreq: 2 }), recorder] });

    const train = await eventsIn(join(logDir, 'train'));
    const written = train.flatMap((e) => (e.histograms ?? []).map((h) => ({ step: e.step, histogram: h })));
    const tags = ['hidden/kernel', 'hidden/bias', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance', 'frozen/kernel', 'frozen/bias', 'out/kernel', 'out/bias'].map((w) => `${w}/histogram`);
    expect(seen.slice(0, 10).map((w) => w.tag)).toEqual(tags);
    expect(written.map(({ step, histogram }) => [step, histogram.tag])).toEqual([0, 2, 4].flatMap((step) => tags.map((tag) => [step, tag])));
    // Each histogram is one event after the epoch's scalars, and none goes to the validation run.
    expect(train.slice(1).every((e) => e.values.length + (e.histograms?.length ?? 0) === 1)).toBe(true);
    expect(train.findIndex((e) => e.histograms && e.step === 2)).toBeGreaterThan(train.findIndex((e) => e.values[0]?.[0] === 'epoch_loss' && e.step === 2));

    for (const { step, histogram } of written) {
      const weight = seen.find((w) => w.epoch === step && w.tag === histogram.tag)!;
      const reference = referenceBuckets(weight.values);
      expect([histogram.dtype, histogram.shape, histogram.pluginName, histogram.pluginContent, histogram.dataClass]).toEqual([2, [30, 3], 'histograms', 0, 2]);
      expect(histogram.rows.reduce((n, [, , count]) => n + count, 0)).toBe(weight.values.length);
      expect(histogram.rows.map(([, , count]) => count)).toEqual(reference.map(([, , count]) => count));
      expect(histogram.rows[0]![0]).toBe(Math.min(...weight.values));
      expect(histogram.rows[29]![1]).toBe(Math.max(...weight.values));
      histogram.rows.forEach(([left, right], b) => {
        expect(left).toBeCloseTo(reference[b]![0], 12);
        expect(right).toBeCloseTo(reference[b]![1], 12);
      });
    }
    // The frozen layer's zero biases, and the kernels of trained layers changing between written epochs.
    const frozenBias = written.find(({ histogram }) => histogram.tag === 'frozen/bias/histogram')!.histogram;
    expect(frozenBias.rows).toEqual(Array.from({ length: 30 }, (_, b) => [0, 0, b === 29 ? 3 : 0]));
    const outKernels = written.filter(({ histogram }) => histogram.tag === 'out/kernel/histogram').map(({ histogram }) => histogram.rows);
    expect(outKernels[0]).not.toEqual(outKernels[2]);
  });

  it("pairs a nested model's weights with their values, whichever of its layers is frozen", async () => {
    const base = km.sequential({ name: 'base', layers: [
      km.layers.dense({ name: 'first', units: 3, inputShape: [2], trainable: false, biasInitializer: 'ones' }),
      km.layers.dense({ name: 'second', units: 2 }),
    ] });
    const model = km.sequential([base, km.layers.dense({ name: 'head', units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const logDir = join(dir, 'nested');
    await model.fit(km.tensor(X), km.tensor(Y), { epochs: 1, verbose: 0, callbacks: [km.callbacks.tensorBoard(logDir, { histogramFreq: 1 })] });
    const histograms = (await eventsIn(join(logDir, 'train'))).flatMap((e) => e.histograms ?? []);
    const weights = model.layers.flatMap((layer) => layer.weights);
    expect(histograms.map((h) => h.tag)).toEqual(weights.map((w) => `${w.name}/histogram`));
    expect(new Set(weights.map((w) => w.name))).toEqual(new Set(['first/kernel', 'first/bias', 'second/kernel', 'second/bias', 'head/kernel', 'head/bias']));
    histograms.forEach((h, i) => expect(h.rows.map(([, , count]) => count)).toEqual(referenceBuckets(weights[i]!.read().dataSync()).map(([, , count]) => count)));
    // The frozen layer's biases: one value, three times, in the last bucket.
    expect(histograms.find((h) => h.tag === 'first/bias/histogram')!.rows[29]).toEqual([1, 1, 3]);
  });

  it("prefixes a nested model's name to the tags two weights would share, and leaves the others as Keras writes them", async () => {
    const encoder = (name: string, bias: number) => km.sequential({ name, layers: [km.layers.dense({ name: 'head', units: 3, inputShape: [2], biasInitializer: km.initializers.constant({ value: bias }) })] });
    const [a, b] = [encoder('enc_a', 1), encoder('enc_b', 2)];
    const input = km.input({ shape: [2] });
    const joined = km.layers.concatenate().apply([a.apply(input), b.apply(input)] as km.SymbolicTensor[]);
    // A layer of the outer model named like the encoders' layer: its own weights keep their tags.
    const head = km.layers.dense({ name: 'head', units: 1 });
    const model = km.model({ inputs: input, outputs: head.apply(joined) as km.SymbolicTensor });
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0 }), loss: 'meanSquaredError' });
    const logDir = join(dir, 'shared-names');
    await model.fit(km.tensor(X), km.tensor(Y), { epochs: 1, verbose: 0, callbacks: [km.callbacks.tensorBoard(logDir, { histogramFreq: 1 })] });
    const histograms = (await eventsIn(join(logDir, 'train'))).flatMap((e) => e.histograms ?? []);
    const tags = histograms.map((h) => h.tag);
    expect(tags).toEqual(['enc_a/head/kernel', 'enc_a/head/bias', 'enc_b/head/kernel', 'enc_b/head/bias', 'head/kernel', 'head/bias'].map((w) => `${w}/histogram`));
    expect(new Set(tags).size).toBe(tags.length);
    // Each tag holds its own weight's values: the encoders' biases (1 and 2, unchanged at learning rate 0).
    expect(histograms.find((h) => h.tag === 'enc_a/head/bias/histogram')!.rows[29]).toEqual([1, 1, 3]);
    expect(histograms.find((h) => h.tag === 'enc_b/head/bias/histogram')!.rows[29]).toEqual([2, 2, 3]);
  });

  it('starts new files for each fit, and evaluate writes its values to the validation run', async () => {
    const logDir = join(dir, 'refit');
    const model = tinyModel();
    const callback = km.callbacks.tensorBoard(logDir);
    await model.fit(km.tensor(X), km.tensor(Y), { epochs: 1, verbose: 0, callbacks: [callback] });
    await model.fit(km.tensor(X), km.tensor(Y), { epochs: 2, verbose: 0, callbacks: [callback] });
    const files = (await readdir(join(logDir, 'train'))).sort((a, b) => Number(a.split('.').at(-2)) - Number(b.split('.').at(-2)));
    expect(files).toHaveLength(2);
    const steps = await Promise.all(files.map(async (name) => scalars(readEvents(await readFile(join(logDir, 'train', name)))).filter(([tag]) => tag === 'epoch_loss').map(([, step]) => step)));
    expect(steps).toEqual([[0], [0, 1]]);

    const { loss, mae } = await model.evaluate(km.tensor(X), km.tensor(Y), { verbose: 0, returnDict: true, callbacks: [callback] });
    const iterations = model.optimizer!.iterations;
    expect(iterations).toBe(3);
    expect(scalars(await eventsIn(join(logDir, 'validation')))).toEqual([['evaluation_loss_vs_iterations', iterations, Math.fround(loss!)], ['evaluation_mae_vs_iterations', iterations, Math.fround(mae!)]]);
  });

  it('refuses an empty or non-string logDir and a bad updateFreq, quoting them', () => {
    const logDirError = "km.callbacks.tensorBoard needs logDir, the folder to write the event files in, e.g. km.callbacks.tensorBoard('logs/run-1'). Received: logDir=";
    expect(() => km.callbacks.tensorBoard('')).toThrow(`${logDirError}''.`);
    expect(() => km.callbacks.tensorBoard('file://')).toThrow(`${logDirError}'file://'.`);
    expect(() => km.callbacks.tensorBoard(42 as never)).toThrow(`${logDirError}42.`);
    const freqError = "km.callbacks.tensorBoard: updateFreq must be 'epoch', 'batch' or a whole number of batches ≥ 1. Received: updateFreq=";
    expect(() => km.callbacks.tensorBoard('logs', { updateFreq: 'epochs' as never })).toThrow(`${freqError}'epochs'.`);
    expect(() => km.callbacks.tensorBoard('logs', { updateFreq: 0 })).toThrow(`${freqError}0.`);
    expect(() => km.callbacks.tensorBoard('logs', { updateFreq: 2.5 })).toThrow(`${freqError}2.5.`);
    expect(() => km.callbacks.tensorBoard('logs', { update_freq: 'batch' } as never)).toThrow("km.callbacks.tensorBoard has no option 'update_freq'; did you mean 'updateFreq'?");
    const histogramError = 'km.callbacks.tensorBoard: histogramFreq must be a whole number of epochs ≥ 0 (0, the default, writes no histograms; 1 writes them every epoch). Received: histogramFreq=';
    expect(() => km.callbacks.tensorBoard('logs', { histogramFreq: -1 })).toThrow(`${histogramError}-1.`);
    expect(() => km.callbacks.tensorBoard('logs', { histogramFreq: 1.5 })).toThrow(`${histogramError}1.5.`);
    expect(() => km.callbacks.tensorBoard('logs', { histogramFreq: NaN })).toThrow(`${histogramError}NaN.`);
    expect(() => km.callbacks.tensorBoard('logs', { histogramFreq: '1' as never })).toThrow(`${histogramError}'1'.`);
    expect(() => km.callbacks.tensorBoard('logs', { histogram_freq: 1 } as never)).toThrow("km.callbacks.tensorBoard has no option 'histogram_freq'; did you mean 'histogramFreq'?");
  });

  it("defaults to Keras' 'logs' and 'epoch', takes a file:// folder, and makes no file before fit", () => {
    const callback = km.callbacks.tensorBoard();
    expect([callback.logDir, callback.updateFreq, callback.histogramFreq]).toEqual(['logs', 'epoch', 0]);
    // Only batch-wise writing asks fit for batch logs.
    expect(callback.onTrainBatchEnd).toBeUndefined();
    const batchwise = km.callbacks.tensorBoard('file://out/tb', { updateFreq: 'batch' });
    expect([batchwise.logDir, batchwise.updateFreq, typeof batchwise.onTrainBatchEnd]).toEqual(['out/tb', 1, 'function']);
  });

  it('says when a file is in the way of the log folder, before any epoch trains', async () => {
    const blocked = join(dir, 'a-file');
    await writeFile(blocked, 'not a folder');
    let batches = 0;
    const counter = { onBatchEnd: () => void batches++ };
    const fit = tinyModel().fit(km.tensor(X), km.tensor(Y), { epochs: 1, verbose: 0, callbacks: [km.callbacks.tensorBoard(blocked), counter] });
    await expect(fit).rejects.toThrow(`km.callbacks.tensorBoard cannot make the folder '${join(blocked, 'train')}' for its event files: a file is in the way. Pass a logDir that is a folder, or that does not exist yet.`);
    expect(batches).toBe(0);
  });

  it('refuses outside Node, when made', () => {
    const versions = Object.getOwnPropertyDescriptor(process, 'versions')!;
    Object.defineProperty(process, 'versions', { ...versions, value: { ...process.versions, node: undefined } });
    let error: unknown;
    try {
      km.callbacks.tensorBoard('logs');
    } catch (e) {
      error = e;
    } finally {
      Object.defineProperty(process, 'versions', versions);
    }
    expect((error as Error).message).toBe("km.callbacks.tensorBoard ('logs') works only in Node.js, which has a file system; this is not Node.js (a browser, a worker or another runtime). In a browser, chart the values from an onEpochEnd callback instead.");
  });
});
