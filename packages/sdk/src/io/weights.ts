import { CompositeArrayBuffer } from './composite_array_buffer.js';
import { quantizeWeight, type QuantizeDType } from './quantize_weights.js';
import type { ModelArtifacts, WeightSpec } from './types.js';

/** A weight's values with its name and shape, as saved or loaded. */
export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array | Int32Array;
  /** `'optimizer'` for optimizer state. */
  group?: string;
}

/** Bytes per stored element, by stored dtype (the quantized dtype where there is one). */
const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The manifest entries and the little-endian bytes of a model's `weights`, whose names must be
 * unique, back to back in order; float32 weights that `quantize` names are stored quantized.
 */
export function encodeWeights(weights: readonly NamedWeight[], quantize: ReadonlyMap<string, QuantizeDType> = new Map()): { specs: WeightSpec[]; data: ArrayBuffer } {
  const seen = new Set<string>();
  for (const w of weights) {
    if (seen.has(w.name)) throw new Error(`Two weights are named '${w.name}'; weight names must be unique to save a model. Give the layers distinct names.`);
    seen.add(w.name);
  }
  return packWeights(weights, quantize);
}

/**
 * The manifest entries and the little-endian bytes of `weights`, back to back in order (unaligned,
 * as the converter writes them), names unchecked; float32 weights that `quantize` names are stored
 * quantized (see {@link quantizeWeight}), int32 and empty ones never.
 */
export function packWeights(weights: readonly NamedWeight[], quantize: ReadonlyMap<string, QuantizeDType> = new Map()): { specs: WeightSpec[]; data: ArrayBuffer } {
  const stored = weights.map((w) => storedWeight(w, quantize.get(w.name)));
  const bytes = new Uint8Array(stored.reduce((sum, s) => sum + s.bytes.byteLength, 0));
  let offset = 0;
  for (const s of stored) {
    bytes.set(s.bytes, offset);
    offset += s.bytes.byteLength;
  }
  return { specs: stored.map((s) => s.spec), data: bytes.buffer };
}

function storedWeight(w: NamedWeight, quantize: QuantizeDType | undefined): { spec: WeightSpec; bytes: Uint8Array } {
  const spec: WeightSpec = { name: w.name, shape: [...w.shape], dtype: w.values instanceof Int32Array ? 'int32' : 'float32' };
  if (w.group) spec.group = w.group;
  if (quantize && w.values instanceof Float32Array && w.values.length > 0) {
    const { bytes, quantization } = quantizeWeight(w.values, quantize, w.name);
    spec.quantization = quantization;
    return { spec, bytes };
  }
  return { spec, bytes: new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength) };
}

/** Joins tfjs' weight data, which may come as one buffer or several; one buffer is returned as is. */
export function concatWeightData(data: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return Array.isArray(data) ? CompositeArrayBuffer.join(data) : data;
}

/** Weight bytes {@link decodeWeights} reads: one buffer, or several read as one. */
export type WeightBytes = ArrayBuffer | CompositeArrayBuffer;

/**
 * Decodes the weights the manifest describes from `data`, dequantizing uint8/uint16/float16 as
 * tfjs does, in the manifest's order; a repeated name stays repeated (the pairing says what it
 * means). `source` (a file or URL) is named in every error, with the weight at fault. Bytes after
 * the last weight are an error unless `trailingBytes` is `'ignore'` (tfjs' `io.decodeWeights`).
 */
export function decodeWeights(specs: readonly WeightSpec[], data: WeightBytes, source: string, trailingBytes: 'error' | 'ignore' = 'error'): NamedWeight[] {
  const out: NamedWeight[] = [];
  let offset = 0;
  for (const spec of specs) {
    checkWeightSpec(spec, source);
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const n = count(spec.shape);
    const byteLength = n * BYTES[stored];
    if (offset + byteLength > data.byteLength) {
      throw new Error(
        `${source} is truncated: weight '${spec.name}' (shape [${spec.shape.join(', ')}], ${stored}) needs bytes ${offset}..${offset + byteLength}, but the weight data has only ${data.byteLength} bytes. Save the model again or restore the complete file.`,
      );
    }
    const values = decodeOne(spec, stored, data.slice(offset, offset + byteLength), n);
    out.push({ name: spec.name, shape: [...spec.shape], values, ...(spec.group ? { group: spec.group } : {}) });
    offset += byteLength;
  }
  if (offset !== data.byteLength && trailingBytes === 'error') {
    throw new Error(`${source} has ${data.byteLength} bytes of weight data, but its manifest describes ${offset}. The binary files and model.json do not belong together: save the model again.`);
  }
  return out;
}

/** Throws, naming `source` and the weight, for a manifest entry kerasm cannot read: before any byte is counted, as the dtype sets the size. */
export function checkWeightSpec(spec: WeightSpec, source: string): void {
  if (typeof spec?.name !== 'string') throw new Error(`${source}: a weight in the manifest has no name. Received: ${JSON.stringify(spec)}.`);
  const what = `${source}: weight '${spec.name}'`;
  if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${what} has an invalid shape; expected an array of non-negative integers. Received: shape=${JSON.stringify(spec.shape)}.`);
  }
  if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
    throw new Error(
      `${what} has dtype '${spec.dtype}'; kerasm reads float32 and int32 weights, stored as such or quantized by tensorflowjs_converter (a quantization entry with dtype uint8, uint16 or float16). ` +
        `Save or convert the model with float32 weights.`,
    );
  }
  const q = spec.quantization;
  if (q) {
    if (q.dtype !== 'uint8' && q.dtype !== 'uint16' && q.dtype !== 'float16') {
      throw new Error(`${what} has quantization dtype '${q.dtype}'; expected 'uint8', 'uint16' or 'float16'.`);
    }
    if (q.dtype !== 'float16' && !(Number.isFinite(q.scale) && Number.isFinite(q.min))) {
      throw new Error(`${what} is ${q.dtype}-quantized but lacks a finite scale and min. Received: scale=${q.scale}, min=${q.min}.`);
    }
  }
}

function decodeOne(spec: WeightSpec, stored: string, bytes: ArrayBuffer, n: number): Float32Array | Int32Array {
  const q = spec.quantization;
  const target = spec.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  if (!q) return spec.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
  if (stored === 'float16') {
    const halves = new Uint16Array(bytes);
    for (let i = 0; i < n; i++) target[i] = halfToFloat(halves[i]);
  } else {
    const ints = stored === 'uint8' ? new Uint8Array(bytes) : new Uint16Array(bytes);
    // tfjs rounds dequantized int32 weights; float weights keep the affine value.
    for (let i = 0; i < n; i++) {
      const v = ints[i] * q.scale! + q.min!;
      target[i] = spec.dtype === 'int32' ? Math.round(v) : v;
    }
  }
  return target;
}

/** An IEEE 754 half-precision bit pattern as a number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** The artifacts' weights decoded (see {@link decodeWeights}), the layers' apart from the optimizer's. */
export function savedWeights(artifacts: ModelArtifacts, source: string): { layers: NamedWeight[]; optimizer: NamedWeight[] } {
  const all = decodeWeights(artifacts.weightSpecs ?? [], concatWeightData(artifacts.weightData), source);
  return { layers: all.filter((w) => w.group !== 'optimizer'), optimizer: all.filter((w) => w.group === 'optimizer') };
}
