// How a kernel call that is not gemm is split between threads: contiguous ranges of one
// dimension (images of a batch, columns, elements), each computed by exactly one thread with
// the arithmetic of a one-thread call, so the result is bit-identical for every split.
import type { GemmPart } from './gemm_partition.js';

/**
 * Below `minWorkPerPart` work per part (in floats read or written), waking a thread costs more
 * than it saves: measured with bench/parallel_threshold.mjs, see BENCHMARKS.md.
 * @internal Mutable only so that the benchmark can force splits below it.
 */
export const rangeSplit = { minWorkPerPart: 32_768 };

/**
 * Splits [0, length) into at most `threads` contiguous parts of whole `align` units (the last
 * takes the rest), none but the last with less than rangeSplit.minWorkPerPart of work at `unitWork` per index.
 * Depends only on its arguments, never on timing.
 */
export function partitionRange(length: number, threads: number, unitWork: number, align = 1): GemmPart[] {
  const byWork = Math.floor((length * unitWork) / rangeSplit.minWorkPerPart);
  const count = Math.max(1, Math.min(threads, byWork, Math.ceil(length / align)));
  const step = Math.ceil(length / count / align) * align;
  const parts: GemmPart[] = [];
  for (let start = 0; start < length; start += step) parts.push({ start, end: Math.min(length, start + step) });
  // An empty call is still one call (the kernel may write a zero-length output or fill a bias).
  if (parts.length === 0) parts.push({ start: 0, end: length });
  return parts;
}
