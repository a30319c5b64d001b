// The checks every km.image op makes on its image argument and its sizes.
import type { Tensor } from '../../tensor.js';

/** An NHWC batch's axes: images, rows, columns, channels. */
export type BatchShape = [batch: number, height: number, width: number, channels: number];

/**
 * `t`'s shape as an NHWC batch; a rank-3 image (when `ranks` allows it) is a batch of one. Throws
 * naming `fn` and the fix when `t` has another rank.
 */
export function batchShape(fn: string, name: string, t: Tensor, ranks: readonly (3 | 4)[] = [3, 4]): BatchShape {
  if (!(ranks as readonly number[]).includes(t.rank)) {
    const want = ranks.length === 2 ? 'a [height, width, channels] image or a [batch, height, width, channels] batch' : 'a [batch, height, width, channels] batch (add the batch axis with km.expandDims(image, 0))';
    throw new Error(`${fn}: ${name} must be ${want}. Received: ${name}.shape=[${t.shape.join(', ')}] (rank ${t.rank}).`);
  }
  const [b, h, w, c] = t.rank === 3 ? [1, ...t.shape] : t.shape;
  return [b, h, w, c];
}

/** `size` as [height, width] of positive integers, or an error naming `name` and the fix. */
export function imageSize(fn: string, name: string, size: unknown): [number, number] {
  const ok = Array.isArray(size) && size.length === 2 && size.every((d) => Number.isInteger(d) && d > 0);
  if (!ok) throw new Error(`${fn}: ${name} must be [height, width], two positive integers, e.g. [64, 64]. Received: ${name}=${JSON.stringify(size)}.`);
  return [size[0], size[1]];
}

/** `value` when it is a boolean, else an error naming the option. */
export function booleanOption(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(`${fn}: ${name} must be true or false. Received: ${name}=${JSON.stringify(value)}.`);
  return value;
}

/** `value` when it is one of `allowed`, else an error listing them. */
export function choiceOption<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new Error(`${fn}: ${name} must be ${allowed.map((a) => `'${a}'`).join(' or ')}. Received: ${name}=${JSON.stringify(value)}.`);
  return value as T;
}
