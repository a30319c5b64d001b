// How one gemm call is split between threads. Every thread computes whole elements of C with
// the same k blocking, so the result is bit-identical for every split (and to one thread).

/** One thread's share of C: rows [start, end) when byRows, else columns [start, end). */
export interface GemmPart {
  start: number;
  end: number;
}

/** A split of C[m×n] into at most `threads` contiguous parts along one dimension. */
export interface GemmPartition {
  byRows: boolean;
  parts: GemmPart[];
}

// Below this many flops per thread, waking a thread costs more than it saves (measured on the
// reference MLP's shapes: 64×64·64×10 stays on one thread, 64×784·784×64 splits).
export const MIN_FLOPS_PER_THREAD = 400_000;
// The kernel's register tile is 4 rows × 8 columns: parts on tile boundaries add no edge tiles.
const ROW_ALIGN = 4;
const COL_ALIGN = 8;

/**
 * Splits the larger of C's dimensions (rows when m ≥ n): each thread packs its own slice of the
 * split operand and the whole of the other, so splitting the larger dimension repeats the
 * smaller packing. The split depends only on (m, n, k, threads), never on timing.
 */
export function partitionGemm(m: number, n: number, k: number, threads: number): GemmPartition {
  const byRows = m >= n;
  const length = byRows ? m : n;
  const align = byRows ? ROW_ALIGN : COL_ALIGN;
  const byWork = Math.floor((2 * m * n * Math.max(k, 1)) / MIN_FLOPS_PER_THREAD);
  const count = Math.max(1, Math.min(threads, byWork, Math.ceil(length / align)));
  const step = Math.ceil(length / count / align) * align;
  const parts: GemmPart[] = [];
  for (let start = 0; start < length; start += step) parts.push({ start, end: Math.min(length, start + step) });
  return { byRows, parts };
}

/**
 * The wasm export's arguments for one part, given the whole call's (scratch left 0: each thread
 * fills in its own). A row part offsets op(A)'s rows (a column offset in stored A when transA),
 * a column part op(B)'s columns and the bias.
 */
export function gemmPartArgs(args: readonly number[], byRows: boolean, { start, end }: GemmPart): number[] {
  const [transA, transB, m, n, k, a, lda, b, ldb, c, ldc, acc, , bias, activation] = args;
  const aPart = byRows ? a + 4 * start * (transA ? 1 : lda) : a;
  const bPart = byRows ? b : b + 4 * start * (transB ? ldb : 1);
  const cPart = c + 4 * (byRows ? start * ldc : start);
  const biasPart = bias && !byRows ? bias + 4 * start : bias;
  return [transA, transB, byRows ? end - start : m, byRows ? n : end - start, k, aPart, lda, bPart, ldb, cPart, ldc, acc, 0, biasPart, activation];
}
