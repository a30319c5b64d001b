// What each TensorFlow op of a graph model computes, in km ops, with the semantics tfjs-converter
// 4.22 gives it (operations/executors/*). An op missing here is refused when the model loads.
import { elu, leakyRelu, prelu, relu6, selu } from '../../ops/activations.js';
import { add, div, floorDiv, maximum, minimum, mod, mul, pow, squaredDifference, sub } from '../../ops/arithmetic.js';
import type { ConvPad, ExplicitPadding } from '../../ops/conv_geometry.js';
import { conv2dTranspose } from '../../ops/conv_transpose.js';
import { cumsum } from '../../ops/cumulative.js';
import { depthToSpace } from '../../ops/depth_to_space.js';
import { einsum } from '../../ops/einsum.js';
import * as fused from '../../ops/fused.js';
import type { FusedActivation, FusedTailArgs } from '../../ops/fused.js';
import { abs, clipByValue, cos, exp, log, log1p, neg, reciprocal, relu, rsqrt, sigmoid, sin, softplus, sqrt, square, tanh } from '../../ops/elementwise.js';
import { reverse } from '../../ops/reverse.js';
import { ceil, floor, round, sign } from '../../ops/rounding.js';
import { batchToSpaceND, spaceToBatchND } from '../../ops/space_to_batch.js';
import { erf } from '../../ops/special_functions.js';
import { topk } from '../../ops/topk.js';
import { atan2 } from '../../ops/trigonometric.js';
import { gather } from '../../ops/gather.js';
import { resizeBilinear, resizeNearestNeighbor } from '../../ops/image/resize.js';
import { concat, stack } from '../../ops/join.js';
import { matMul } from '../../ops/mat_mul.js';
import { mirrorPad } from '../../ops/mirror_pad.js';
import { batchNorm } from '../../ops/normalization_ops.js';
import { avgPool, maxPool } from '../../ops/pooling.js';
import { prod } from '../../ops/prod.js';
import { argMax, max, mean, min, sum } from '../../ops/reduce.js';
import { cast, expandDims, reshape, slice, squeeze } from '../../ops/shape_ops.js';
import { logSoftmax, softmax } from '../../ops/softmax.js';
import { unstack } from '../../ops/split.js';
import { stridedSlice } from '../../ops/strided_slice.js';
import { pad, tile } from '../../ops/tile_pad.js';
import { transpose } from '../../ops/transpose.js';
import { fill, oneHot, range } from '../../tensor_create.js';
import { tensor, type DType, type Tensor } from '../../tensor.js';
import { attrs, type GraphNode } from './graph_def.js';

/** Computes a node's outputs from its input tensors (data inputs, in order). */
export type GraphOp = (inputs: Tensor[], node: GraphNode) => Tensor | Tensor[];

type Attrs = ReturnType<typeof attrs>;

/** An int tensor input (an axis, a shape, a size) as numbers. */
function ints(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

/** The last input of a node that takes N tensors then an axis (ConcatV2). */
function lastAxis(inputs: Tensor[]): number {
  return ints(inputs[inputs.length - 1])[0];
}

function padding(a: Attrs): ConvPad {
  const kind = a.string('padding', 'VALID');
  if (kind === 'EXPLICIT') {
    const p = a.ints('explicit_paddings');
    return [[p[0], p[1]], [p[2], p[3]], [p[4], p[5]], [p[6], p[7]]] as ExplicitPadding;
  }
  return kind === 'SAME' ? 'same' : 'valid';
}

/** The spatial pair of a 4-item NHWC/NCHW list attr (strides, dilations, ksize). */
function spatial(a: Attrs, name: string, nchw: boolean): [number, number] {
  const list = a.ints(name, [1, 1, 1, 1]);
  return nchw ? [list[2], list[3]] : [list[1], list[2]];
}

function dataFormat(a: Attrs): 'NHWC' | 'NCHW' {
  return a.string('data_format', 'NHWC') === 'NCHW' ? 'NCHW' : 'NHWC';
}

/** The activations a fused op may end with, by TensorFlow's name, as km.fused names them (it has no tanh: that one follows the op). */
const FUSED_ACTIVATIONS: Readonly<Record<string, FusedActivation | 'tanh'>> = {
  Relu: 'relu', Relu6: 'relu6', Elu: 'elu', Sigmoid: 'sigmoid', Tanh: 'tanh', LeakyRelu: 'leakyrelu', Prelu: 'prelu',
};

/**
 * Why a fused op's `fused_ops` cannot run, or null: kerasm runs `[BiasAdd]` and `[BiasAdd, activation]`
 * (as tfjs-converter's optimizer emits), and an activation alone.
 */
export function unsupportedFusion(node: GraphNode): string | null {
  if (!FUSED_OPS.has(node.op)) return null;
  const fused = attrs(node).strings('fused_ops');
  const [first, second, ...rest] = fused;
  const activation = first === 'BiasAdd' ? second : first;
  const ok = rest.length === 0 && (first === 'BiasAdd' ? second === undefined || activation in FUSED_ACTIVATIONS : first !== undefined && second === undefined && activation in FUSED_ACTIVATIONS);
  return ok ? null : `fused_ops [${fused.join(', ')}] (kerasm runs BiasAdd and/or one of ${Object.keys(FUSED_ACTIVATIONS).join(', ')})`;
}

const FUSED_OPS = new Set(['_FusedConv2D', 'FusedDepthwiseConv2dNative', '_FusedMatMul']);

/**
 * A fused op: `run` (a km.fused op) with the bias and activation `fused_ops` names, read from the
 * node's args after its two operands (the bias, then prelu's slopes).
 */
function fusedOp(node: GraphNode, args: Tensor[], run: (tail: FusedTailArgs) => Tensor): Tensor {
  const a = attrs(node);
  const [first, second] = a.strings('fused_ops');
  const hasBias = first === 'BiasAdd';
  const name = hasBias ? second : first;
  const activation = name === undefined ? 'linear' : FUSED_ACTIVATIONS[name];
  const slopes = hasBias ? args[1] : args[0];
  const y = run({
    bias: hasBias ? args[0] : undefined,
    activation: activation === 'tanh' ? 'linear' : activation,
    preluActivationWeights: activation === 'prelu' ? slopes : undefined,
    leakyreluAlpha: a.number('leakyrelu_alpha', 0.2),
  });
  return activation === 'tanh' ? tanh(y) : y;
}

/** A convolution node's strides, pad, data format and dilations, as km's conv ops take them. */
function convArgs(node: GraphNode) {
  const a = attrs(node);
  const dataFormat = a.string('data_format', 'NHWC') === 'NCHW' ? 'NCHW' as const : 'NHWC' as const;
  const nchw = dataFormat === 'NCHW';
  return { strides: spatial(a, 'strides', nchw), pad: padding(a), dataFormat, dilations: spatial(a, 'dilations', nchw) };
}

function pooled(kind: 'max' | 'avg', x: Tensor, node: GraphNode): Tensor {
  const a = attrs(node);
  if (dataFormat(a) === 'NCHW') throw new Error(`Graph node '${node.name}' (${node.op}) pools NCHW data; kerasm pools NHWC only. Convert the model with data_format NHWC.`);
  const [size, strides, pad] = [spatial(a, 'ksize', false), spatial(a, 'strides', false), padding(a)];
  return kind === 'max' ? maxPool(x, size, strides, pad) : avgPool(x, size, strides, pad);
}

function reduction(f: (x: Tensor, axis: number[], keepDims: boolean) => Tensor): GraphOp {
  return ([x, axis], node) => f(x, ints(axis), attrs(node).bool('keep_dims', attrs(node).bool('keepDims')));
}

/** Inference batch norm: y only (the batch statistics outputs are for training). */
function fusedBatchNorm([x, scale, offset, mean, variance]: Tensor[], node: GraphNode): Tensor {
  if (dataFormat(attrs(node)) === 'NCHW') throw new Error(`Graph node '${node.name}' (${node.op}) normalizes NCHW data; kerasm runs NHWC only. Convert the model with data_format NHWC.`);
  return batchNorm(x, mean, variance, offset, scale, attrs(node).number('epsilon', 0.001));
}

/** The ops kerasm runs, by TensorFlow op name. */
export const GRAPH_OPS: Readonly<Record<string, GraphOp>> = {
  Identity: ([x]) => x,
  IdentityN: (inputs) => inputs,
  StopGradient: ([x]) => x,
  Snapshot: ([x]) => x,
  EnsureShape: ([x]) => x,
  PlaceholderWithDefault: ([x]) => x,
  NoOp: () => [],
  Add: ([a, b]) => add(a, b),
  AddV2: ([a, b]) => add(a, b),
  AddN: (inputs) => inputs.slice(1).reduce((s, t) => add(s, t), inputs[0]),
  BiasAdd: ([x, bias], node) => {
    if (dataFormat(attrs(node)) === 'NCHW') return add(x, reshape(bias, [bias.shape[0], ...Array<number>(x.rank - 2).fill(1)]));
    return add(x, bias);
  },
  Sub: ([a, b]) => sub(a, b),
  Mul: ([a, b]) => mul(a, b),
  RealDiv: ([a, b]) => div(a, b),
  Div: ([a, b]) => div(a, b),
  Maximum: ([a, b]) => maximum(a, b),
  Minimum: ([a, b]) => minimum(a, b),
  SquaredDifference: ([a, b]) => squaredDifference(a, b),
  Rsqrt: ([x]) => rsqrt(x),
  Sqrt: ([x]) => sqrt(x),
  Square: ([x]) => square(x),
  Exp: ([x]) => exp(x),
  Log: ([x]) => log(x),
  Neg: ([x]) => neg(x),
  Abs: ([x]) => abs(x),
  Reciprocal: ([x]) => reciprocal(x),
  Tanh: ([x]) => tanh(x),
  Sigmoid: ([x]) => sigmoid(x),
  Relu: ([x]) => relu(x),
  Relu6: ([x]) => relu6(x),
  Elu: ([x]) => elu(x),
  Selu: ([x]) => selu(x),
  LeakyRelu: ([x], node) => leakyRelu(x, attrs(node).number('alpha', 0.2)),
  Prelu: ([x, alpha]) => prelu(x, alpha),
  Softmax: ([x]) => softmax(x),
  LogSoftmax: ([x]) => logSoftmax(x),
  MatMul: ([a, b], node) => matMul(a, b, attrs(node).bool('transpose_a'), attrs(node).bool('transpose_b')),
  BatchMatMul: ([a, b], node) => matMul(a, b, attrs(node).bool('adj_x'), attrs(node).bool('adj_y')),
  BatchMatMulV2: ([a, b], node) => matMul(a, b, attrs(node).bool('adj_x'), attrs(node).bool('adj_y')),
  _FusedMatMul: ([a, b, ...args], node) => fusedOp(node, args, (tail) => fused.matMul({ a, b, transposeA: attrs(node).bool('transpose_a'), transposeB: attrs(node).bool('transpose_b'), ...tail })),
  Conv2D: ([x, filter], node) => fused.conv2d({ x, filter, ...convArgs(node) }),
  _FusedConv2D: ([x, filter, ...args], node) => fusedOp(node, args, (tail) => fused.conv2d({ x, filter, ...convArgs(node), ...tail })),
  DepthwiseConv2dNative: ([x, filter], node) => fused.depthwiseConv2d({ x, filter, ...convArgs(node) }),
  FusedDepthwiseConv2dNative: ([x, filter, ...args], node) => fusedOp(node, args, (tail) => fused.depthwiseConv2d({ x, filter, ...convArgs(node), ...tail })),
  Conv2DBackpropInput: ([outputShape, filter, dy], node) => {
    const a = attrs(node);
    if (dataFormat(a) === 'NCHW') throw new Error(`Graph node '${node.name}' (Conv2DBackpropInput) is NCHW; kerasm's conv2dTranspose takes NHWC only.`);
    return conv2dTranspose(dy, filter, ints(outputShape), spatial(a, 'strides', false), padding(a));
  },
  MaxPool: ([x], node) => pooled('max', x, node),
  AvgPool: ([x], node) => pooled('avg', x, node),
  FusedBatchNorm: fusedBatchNorm,
  FusedBatchNormV2: fusedBatchNorm,
  FusedBatchNormV3: fusedBatchNorm,
  Mean: reduction((x, axis, keep) => mean(x, axis, keep)),
  Sum: reduction((x, axis, keep) => sum(x, axis, keep)),
  Max: reduction((x, axis, keep) => max(x, axis, keep)),
  Min: reduction((x, axis, keep) => min(x, axis, keep)),
  Prod: reduction((x, axis, keep) => prod(x, axis, keep)),
  ArgMax: ([x, axis]) => argMax(x, ints(axis)[0]),
  Reshape: ([x, shape]) => reshape(x, ints(shape)),
  Squeeze: ([x], node) => {
    const axes = attrs(node).ints('squeeze_dims', attrs(node).ints('axis'));
    return squeeze(x, axes.length > 0 ? axes : undefined);
  },
  ExpandDims: ([x, axis]) => expandDims(x, ints(axis)[0]),
  Transpose: ([x, perm]) => transpose(x, ints(perm)),
  ConcatV2: (inputs) => concat(inputs.slice(0, -1), lastAxis(inputs)),
  Concat: ([axis, ...tensors]) => concat(tensors, ints(axis)[0]),
  Pack: (inputs, node) => stack(inputs, attrs(node).number('axis')),
  Unpack: ([x], node) => unstack(x, attrs(node).number('axis')),
  Slice: ([x, begin, size]) => slice(x, ints(begin), ints(size)),
  StridedSlice: ([x, begin, end, strides], node) => {
    const a = attrs(node);
    return stridedSlice(x, ints(begin), ints(end), ints(strides), a.number('begin_mask'), a.number('end_mask'), a.number('ellipsis_mask'), a.number('new_axis_mask'), a.number('shrink_axis_mask'));
  },
  Gather: ([x, indices]) => gather(x, indices, 0),
  GatherV2: ([x, indices, axis], node) => gather(x, indices, ints(axis)[0], attrs(node).number('batch_dims')),
  Pad: ([x, paddings]) => pad(x, pairs(paddings)),
  PadV2: ([x, paddings, value]) => pad(x, pairs(paddings), value.dataSync()[0]),
  MirrorPad: ([x, paddings], node) => mirrorPad(x, pairs(paddings), attrs(node).string('mode') === 'SYMMETRIC' ? 'symmetric' : 'reflect'),
  Tile: ([x, reps]) => tile(x, ints(reps)),
  Shape: ([x]) => tensor(Int32Array.from(x.shape), [x.rank], 'int32'),
  Fill: ([dims, value]) => fill(ints(dims), value.dataSync()[0], value.dtype),
  // The load check refused every dtype but these two.
  Cast: ([x], node) => cast(x, attrs(node).dtype('DstT') as DType),
  Pow: ([a, b]) => pow(a, b),
  FloorDiv: ([a, b]) => (a.dtype === 'int32' && b.dtype === 'int32' ? floorDiv(a, b) : floor(div(a, b))),
  FloorMod: ([a, b]) => mod(a, b),
  Atan2: ([a, b]) => atan2(a, b),
  Erf: ([x]) => erf(x),
  Softplus: ([x]) => softplus(x),
  Log1p: ([x]) => log1p(x),
  Sin: ([x]) => sin(x),
  Cos: ([x]) => cos(x),
  Floor: ([x]) => floor(x),
  Ceil: ([x]) => ceil(x),
  Round: ([x]) => round(x),
  Sign: ([x]) => sign(x),
  ClipByValue: ([x, low, high]) => clipByValue(x, low.dataSync()[0], high.dataSync()[0]),
  Cumsum: ([x, axis], node) => cumsum(x, ints(axis)[0], attrs(node).bool('exclusive'), attrs(node).bool('reverse')),
  ReverseV2: ([x, axis]) => reverse(x, ints(axis)),
  Einsum: (inputs, node) => einsum(attrs(node).string('equation'), ...inputs),
  TopKV2: ([x, k]) => {
    const { values, indices } = topk(x, ints(k)[0]);
    return [values, indices];
  },
  OneHot: ([indices, depth, on, off], node) => {
    if (attrs(node).number('axis', -1) !== -1) throw new Error(`Graph node '${node.name}' (OneHot) has axis ${attrs(node).number('axis')}; kerasm's oneHot adds the last axis only, as tfjs'.`);
    return oneHot(indices, ints(depth)[0], on.dataSync()[0], off.dataSync()[0], on.dtype);
  },
  Range: ([start, limit, delta], node) => range(start.dataSync()[0], limit.dataSync()[0], delta.dataSync()[0], attrs(node).dtype('Tidx') === 'int32' ? 'int32' : 'float32'),
  SpaceToBatchND: ([x, block, paddings]) => spaceToBatchND(x, ints(block), pairs(paddings)),
  BatchToSpaceND: ([x, block, crops]) => batchToSpaceND(x, ints(block), pairs(crops)),
  DepthToSpace: ([x], node) => depthToSpace(x, attrs(node).number('block_size'), dataFormat(attrs(node))),
  ResizeBilinear: ([images, size], node) => resizeBilinear(images, ints(size) as [number, number], attrs(node).bool('align_corners'), attrs(node).bool('half_pixel_centers')),
  ResizeNearestNeighbor: ([images, size], node) => resizeNearestNeighbor(images, ints(size) as [number, number], attrs(node).bool('align_corners'), attrs(node).bool('half_pixel_centers')),
};

/** A [rank, 2] paddings tensor as pairs. */
function pairs(paddings: Tensor): [number, number][] {
  const v = ints(paddings);
  return Array.from({ length: v.length / 2 }, (_, i) => [v[2 * i], v[2 * i + 1]]);
}
