// tfjs' dropout, composed of km ops as tfjs composes it (a uniform draw, floor, scale, multiply), so
// that the tape differentiates it: the gradient is dy times the same mask and scale.
import type { Tensor, TensorLike } from '../tensor.js';
import { uniform } from '../tensor_create.js';
import { add, div, mul } from './arithmetic.js';
import { operand } from './operand.js';
import { floor } from './rounding.js';

/**
 * `x` with each value zeroed with probability `rate` and the others scaled by 1 / (1 - rate), as
 * `tf.dropout(x, rate, noiseShape?, seed?)`, so that the expected value is unchanged. `noiseShape`
 * (default x's shape) draws one keep-or-drop per entry of a shape that broadcasts to x's, e.g.
 * [batch, 1, channels] to drop whole channels of [batch, steps, channels]; a null entry means x's
 * size there. float32 only; rate in [0, 1), and 0 gives a copy. The draws come from kerasm's
 * seeded generator (see km.randomUniform), so they differ from tfjs'.
 * @example `km.dropout(hidden, 0.5)` (in a written-out training step)
 */
export function dropout(x: Tensor | TensorLike, rate: number, noiseShape?: readonly (number | null)[], seed?: number): Tensor<'float32'> {
  const fn = 'km.dropout()';
  const t = operand(fn, 'x', x);
  if (t.dtype !== 'float32') throw new Error(`${fn} takes a float32 tensor, since it scales the values it keeps. Cast it first: km.dropout(km.cast(x, 'float32'), rate). Received: x.dtype='${t.dtype}'.`);
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`${fn}: rate, the fraction of values to drop, must be a number in [0, 1). Received: rate=${String(rate)}.`);
  if (rate === 0) return t.clone() as Tensor<'float32'>;
  const keepProb = 1 - rate;
  const multiplier = div(floor(add(uniform(fn, resolvedNoiseShape(fn, t.shape, noiseShape), 0, 1, 'float32', seed), keepProb)), keepProb);
  return mul(t, multiplier) as Tensor<'float32'>;
}

/** The shape of the keep-or-drop draws: x's by default, null entries filled from x's shape; it must broadcast to x's shape. */
function resolvedNoiseShape(fn: string, shape: readonly number[], noiseShape: readonly (number | null)[] | undefined): number[] {
  if (noiseShape == null) return [...shape];
  const filled = noiseShape.length === shape.length ? noiseShape.map((d, i) => d ?? shape[i]) : [...noiseShape];
  const lead = shape.length - filled.length;
  const fits = lead >= 0 && filled.every((d, i) => d === 1 || d === shape[lead + i]);
  if (!fits) {
    throw new Error(`${fn}: noiseShape must broadcast to x's shape [${shape.join(', ')}]: each size equal to x's or 1, aligned from the last axis (e.g. [${shape.map((d, i) => (i === shape.length - 2 ? 1 : d)).join(', ')}]). Received: noiseShape=${JSON.stringify(noiseShape)}.`);
  }
  return filled as number[];
}
