// A converted graph model's inference: a MobileNetV2-shaped GraphDef as tensorflowjs_converter
// writes one (fused conv + BiasAdd + Relu6, fused depthwise, linear projections, residual AddV2,
// Mean, fused matmul, Softmax), 96×96 RGB images, batches of 1 and 8, run by km.loadGraphModel's
// predict against tfjs-converter 4.22's GraphModel.predict on tfjs-wasm and tfjs-cpu, loaded from
// the same artifacts. Each tfjs result is checked against kerasm's (max |difference| of the logits).
import { interleave, median, secondsPerCall } from './stats.mjs';
import { CORES, km, tf, useKerasm, useTfjs } from './setup.mjs';

const tfc = await import('@tensorflow/tfjs-converter');

const [SIZE, BATCHES, CLASSES] = [96, [1, 8], 100];
// Inverted residual blocks: [expansion, output channels, stride].
const BLOCKS = [[1, 16, 1], [6, 24, 2], [6, 24, 1], [6, 32, 2], [6, 32, 1], [6, 64, 2], [6, 64, 1], [6, 96, 1], [6, 160, 2], [6, 160, 1]];
const THREADS = [...new Set([1, CORES])];

/** GraphDef nodes and float32 weights of the MobileNetV2-shaped graph, in protobuf's JSON form. */
export function mobileNetGraph() {
  let seed = 3;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const nodes = [];
  const weights = [];
  const b64 = (s) => Buffer.from(s).toString('base64');
  const ints = (v) => ({ list: { i: v.map(String) } });
  const constant = (name, shape, scale) => {
    const size = shape.reduce((a, b) => a * b, 1);
    weights.push({ name, shape, values: Float32Array.from({ length: size }, () => random() * scale) });
    nodes.push({ name, op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } } } });
    return name;
  };
  const conv = (name, op, input, filterShape, stride, fused) => {
    const fanIn = filterShape[0] * filterShape[1] * filterShape[2];
    const w = constant(`${name}/w`, filterShape, Math.sqrt(3 / fanIn));
    const b = constant(`${name}/b`, [op === 'FusedDepthwiseConv2dNative' ? filterShape[2] * filterShape[3] : filterShape[3]], 0.1);
    nodes.push({ name, op, input: [input, w, b], attr: {
      T: { type: 'DT_FLOAT' }, strides: ints([1, stride, stride, 1]), padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') },
      dilations: ints([1, 1, 1, 1]), fused_ops: { list: { s: fused.map(b64) } }, num_args: { i: '1' }, epsilon: { f: 0 },
    } });
    return name;
  };
  nodes.push({ name: 'images', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [-1, SIZE, SIZE, 3].map((d) => ({ size: String(d) })) } } } });
  let x = conv('stem', '_FusedConv2D', 'images', [3, 3, 3, 32], 2, ['BiasAdd', 'Relu6']);
  let channels = 32;
  BLOCKS.forEach(([expansion, out, stride], i) => {
    const input = x;
    let h = input;
    if (expansion > 1) h = conv(`block${i}/expand`, '_FusedConv2D', h, [1, 1, channels, channels * expansion], 1, ['BiasAdd', 'Relu6']);
    h = conv(`block${i}/depthwise`, 'FusedDepthwiseConv2dNative', h, [3, 3, channels * expansion, 1], stride, ['BiasAdd', 'Relu6']);
    h = conv(`block${i}/project`, '_FusedConv2D', h, [1, 1, channels * expansion, out], 1, ['BiasAdd']);
    if (stride === 1 && out === channels) {
      nodes.push({ name: `block${i}/add`, op: 'AddV2', input: [input, h], attr: { T: { type: 'DT_FLOAT' } } });
      h = `block${i}/add`;
    }
    [x, channels] = [h, out];
  });
  x = conv('head', '_FusedConv2D', x, [1, 1, channels, 640], 1, ['BiasAdd', 'Relu6']);
  nodes.push({ name: 'pool/axes', op: 'Const', attr: { dtype: { type: 'DT_INT32' }, value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: [{ size: '2' }] } } } } });
  weights.push({ name: 'pool/axes', shape: [2], values: Int32Array.of(1, 2) });
  nodes.push({ name: 'pool', op: 'Mean', input: [x, 'pool/axes'], attr: { T: { type: 'DT_FLOAT' }, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } } });
  const w = constant('logits/w', [640, CLASSES], Math.sqrt(3 / 640));
  const b = constant('logits/b', [CLASSES], 0.1);
  nodes.push({ name: 'logits', op: '_FusedMatMul', input: ['pool', w, b], attr: { T: { type: 'DT_FLOAT' }, transpose_a: { b: false }, transpose_b: { b: false }, fused_ops: { list: { s: [b64('BiasAdd')] } }, num_args: { i: '1' } } });
  nodes.push({ name: 'probabilities', op: 'Softmax', input: ['logits'], attr: { T: { type: 'DT_FLOAT' } } });
  return { nodes, weights };
}

/** The graph as model artifacts, a fresh copy for each loader. */
export function artifacts({ nodes, weights }) {
  const bytes = weights.reduce((n, w) => n + w.values.byteLength, 0);
  const data = new Uint8Array(bytes);
  let at = 0;
  for (const w of weights) {
    data.set(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength), at);
    at += w.values.byteLength;
  }
  return {
    modelTopology: { node: structuredClone(nodes), versions: { producer: 1482 } },
    format: 'graph-model',
    weightSpecs: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.values instanceof Int32Array ? 'int32' : 'float32' })),
    weightData: data.buffer,
  };
}

/** Largest |a − b| over two flat arrays. */
const maxDifference = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

export async function graphModelSpeed({ repetitions, log }) {
  await useKerasm(1);
  const graph = mobileNetGraph();
  const params = graph.weights.reduce((n, w) => n + w.values.length, 0);
  const ours = await km.loadGraphModel(km.io.fromMemory(artifacts(graph)));
  const theirs = {};
  for (const backend of ['wasm', 'cpu']) {
    await useTfjs(backend);
    theirs[backend] = await tfc.loadGraphModel(tf.io.fromMemory(artifacts(graph)));
  }
  const contenders = {};
  const checks = {};
  for (const batch of BATCHES) {
    let s = 5;
    const values = Float32Array.from({ length: batch * SIZE * SIZE * 3 }, () => ((s = (s * 69069 + 1) % 4294967296) / 4294967296));
    const shape = [batch, SIZE, SIZE, 3];
    const kmX = km.tensor(values, shape);
    // Checked on the logits: the probabilities of 100 classes are all small.
    const expected = ours.execute(kmX, 'logits').dataSync();
    for (const t of THREADS) {
      contenders[`kerasm ${t} thread(s) batch ${batch} (ms)`] = async () => {
        await useKerasm(t);
        return 1000 * secondsPerCall(() => ours.predict(kmX).dataSync(), { trials: 3 });
      };
    }
    for (const backend of ['wasm', 'cpu']) {
      const tfX = tf.tensor4d(values, shape);
      const call = () => tf.tidy(() => theirs[backend].predict(tfX).dataSync());
      contenders[`tfjs-${backend} batch ${batch} (ms)`] = async () => {
        await useTfjs(backend);
        checks[`tfjs-${backend} batch ${batch} (max |logit difference|)`] ??= maxDifference(tf.tidy(() => theirs[backend].execute(tfX, 'logits').dataSync()), expected);
        return 1000 * secondsPerCall(call, { trials: 3 });
      };
    }
  }
  const runs = await interleave(contenders, repetitions, (r) => log(`  rep ${r + 1} done`));
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  for (const [k, v] of Object.entries(checks)) log(`  check ${k}: ${v.toExponential(2)}`);
  const ratios = {};
  for (const batch of BATCHES)
    for (const t of THREADS)
      for (const backend of ['wasm', 'cpu'])
        ratios[`kerasm ${t} thread(s) / tfjs-${backend} batch ${batch}`] = medians[`kerasm ${t} thread(s) batch ${batch} (ms)`] / medians[`tfjs-${backend} batch ${batch} (ms)`];
  return {
    title: `A MobileNetV2-shaped graph model (${graph.nodes.length} nodes, ${params} parameters, ${SIZE}×${SIZE} RGB, ${CLASSES} classes): km.loadGraphModel's predict against tfjs-converter's GraphModel.predict; ms per call, ratios kerasm / tfjs (below 1: kerasm faster)`,
    unit: 'ms', lowerIsBetter: true, runs, medians, ratios, checks,
  };
}
