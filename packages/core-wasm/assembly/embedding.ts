// Embedding lookups: rows of a [inputDim, dim] table picked by indices held as floats (model inputs
// are float32 buffers). An index is clamped into [0, inputDim) here because the memory is shared
// with every other buffer: the SDK rejects bad indices with a clear error before any kernel runs,
// and the clamp only keeps a bad one that slips through from reading or writing someone else's data.

// @ts-ignore: decorator
@inline
function rowOf(indices: usize, i: i32, inputDim: i32): i32 {
  const v = Mathf.floor(load<f32>(indices + (<usize>i << 2)));
  // Written as !(v >= 0) so that NaN lands on row 0 too.
  if (!(v >= 0)) return 0;
  if (v > <f32>(inputDim - 1)) return inputDim - 1;
  return <i32>v;
}

/** out[i, :] = table[indices[i], :] for n indices, rows of dim floats. */
export function embeddingForward(indices: usize, table: usize, out: usize, n: i32, dim: i32, inputDim: i32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = <usize>(dim & ~3) << 2;
  for (let i = 0; i < n; i++) {
    const src = table + <usize>rowOf(indices, i, inputDim) * rowBytes;
    const dst = out + <usize>i * rowBytes;
    let b: usize = 0;
    for (; b < vecEnd; b += 16) v128.store(dst + b, v128.load(src + b));
    for (; b < rowBytes; b += 4) store<f32>(dst + b, load<f32>(src + b));
  }
}

/** dTable = 0, then dTable[indices[i], :] += dy[i, :]: repeated indices add up. */
export function embeddingBackward(indices: usize, dy: usize, dTable: usize, n: i32, dim: i32, inputDim: i32): void {
  const rowBytes = <usize>dim << 2;
  memory.fill(dTable, 0, <usize>inputDim * rowBytes);
  const vecEnd = <usize>(dim & ~3) << 2;
  for (let i = 0; i < n; i++) {
    const dst = dTable + <usize>rowOf(indices, i, inputDim) * rowBytes;
    const src = dy + <usize>i * rowBytes;
    let b: usize = 0;
    for (; b < vecEnd; b += 16) v128.store(dst + b, f32x4.add(v128.load(dst + b), v128.load(src + b)));
    for (; b < rowBytes; b += 4) store<f32>(dst + b, load<f32>(dst + b) + load<f32>(src + b));
  }
}
