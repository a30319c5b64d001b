import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { halfToFloat } from './weights.js';

const kernel = [0.5, -1.25, 2, 0.75, -0.5, 1]; // [3, 2]
const bias = [0.1, -0.2];
const x = km.tensor([[1, 2, 3], [-1, 0.5, 0]]);

/** kernel·x + bias by hand, the reference for every format variant below. */
function expected(k: readonly number[], b: readonly number[]): number[] {
  const rows = x.arraySync() as number[][];
  return rows.flatMap((r) => [0, 1].map((j) => r.reduce((s, v, i) => s + v * k[i * 2 + j], b[j])));
}

function denseArtifacts(topology: Record<string, unknown>, specs: km.io.WeightSpec[], data: ArrayBuffer): km.io.ModelArtifacts {
  return { modelTopology: topology, weightSpecs: specs, weightData: data, format: 'layers-model' };
}

const float32Specs = [{ name: 'dense/kernel', shape: [3, 2], dtype: 'float32' }, { name: 'dense/bias', shape: [2], dtype: 'float32' }];
const float32Data = new Float32Array([...kernel, ...bias]).buffer;

async function predicts(artifacts: km.io.ModelArtifacts): Promise<number[]> {
  return Array.from((await km.loadLayersModel(km.io.fromMemory(artifacts))).predict(x).dataSync());
}

function close(actual: number[], wanted: number[], tolerance: number): void {
  actual.forEach((v, i) => expect(Math.abs(v - wanted[i])).toBeLessThan(tolerance));
}

beforeAll(() => km.ready());

describe("topologies other writers produce", () => {
  it("Keras' converter: the model_config wrapper, an InputLayer with batch_input_shape, GlorotUniform by name", async () => {
    const topology = {
      keras_version: '2.15.0', backend: 'tensorflow',
      model_config: { class_name: 'Sequential', config: { name: 'sequential', layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' } },
        { class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: 'float32', units: 2, activation: 'linear', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } },
      ] } },
    };
    close(await predicts(denseArtifacts(topology, float32Specs, float32Data)), expected(kernel, bias), 1e-6);
  });

  it('Keras 3: batch_shape, dtype policy objects, module/registered_name fields, prefixed weight names', async () => {
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const topology = { class_name: 'Sequential', config: { name: 'sequential', layers: [
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
      { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: policy, units: 2, activation: 'linear', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null, quantization_config: null }, registered_name: null, build_config: { input_shape: [null, 3] } },
    ] } };
    const specs = float32Specs.map((s) => ({ ...s, name: `sequential/${s.name}` }));
    close(await predicts(denseArtifacts(topology, specs, float32Data)), expected(kernel, bias), 1e-6);
  });

  it('rejects a layer dtype other than float32, naming the layer', async () => {
    const topology = { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd16', units: 2, batch_input_shape: [null, 3], dtype: 'float16' } }] } };
    await expect(km.loadLayersModel(km.io.fromMemory(denseArtifacts(topology, [], new ArrayBuffer(0))))).rejects.toThrow(/layer 0 'd16' \(Dense\): Layer 'd16': kerasm computes in float32 only\. Received: dtype="float16"/);
  });
});

describe('quantized weights, dequantized as tfjs does', () => {
  const topology = { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'dense', units: 2, batch_input_shape: [null, 3] } }] } };

  it.each([['uint8', Uint8Array], ['uint16', Uint16Array]] as const)('%s: value = stored · scale + min', async (dtype, Stored) => {
    const [scale, min] = [0.0625, -2];
    const values = [...kernel, ...bias];
    const stored = Stored.from(values.map((v) => Math.round((v - min) / scale)));
    const specs = [
      { name: 'dense/kernel', shape: [3, 2], dtype: 'float32', quantization: { dtype, scale, min } },
      { name: 'dense/bias', shape: [2], dtype: 'float32', quantization: { dtype, scale, min } },
    ];
    const dequantized = Array.from(stored, (q) => q * scale + min);
    const buffer = stored.buffer.slice(0, stored.byteLength) as ArrayBuffer;
    close(await predicts(denseArtifacts(topology, specs, buffer)), expected(dequantized.slice(0, 6), dequantized.slice(6)), 1e-6);
  });

  it('float16', async () => {
    // Half-precision bit patterns of 0.5, -1.25, 2, 0.75, -0.5, 1, 0.0999755859375, -0.199951171875.
    const bits = Uint16Array.of(0x3800, 0xbd00, 0x4000, 0x3a00, 0xb800, 0x3c00, 0x2e66, 0xb266);
    expect(Array.from(bits, halfToFloat)).toEqual([0.5, -1.25, 2, 0.75, -0.5, 1, 0.0999755859375, -0.199951171875]);
    const specs = [
      { name: 'dense/kernel', shape: [3, 2], dtype: 'float32', quantization: { dtype: 'float16' as const } },
      { name: 'dense/bias', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' as const } },
    ];
    close(await predicts(denseArtifacts(topology, specs, bits.buffer)), expected(kernel, [0.0999755859375, -0.199951171875]), 1e-6);
  });

  it('halfToFloat handles subnormals, infinities and NaN', () => {
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  it('rejects a quantization without scale and min', async () => {
    const specs = [{ name: 'dense/kernel', shape: [3, 2], dtype: 'float32', quantization: { dtype: 'uint8' as const } }, float32Specs[1]];
    await expect(km.loadLayersModel(km.io.fromMemory(denseArtifacts(topology, specs, new ArrayBuffer(14))))).rejects.toThrow(/weight 'dense\/kernel' is uint8-quantized but lacks a finite scale and min/);
  });
});

describe('http(s):// handler', () => {
  let server: Server;
  let base: string;
  const files = new Map<string, Buffer>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = files.get(req.url ?? '');
      res.writeHead(body ? 200 : 404).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    km.utils.setRandomSeed(5);
    const model = km.sequential([km.layers.dense({ inputShape: [3], units: 2, activation: 'sigmoid' })]);
    const artifacts = await km.io.modelArtifacts(model);
    files.set('/m/model.json', Buffer.from(JSON.stringify({ modelTopology: artifacts.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: artifacts.weightSpecs }] })));
    const bytes = Buffer.from(artifacts.weightData as ArrayBuffer);
    files.set('/m/group1-shard1of2.bin', bytes.subarray(0, 10));
    files.set('/m/group1-shard2of2.bin', bytes.subarray(10));
    files.set('/expected', Buffer.from(JSON.stringify(Array.from(model.predict(x).dataSync()))));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads from the model.json URL or the folder URL, joining sharded weight files', async () => {
    const wanted = JSON.parse(files.get('/expected')!.toString());
    for (const url of [`${base}/m/model.json`, `${base}/m`]) {
      expect(Array.from((await km.loadLayersModel(url)).predict(x).dataSync())).toEqual(wanted);
    }
  });

  it('names the URL that failed', async () => {
    await expect(km.loadLayersModel(`${base}/absent/model.json`)).rejects.toThrow(new RegExp(`Fetching model\\.json from ${base}/absent/model\\.json failed with HTTP 404`));
  });
});
