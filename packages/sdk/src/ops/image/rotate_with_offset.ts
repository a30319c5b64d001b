// tfjs' rotateWithOffset: each image of a batch turned about a centre, by nearest-pixel sampling.
import { Tensor, type DType, type TensorLike } from '../../tensor.js';
import { hostValues, operand, typedArray } from '../operand.js';
import { batchShape } from './image_shape.js';

/** A number, or a list of `length` numbers, or the error naming `name`. */
function numberOrList(fn: string, name: string, value: unknown, length: number, example: string): number | number[] {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number')) return value;
  throw new Error(`${fn}: ${name} must be a number or ${example}. Received: ${name}=${JSON.stringify(value)}.`);
}

/**
 * Each image of `image` (`[batch, height, width, channels]`) rotated by `radians` (counter-clockwise
 * as displayed, y pointing down) about `center` (a fraction of the width and height, one number for
 * both or [x, y]; default 0.5, the middle), as `tf.image.rotateWithOffset`: each output pixel copies
 * the input pixel nearest to where it came from (halves rounding up), and pixels that came from
 * outside get `fillValue`, one number or [r, g, b] (a fourth channel then gets 255, opaque). The
 * dtype is kept. No gradient, as tfjs.
 * @example `km.image.rotateWithOffset(images, Math.PI / 6)`
 */
export function rotateWithOffset<D extends DType>(image: Tensor<D> | TensorLike, radians: number, fillValue: number | readonly [number, number, number] = 0, center: number | readonly [number, number] = 0.5): Tensor<D> {
  const fn = 'km.image.rotateWithOffset()';
  const t = operand<D>(fn, 'image', image);
  const [batch, h, w, d] = batchShape(fn, 'image', t, [4]);
  if (typeof radians !== 'number') throw new Error(`${fn}: radians must be a number, e.g. Math.PI / 4. Received: radians=${JSON.stringify(radians)}.`);
  const fill = numberOrList(fn, 'fillValue', fillValue, 3, '[r, g, b]');
  if (typeof fill !== 'number' && d !== 3 && d !== 4) throw new Error(`${fn}: a fillValue of [r, g, b] needs images of 3 or 4 channels; give one number instead. Received: image.shape=[${t.shape.join(', ')}].`);
  const c = numberOrList(fn, 'center', center, 2, '[x, y]');
  const [cx, cy] = [w * (typeof c === 'number' ? c : c[0]), h * (typeof c === 'number' ? c : c[1])];
  const [sin, cos] = [Math.sin(radians), Math.cos(radians)];
  const x = hostValues(fn, t) as ArrayLike<number>;
  const out = typedArray(t.dtype, t.size);
  for (let b = 0; b < batch; b++) {
    for (let row = 0; row < h; row++) {
      for (let col = 0; col < w; col++) {
        const sx = Math.round((col - cx) * cos - (row - cy) * sin + cx);
        const sy = Math.round((col - cx) * sin + (row - cy) * cos + cy);
        const inside = sx >= 0 && sx < w && sy >= 0 && sy < h;
        const [o, at] = [((b * h + row) * w + col) * d, ((b * h + sy) * w + sx) * d];
        for (let k = 0; k < d; k++) out[o + k] = inside ? x[at + k] : typeof fill === 'number' ? fill : k === 3 ? 255 : fill[k];
      }
    }
  }
  return new Tensor(out, t.shape, t.dtype);
}
