import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfc from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../../index.js';
import { attr, GraphDefBuilder, graphModelJson, signatureEntry, writeGraphModelFolder } from '../../testing/graph_def_builder.js';
import { Tensor } from '../../tensor.js';
import { GRAPH_OPS, type GraphOp } from './graph_ops.js';
import { Random } from '../../utils/random.js';
import type { ModelArtifacts } from '../types.js';

// km.loadGraphModel against tfjs-converter 4.22's loadGraphModel (CPU backend) on the same artifacts.

const rng = new Random(7);
const randoms = (n: number, scale = 0.5) => Float32Array.from({ length: n }, () => rng.normal() * scale);
const positives = (n: number) => Float32Array.from({ length: n }, () => 0.5 + rng.next());

let dir: string;
beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'km-graph-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const same = (s: string) => attr.s(s);
const conv = (strides: number, padding: string) => ({ strides: attr.ints([1, strides, strides, 1]), padding: same(padding), data_format: same('NHWC'), dilations: attr.ints([1, 1, 1, 1]) });

/** FusedConv2D relu6 → FusedDepthwiseConv2dNative relu → FusedBatchNormV3 → AvgPool → Reshape → _FusedMatMul → Softmax, with a signature. */
function mobileNetLike(): ModelArtifacts {
  const g = new GraphDefBuilder();
  g.placeholder('images', [-1, 8, 8, 3]);
  g.constant('conv/w', randoms(3 * 3 * 3 * 4), [3, 3, 3, 4]);
  g.constant('conv/b', randoms(4), [4]);
  g.op('conv', '_FusedConv2D', ['images', 'conv/w', 'conv/b'], { ...conv(2, 'SAME'), fused_ops: attr.strings(['BiasAdd', 'Relu6']), num_args: attr.i(1), epsilon: attr.f(0) });
  g.constant('dw/w', randoms(3 * 3 * 4 * 2), [3, 3, 4, 2]);
  g.constant('dw/b', randoms(8), [8]);
  g.op('dw', 'FusedDepthwiseConv2dNative', ['conv', 'dw/w', 'dw/b'], { ...conv(1, 'SAME'), fused_ops: attr.strings(['BiasAdd', 'Relu']), num_args: attr.i(1) });
  for (const [name, values] of [['bn/scale', positives(8)], ['bn/offset', randoms(8)], ['bn/mean', randoms(8)], ['bn/var', positives(8)]] as const) g.constant(name, values, [8]);
  g.op('bn', 'FusedBatchNormV3', ['dw', 'bn/scale', 'bn/offset', 'bn/mean', 'bn/var'], { epsilon: attr.f(0.001), data_format: same('NHWC'), is_training: attr.b(false) });
  g.op('pool', 'AvgPool', ['bn'], { ksize: attr.ints([1, 4, 4, 1]), strides: attr.ints([1, 4, 4, 1]), padding: same('VALID'), data_format: same('NHWC') });
  g.constant('flat/shape', [-1, 8], [2], 'int32');
  g.op('flat', 'Reshape', ['pool', 'flat/shape'], { Tshape: attr.type('int32') });
  g.constant('dense/w', randoms(8 * 5), [8, 5]);
  g.constant('dense/b', randoms(5), [5]);
  g.op('dense', '_FusedMatMul', ['flat', 'dense/w', 'dense/b'], { transpose_a: attr.b(false), transpose_b: attr.b(false), fused_ops: attr.strings(['BiasAdd']), num_args: attr.i(1) });
  g.op('probs', 'Softmax', ['dense']);
  g.op('Identity', 'Identity', ['probs']);
  return g.artifacts({
    signature: { inputs: { input_1: signatureEntry('images:0', 'float32', [-1, 8, 8, 3]) }, outputs: { probabilities: signatureEntry('Identity:0', 'float32', [-1, 5]) } },
    metadata: { classes: ['a', 'b', 'c', 'd', 'e'] },
  });
}

/** MatMul → BiasAdd → Relu → MatMul → Add → Tanh, uint8-quantized weights, no signature. */
function quantizedMlp(): ModelArtifacts {
  const g = new GraphDefBuilder();
  g.placeholder('x', [-1, 6]);
  g.constant('w1', randoms(6 * 10), [6, 10]);
  g.constant('b1', randoms(10), [10]);
  g.constant('w2', randoms(10 * 3), [10, 3]);
  g.constant('b2', randoms(3), [3]);
  g.op('h', 'MatMul', ['x', 'w1'], { transpose_a: attr.b(false), transpose_b: attr.b(false) });
  g.op('hb', 'BiasAdd', ['h', 'b1'], { data_format: same('NHWC') });
  g.op('hr', 'Relu', ['hb']);
  g.op('o', 'MatMul', ['hr', 'w2'], { transpose_a: attr.b(false), transpose_b: attr.b(false) });
  g.op('ob', 'AddV2', ['o', 'b2']);
  g.op('y', 'Tanh', ['ob']);
  return g.artifacts({ quantize: { w1: 'uint8', w2: 'uint8', b1: 'uint16', b2: 'float16' } });
}

/** int32 ids → GatherV2 → Mean, StridedSlice and ConcatV2 → ExpandDims/Squeeze/Transpose/Pad/Tile/Pack. */
function textGraph(): ModelArtifacts {
  const g = new GraphDefBuilder();
  g.placeholder('ids', [-1, 6], 'int32');
  g.constant('emb', randoms(10 * 4), [10, 4]);
  g.constant('axis0', [0], [], 'int32');
  g.op('embedded', 'GatherV2', ['emb', 'ids', 'axis0'], { Tparams: attr.type('float32'), Tindices: attr.type('int32'), Taxis: attr.type('int32'), batch_dims: attr.i(0) });
  g.constant('axis1', [1], [1], 'int32');
  g.op('avg', 'Mean', ['embedded', 'axis1'], { keep_dims: attr.b(false), Tidx: attr.type('int32') });
  g.constant('begin', [0, 0, 0], [3], 'int32');
  g.constant('end', [0, 1, 0], [3], 'int32');
  g.constant('strides', [1, 1, 1], [3], 'int32');
  g.op('first', 'StridedSlice', ['embedded', 'begin', 'end', 'strides'], { Index: attr.type('int32'), begin_mask: attr.i(5), end_mask: attr.i(5), ellipsis_mask: attr.i(0), new_axis_mask: attr.i(0), shrink_axis_mask: attr.i(2) });
  g.constant('axis_last', [-1], [], 'int32');
  g.op('joined', 'ConcatV2', ['avg', 'first', 'axis_last'], { N: attr.i(2), Tidx: attr.type('int32') });
  g.op('expanded', 'ExpandDims', ['joined', 'axis0'], { Tdim: attr.type('int32') });
  g.op('squeezed', 'Squeeze', ['expanded'], { squeeze_dims: attr.ints([0]) });
  g.constant('perm', [1, 0], [2], 'int32');
  g.op('transposed', 'Transpose', ['squeezed', 'perm'], { Tperm: attr.type('int32') });
  g.constant('paddings', [0, 0, 1, 2], [2, 2], 'int32');
  g.op('padded', 'Pad', ['transposed', 'paddings'], { Tpaddings: attr.type('int32') });
  g.constant('reps', [1, 2], [2], 'int32');
  g.op('tiled', 'Tile', ['padded', 'reps'], { Tmultiples: attr.type('int32') });
  g.op('sq', 'Square', ['tiled']);
  g.op('stacked', 'Pack', ['tiled', 'sq'], { N: attr.i(2), axis: attr.i(1) });
  g.op('shape', 'Shape', ['stacked'], { out_type: attr.type('int32') });
  return g.artifacts();
}

/** An encoder-decoder: explicit-padded Conv2D, MaxPool, dilation by SpaceToBatchND/BatchToSpaceND, Conv2DBackpropInput, ResizeBilinear, MirrorPad, DepthToSpace. */
function decoderGraph(): ModelArtifacts {
  const g = new GraphDefBuilder();
  g.placeholder('image', [-1, 8, 8, 2]);
  g.constant('enc/w', randoms(3 * 3 * 2 * 4), [3, 3, 2, 4]);
  g.op('enc', 'Conv2D', ['image', 'enc/w'], { ...conv(1, 'EXPLICIT'), explicit_paddings: attr.ints([0, 0, 1, 1, 2, 0, 0, 0]) });
  g.op('pooled', 'MaxPool', ['enc'], { ksize: attr.ints([1, 2, 2, 1]), strides: attr.ints([1, 2, 2, 1]), padding: same('SAME'), data_format: same('NHWC') });
  g.constant('block', [2, 2], [2], 'int32');
  g.constant('s2b/pad', [0, 0, 0, 0], [2, 2], 'int32');
  g.op('s2b', 'SpaceToBatchND', ['pooled', 'block', 's2b/pad'], { Tblock_shape: attr.type('int32'), Tpaddings: attr.type('int32') });
  g.constant('atrous/w', randoms(3 * 3 * 4 * 4), [3, 3, 4, 4]);
  g.op('atrous', 'Conv2D', ['s2b', 'atrous/w'], conv(1, 'SAME'));
  g.op('b2s', 'BatchToSpaceND', ['atrous', 'block', 's2b/pad'], { Tblock_shape: attr.type('int32'), Tcrops: attr.type('int32') });
  g.constant('up/w', randoms(3 * 3 * 3 * 4), [3, 3, 3, 4]);
  g.constant('up/shape', [2, 7, 8, 3], [4], 'int32');
  g.op('up', 'Conv2DBackpropInput', ['up/shape', 'up/w', 'b2s'], conv(2, 'SAME'));
  g.constant('clip/lo', [-0.5], []);
  g.constant('clip/hi', [0.75], []);
  g.op('clipped', 'ClipByValue', ['up', 'clip/lo', 'clip/hi']);
  g.constant('size', [12, 10], [2], 'int32');
  g.op('resized', 'ResizeBilinear', ['clipped', 'size'], { align_corners: attr.b(false), half_pixel_centers: attr.b(true) });
  g.constant('mirror', [0, 0, 2, 1, 1, 2, 0, 0], [4, 2], 'int32');
  g.op('mirrored', 'MirrorPad', ['resized', 'mirror'], { mode: same('REFLECT'), Tpaddings: attr.type('int32') });
  g.constant('d2s/w', randoms(1 * 1 * 3 * 8), [1, 1, 3, 8]);
  g.op('features', 'Conv2D', ['mirrored', 'd2s/w'], conv(1, 'VALID'));
  g.op('shuffled', 'DepthToSpace', ['features'], { block_size: attr.i(2), data_format: same('NHWC') });
  return g.artifacts();
}

/** GELU by Erf, Pow, Softplus, Cumsum, ReverseV2, Einsum, TopKV2, OneHot, Range, FloorMod, Atan2, rounding, Cast. */
function mathGraph(): ModelArtifacts {
  const g = new GraphDefBuilder();
  g.placeholder('x', [-1, 5]);
  g.constant('half', [0.5], []);
  g.constant('rsqrt2', [Math.SQRT1_2], []);
  g.constant('one', [1], []);
  g.op('scaled', 'Mul', ['x', 'rsqrt2']);
  g.op('erf', 'Erf', ['scaled']);
  g.op('erf1', 'AddV2', ['erf', 'one']);
  g.op('halfx', 'Mul', ['x', 'half']);
  g.op('gelu', 'Mul', ['halfx', 'erf1']);
  g.constant('three', [3], []);
  g.op('cubed', 'Pow', ['gelu', 'three']);
  g.op('soft', 'Softplus', ['cubed']);
  g.constant('axis1', [1], [], 'int32');
  g.op('cum', 'Cumsum', ['soft', 'axis1'], { exclusive: attr.b(true), reverse: attr.b(false), Tidx: attr.type('int32') });
  g.constant('axes', [1], [1], 'int32');
  g.op('reversed', 'ReverseV2', ['cum', 'axes'], { Tidx: attr.type('int32') });
  g.constant('mix', randoms(5 * 4), [5, 4]);
  g.op('mixed', 'Einsum', ['reversed', 'mix'], { equation: same('bi,ij->bj'), N: attr.i(2) });
  g.constant('k', [2], [], 'int32');
  g.op('top', 'TopKV2', ['mixed', 'k'], { sorted: attr.b(true) });
  g.constant('depth', [4], [], 'int32');
  g.constant('on', [2], []);
  g.constant('off', [-0.25], []);
  g.op('hot', 'OneHot', ['top:1', 'depth', 'on', 'off'], { axis: attr.i(-1), TI: attr.type('int32') });
  g.constant('start', [0], [], 'int32');
  g.constant('limit', [4], [], 'int32');
  g.constant('delta', [1], [], 'int32');
  g.op('steps', 'Range', ['start', 'limit', 'delta'], { Tidx: attr.type('int32') });
  g.op('stepsf', 'Cast', ['steps'], { SrcT: attr.type('int32'), DstT: attr.type('float32') });
  g.op('hotsum', 'Sum', ['hot', 'axis1'], { keep_dims: attr.b(false), Tidx: attr.type('int32') });
  g.op('shifted', 'AddV2', ['hotsum', 'stepsf']);
  g.op('wrapped', 'FloorMod', ['mixed', 'shifted']);
  g.op('angle', 'Atan2', ['wrapped', 'mixed']);
  g.constant('ten', [10], []);
  g.op('tenfold', 'Mul', ['angle', 'ten']);
  g.op('rounded', 'Round', ['tenfold']);
  g.op('signed', 'Sign', ['rounded']);
  g.op('floored', 'Floor', ['tenfold']);
  g.op('wave', 'Sin', ['floored']);
  g.op('ids', 'Cast', ['rounded'], { SrcT: attr.type('float32'), DstT: attr.type('int32') });
  return g.artifacts();
}

async function both(artifacts: ModelArtifacts) {
  return { ours: await km.loadGraphModel(km.io.fromMemory(structuredClone(artifacts))), theirs: await tfc.loadGraphModel(tf.io.fromMemory(structuredClone(artifacts) as tf.io.ModelArtifacts)) };
}

function expectClose(ours: km.Tensor, theirs: tf.Tensor, what: string): void {
  expect({ what, shape: [...ours.shape], dtype: ours.dtype }).toEqual({ what, shape: theirs.shape, dtype: theirs.dtype });
  const [a, b] = [ours.dataSync(), theirs.dataSync()];
  const worst = Math.max(0, ...Array.from(a, (v, i) => Math.abs(v - b[i]) / (1 + Math.abs(b[i]))));
  expect(worst, what).toBeLessThan(1e-5);
}

function pair(values: Float32Array | Int32Array, shape: number[]) {
  const dtype = values instanceof Int32Array ? 'int32' : 'float32';
  return { km: km.tensor(values.slice(), shape, dtype), tf: tf.tensor(values.slice(), shape, dtype) };
}

describe('km.loadGraphModel gives tfjs-converter\'s results', () => {
  it('runs a MobileNet-like block (fused conv, depthwise, batch norm, pool, fused matmul, softmax)', async () => {
    const { ours, theirs } = await both(mobileNetLike());
    const x = pair(randoms(2 * 8 * 8 * 3, 1), [2, 8, 8, 3]);
    expectClose(ours.predict(x.km) as km.Tensor, theirs.predict(x.tf) as tf.Tensor, 'predict');
    for (const name of ['conv', 'dw', 'bn', 'pool', 'dense']) expectClose(ours.execute(x.km, name) as km.Tensor, theirs.execute(x.tf, name) as tf.Tensor, name);
    const [a, b] = ours.execute({ input_1: x.km }, ['pool', 'probabilities']) as km.Tensor[];
    const [ta, tb] = theirs.execute({ input_1: x.tf }, ['pool', 'probabilities']) as tf.Tensor[];
    expectClose(a, ta, 'pool of two');
    expectClose(b, tb, 'probabilities of two');
    expectClose(await ours.executeAsync([x.km]) as km.Tensor, await theirs.executeAsync([x.tf]) as tf.Tensor, 'executeAsync');
    expect({ inputs: ours.inputs, outputs: ours.outputs, inputNodes: ours.inputNodes, outputNodes: ours.outputNodes })
      .toEqual({ inputs: theirs.inputs, outputs: theirs.outputs, inputNodes: theirs.inputNodes, outputNodes: theirs.outputNodes });
    expect(ours.metadata).toEqual(theirs.metadata);
    expect(Object.keys(ours.weights).sort()).toEqual(Object.keys(theirs.weights).sort());
  });

  it('runs an MLP with uint8, uint16 and float16 weights, its output the graph\'s leaf', async () => {
    const { ours, theirs } = await both(quantizedMlp());
    const x = pair(randoms(5 * 6, 1), [5, 6]);
    expectClose(ours.predict(x.km) as km.Tensor, theirs.predict(x.tf) as tf.Tensor, 'mlp');
    expect(ours.outputNodes).toEqual(theirs.outputNodes);
    expect(ours.inputs).toEqual(theirs.inputs);
  });

  it('runs a text graph of int32 ids (GatherV2, Mean, StridedSlice, ConcatV2, Pad, Tile, Pack, Shape)', async () => {
    const { ours, theirs } = await both(textGraph());
    const ids = pair(Int32Array.from({ length: 18 }, () => Math.floor(rng.next() * 10)), [3, 6]);
    for (const name of ['joined', 'transposed', 'padded', 'stacked', 'shape']) expectClose(ours.execute(ids.km, name) as km.Tensor, theirs.execute(ids.tf, name) as tf.Tensor, name);
  });

  it('runs an encoder-decoder (explicit padding, MaxPool, SpaceToBatchND, Conv2DBackpropInput, ResizeBilinear, MirrorPad, DepthToSpace)', async () => {
    const { ours, theirs } = await both(decoderGraph());
    const x = pair(randoms(2 * 8 * 8 * 2, 1), [2, 8, 8, 2]);
    for (const name of ['enc', 'pooled', 's2b', 'b2s', 'up', 'clipped', 'resized', 'mirrored', 'shuffled']) expectClose(ours.execute(x.km, name) as km.Tensor, theirs.execute(x.tf, name) as tf.Tensor, name);
  });

  it('runs GELU by Erf and the math ops (Pow, Softplus, Cumsum, ReverseV2, Einsum, TopKV2, OneHot, Range, FloorMod, Atan2, Round, Sign, Cast)', async () => {
    const { ours, theirs } = await both(mathGraph());
    const x = pair(randoms(3 * 5, 1.5), [3, 5]);
    const names = ['gelu', 'cubed', 'soft', 'cum', 'reversed', 'mixed', 'top', 'top:1', 'hot', 'steps', 'shifted', 'wrapped', 'angle', 'rounded', 'signed', 'wave', 'ids'];
    const [mine, tfs] = [ours.execute(x.km, names) as km.Tensor[], theirs.execute(x.tf, names) as tf.Tensor[]];
    names.forEach((name, i) => expectClose(mine[i], tfs[i], name));
  });

  it('loads a converter folder (model.json + group1-shard1of1.bin) from file://', async () => {
    const artifacts = mobileNetLike();
    writeGraphModelFolder(artifacts, join(dir, 'mobilenet'));
    const fromFile = await km.loadGraphModel(`file://${join(dir, 'mobilenet', 'model.json')}`);
    const theirs = await tfc.loadGraphModel(tf.io.fromMemory(structuredClone(artifacts) as tf.io.ModelArtifacts));
    const x = pair(randoms(8 * 8 * 3, 1), [1, 8, 8, 3]);
    expectClose(fromFile.predict(x.km) as km.Tensor, theirs.predict(x.tf) as tf.Tensor, 'from file');
    expect(fromFile.inputNodes).toEqual(['input_1']);
    expect(fromFile.metadata).toEqual({ classes: ['a', 'b', 'c', 'd', 'e'] });
  });

  it('fetches a TF Hub module\'s model.json?tfjs-format=file with fromTFHub, its weights with the same query, as tfjs', async () => {
    const artifacts = quantizedMlp();
    const asked: string[] = [];
    const fetchFunc = (async (url: string) => {
      asked.push(url);
      return new Response(url.includes('model.json') ? JSON.stringify(graphModelJson(artifacts)) : new Uint8Array(artifacts.weightData as ArrayBuffer));
    }) as typeof fetch;
    const model = await km.loadGraphModel('https://tfhub.dev/google/tfjs-model/mlp/1', { fromTFHub: true, fetchFunc });
    expect(asked).toEqual(['https://tfhub.dev/google/tfjs-model/mlp/1/model.json?tfjs-format=file', 'https://tfhub.dev/google/tfjs-model/mlp/1/group1-shard1of1.bin?tfjs-format=file']);
    const theirs = await tfc.loadGraphModel(tf.io.fromMemory(structuredClone(artifacts) as tf.io.ModelArtifacts));
    const x = pair(randoms(2 * 6, 1), [2, 6]);
    expectClose(model.predict(x.km) as km.Tensor, theirs.predict(x.tf) as tf.Tensor, 'from TF Hub');
    await expect(km.loadGraphModel(km.io.fromMemory(artifacts), { fromTFHub: true })).rejects.toThrow(/fromTFHub takes a TF Hub module's http\(s\) URL/);
  });
});

describe('km.loadGraphModel refuses what it cannot run', () => {
  it('names every control-flow op and its nodes at load', async () => {
    const g = new GraphDefBuilder();
    g.placeholder('x', [-1, 2]);
    g.op('sw', 'Switch', ['x', 'x']);
    g.op('m', 'Merge', ['sw', 'sw:1'], { N: attr.i(2) });
    g.op('y', 'Relu', ['m']);
    await expect(km.loadGraphModel(km.io.fromMemory(g.artifacts()))).rejects.toThrow(/Switch \('sw'\); Merge \('m'\).*kerasm runs graph models of these ops.*Conv2D/);
  });

  it('names a bool tensor at load', async () => {
    const g = new GraphDefBuilder();
    g.placeholder('mask', [-1, 2], 'bool');
    g.op('y', 'Identity', ['mask'], { T: attr.type('bool') });
    await expect(km.loadGraphModel(km.io.fromMemory(g.artifacts()))).rejects.toThrow(/dtype kerasm does not have.*'mask' \(Placeholder, dtype: bool\)/);
  });

  it('names an unsupported fusion', async () => {
    const g = new GraphDefBuilder();
    g.placeholder('x', [-1, 2]);
    g.constant('w', [1, 2, 3, 4], [2, 2]);
    g.op('y', '_FusedMatMul', ['x', 'w'], { fused_ops: attr.strings(['BiasAdd', 'Softsign']), num_args: attr.i(1) });
    await expect(km.loadGraphModel(km.io.fromMemory(g.artifacts()))).rejects.toThrow(/_FusedMatMul with fused_ops \[BiasAdd, Softsign\]/);
  });

  it('names the expected input shape, dtype and names', async () => {
    const model = await km.loadGraphModel(km.io.fromMemory(mobileNetLike()));
    expect(() => model.predict(km.zeros([1, 8, 8, 4]))).toThrow(/input 'input_1' must have shape \[-1, 8, 8, 3\].*Received: shape \[1, 8, 8, 4\]/);
    expect(() => model.predict(km.zeros([1, 8, 8, 3], 'int32'))).toThrow(/must be float32. Received: int32/);
    expect(() => model.execute({ pixels: km.zeros([1, 8, 8, 3]) })).toThrow(/no input 'pixels'. Its inputs are \["input_1"\]/);
    expect(() => model.execute(km.zeros([1, 8, 8, 3]), 'nope')).toThrow(/no node of the graph is named 'nope'/);
  });
});

describe('memory', () => {
  it('disposes every tensor an op made but the outputs, keeps inputs and weights, and frees the weights on dispose()', async () => {
    const model = await km.loadGraphModel(km.io.fromMemory(mobileNetLike()));
    const x = km.tensor(randoms(8 * 8 * 3, 1), [1, 8, 8, 3]);
    const first = (model.predict(x) as km.Tensor).dataSync().slice();
    const table = GRAPH_OPS as Record<string, GraphOp>;
    const originals = { ...table };
    const made: Tensor[] = [];
    for (const [name, op] of Object.entries(originals)) {
      table[name] = (inputs, node) => {
        const out = op(inputs, node);
        made.push(...(Array.isArray(out) ? out : [out]));
        return out;
      };
    }
    let outputs: km.Tensor[];
    try {
      outputs = model.execute(x, ['pool', 'probabilities']) as km.Tensor[];
    } finally {
      Object.assign(table, originals);
    }
    // Eight op nodes ran (Identity passing Softmax's tensor on); all they made is disposed but the two asked for.
    expect(made.length).toBe(8);
    expect(new Set(made.filter((t) => !t.isDisposed))).toEqual(new Set(outputs));
    expect(x.isDisposed).toBe(false);
    for (const [name, [w]] of Object.entries(model.weights)) expect(w.isDisposed, name).toBe(false);
    expect(Array.from(outputs[1].dataSync())).toEqual(Array.from(first));
    const weights = Object.values(model.weights).flat();
    model.dispose();
    expect(weights.every((w) => w.isDisposed)).toBe(true);
    expect(() => model.predict(x)).toThrow(/disposed/);
  });
});
