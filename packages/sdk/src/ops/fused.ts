// tfjs' tf.fused ops: a convolution or matrix product, then a bias and an activation, in one call.
// Where kerasm's WASM core is the active backend, the product is large and no gradient is being
// taken, the bias and activation are applied on the core as the result is written; everywhere
// else the same result comes from the unfused ops one after another (which record gradients).
import type { FusableActivation } from '../backend/backend.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { elu, leakyRelu, prelu, relu6 } from './activations.js';
import { add } from './arithmetic.js';
import { conv2d as plainConv2d } from './conv2d.js';
import { floatOperand, windowGeometry, type ConvPad, type DimRoundingMode, type SpatialPair } from './conv_geometry.js';
import { convolveOnCore, depthwiseOnCore, type CoreTail } from './conv_windows.js';
import { depthwiseConv2d as plainDepthwiseConv2d } from './depthwise_conv.js';
import { relu, sigmoid } from './elementwise.js';
import { matMul as plainMatMul } from './mat_mul.js';
import { hostValues } from './operand.js';
import { taping } from './tape.js';

/** The activations tfjs' fused ops take. */
export type FusedActivation = 'linear' | 'relu' | 'prelu' | 'elu' | 'relu6' | 'leakyrelu' | 'sigmoid';

const ACTIVATIONS: readonly FusedActivation[] = ['linear', 'relu', 'prelu', 'elu', 'relu6', 'leakyrelu', 'sigmoid'];

/** What follows the product in every fused op, as tfjs names it. */
export interface FusedTailArgs {
  /** Added to the product, broadcast against it (one value an output channel, usually). */
  bias?: Tensor | TensorLike;
  /** Applied last; default 'linear'. */
  activation?: FusedActivation;
  /** The slopes of 'prelu', broadcast against the output. */
  preluActivationWeights?: Tensor | TensorLike;
  /** The slope of 'leakyrelu' below zero; default 0.2. */
  leakyreluAlpha?: number;
}

/** Options of {@link conv2d} and {@link depthwiseConv2d}: tf.fused.conv2d's. */
export interface FusedConv2DArgs extends FusedTailArgs {
  x: Tensor | TensorLike;
  filter: Tensor | TensorLike;
  strides: SpatialPair;
  pad: ConvPad;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: SpatialPair;
  dimRoundingMode?: DimRoundingMode;
}

/** Options of {@link matMul}: tf.fused.matMul's. */
export interface FusedMatMulArgs extends FusedTailArgs {
  a: Tensor | TensorLike;
  b: Tensor | TensorLike;
  transposeA?: boolean;
  transposeB?: boolean;
}

function checkActivation(fn: string, { activation = 'linear', preluActivationWeights }: FusedTailArgs): void {
  if (!ACTIVATIONS.includes(activation)) throw new Error(`${fn}: activation must be one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}. Received: ${JSON.stringify(activation)}.`);
  if (activation === 'prelu' && preluActivationWeights === undefined) throw new Error(`${fn}: activation 'prelu' needs its slopes: pass preluActivationWeights.`);
}

/** `y` plus the bias, then the activation, by the unfused ops. */
function tail(y: Tensor, { bias, activation = 'linear', preluActivationWeights, leakyreluAlpha = 0.2 }: FusedTailArgs): Tensor<'float32'> {
  const biased = bias === undefined ? y : add(y, bias);
  switch (activation) {
    case 'relu': return relu(biased) as Tensor<'float32'>;
    case 'relu6': return relu6(biased) as Tensor<'float32'>;
    case 'elu': return elu(biased);
    case 'sigmoid': return sigmoid(biased);
    case 'leakyrelu': return leakyRelu(biased, leakyreluAlpha);
    case 'prelu': return prelu(biased, preluActivationWeights!);
    default: return biased as Tensor<'float32'>;
  }
}

/** The core's version of the tail where it has one: a bias of one value per output channel, an activation its kernels compute. */
function coreTail(fn: string, args: FusedTailArgs, channels: number): CoreTail | null {
  const { bias, activation = 'linear', leakyreluAlpha = 0.2 } = args;
  const kind: FusableActivation | null = activation === 'leakyrelu' ? (leakyreluAlpha === 0.2 ? 'leaky_relu' : null) : activation === 'prelu' ? null : activation;
  if (kind === null) return null;
  if (bias === undefined) return { bias: null, activation: kind };
  const b = floatOperand(fn, 'bias', bias);
  return b.rank === 1 && b.shape[0] === channels ? { bias: hostValues(fn, b), activation: kind } : null;
}

/** A fused NHWC convolution of rank-4 operands on the core, or null where the unfused ops run it. */
function convOnCore(fn: string, args: FusedConv2DArgs, depthwise: boolean): Tensor<'float32'> | null {
  const { dataFormat = 'NHWC', dilations = [1, 1], strides, pad, dimRoundingMode } = args;
  if (taping() || dataFormat !== 'NHWC') return null;
  const x = floatOperand(fn, 'x', args.x);
  const filter = floatOperand(fn, 'filter', args.filter);
  // Anything else goes to the unfused op, whose checks name the problem.
  if (x.rank !== 4 || filter.rank !== 4 || x.shape[3] !== filter.shape[2]) return null;
  const [kH, kW, channels, last] = filter.shape;
  const outChannels = depthwise ? channels * last : last;
  const coreArgs = coreTail(fn, args, outChannels);
  if (coreArgs === null) return null;
  const g = windowGeometry(fn, x.shape, { kernel: [kH, kW], strides, dilations, pad, dimRoundingMode });
  const [xv, wv] = [hostValues(fn, x), hostValues(fn, filter)];
  const values = depthwise ? depthwiseOnCore(xv, wv, g, last, coreArgs) : convolveOnCore(xv, wv, g, last, coreArgs);
  return values && new Tensor(values, [g.batch, g.outH, g.outW, outChannels], 'float32');
}

/**
 * `tf.fused.conv2d({ x, filter, strides, pad, dataFormat, dilations, dimRoundingMode, bias,
 * activation, preluActivationWeights, leakyreluAlpha })`: {@link conv2d}, plus `bias`, then
 * `activation`. On the WASM core a large NHWC convolution adds a per-channel bias and activates as
 * its product is written; differentiable in every tensor operand.
 * @example `km.fused.conv2d({ x: images, filter: kernel, strides: 1, pad: 'same', bias, activation: 'relu6' })`
 */
export function conv2d(args: FusedConv2DArgs): Tensor<'float32'> {
  const fn = 'km.fused.conv2d()';
  checkActivation(fn, args);
  const { x, filter, strides, pad, dataFormat, dilations, dimRoundingMode } = args;
  return convOnCore(fn, args, false) ?? tail(plainConv2d(x, filter, strides, pad, dataFormat, dilations, dimRoundingMode), args);
}

/**
 * `tf.fused.depthwiseConv2d({ x, filter, ... })`: {@link depthwiseConv2d}, plus `bias`, then
 * `activation`, as {@link conv2d} does for the plain convolution.
 * @example `km.fused.depthwiseConv2d({ x, filter: depthwise, strides: 1, pad: 'same', bias, activation: 'relu6' })`
 */
export function depthwiseConv2d(args: FusedConv2DArgs): Tensor<'float32'> {
  const fn = 'km.fused.depthwiseConv2d()';
  checkActivation(fn, args);
  const { x, filter, strides, pad, dataFormat, dilations, dimRoundingMode } = args;
  return convOnCore(fn, args, true) ?? tail(plainDepthwiseConv2d(x, filter, strides, pad, dataFormat, dilations, dimRoundingMode), args);
}

/**
 * `tf.fused.matMul({ a, b, transposeA, transposeB, bias, activation, preluActivationWeights,
 * leakyreluAlpha })`: {@link matMul}, plus `bias`, then `activation`. Differentiable.
 * @example `km.fused.matMul({ a: features, b: kernel, bias, activation: 'relu' })`
 */
export function matMul(args: FusedMatMulArgs): Tensor<'float32'> {
  checkActivation('km.fused.matMul()', args);
  return tail(plainMatMul(args.a, args.b, args.transposeA ?? false, args.transposeB ?? false), args);
}
