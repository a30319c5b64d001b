/**
 * The RGBA bytes tfjs documents for an image tensor's values (`[height, width]` or
 * `[height, width, 1 | 3 | 4]`; float32 in [0, 1] or int32 bytes), by a float64 loop: gray or RGB
 * get `alpha`, RGBA its 4th channel.
 */
export function expectedRgba(values: ArrayLike<number>, shape: readonly number[], dtype: 'float32' | 'int32', alpha = 1): number[] {
  const depth = shape.length === 2 ? 1 : shape[2];
  const scale = dtype === 'float32' ? 255 : 1;
  const out: number[] = [];
  for (let p = 0; p < shape[0] * shape[1]; p++) {
    const channel = (c: number) => Math.round(values[p * depth + c] * scale);
    if (depth === 1) out.push(channel(0), channel(0), channel(0), Math.round(255 * alpha));
    else out.push(channel(0), channel(1), channel(2), depth === 4 ? channel(3) : Math.round(255 * alpha));
  }
  return out;
}
