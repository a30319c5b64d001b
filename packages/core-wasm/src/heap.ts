// A first-fit allocator over the wasm linear memory, run from JS so that the kernels stay
// free of any runtime. Blocks are 16-byte aligned so v128 loads of buffer starts are aligned.

const ALIGN = 16;
const PAGE = 65536;

const alignUp = (x: number): number => Math.ceil(x / ALIGN) * ALIGN;

interface FreeBlock {
  start: number;
  size: number;
}

/**
 * Hands out byte ranges of `memory` at or above `base`. Free blocks are kept sorted by
 * address and merged with their neighbours on free; memory grows when nothing fits.
 */
export class Heap {
  private readonly free_: FreeBlock[] = [];
  private readonly used = new Map<number, number>();
  private end: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    // Offset 0 is reserved as "no buffer", so the heap never starts there.
    const start = alignUp(Math.max(base, ALIGN));
    this.end = start;
    const limit = memory.buffer.byteLength;
    if (limit > start) {
      this.free_.push({ start, size: limit - start });
      this.end = limit;
    }
  }

  /** Allocates `bytes` (at least 1) and returns a 16-byte aligned byte offset. */
  malloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) {
      throw new RangeError(`malloc: expected a non-negative integer byte count, received ${bytes}.`);
    }
    const size = alignUp(Math.max(bytes, 1));
    let index = this.free_.findIndex((b) => b.size >= size);
    if (index < 0) index = this.grow(size);
    const block = this.free_[index];
    const ptr = block.start;
    if (block.size === size) this.free_.splice(index, 1);
    else {
      block.start += size;
      block.size -= size;
    }
    this.used.set(ptr, size);
    return ptr;
  }

  /** Returns a block obtained from malloc. Throws on double free or an unknown pointer. */
  free(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) {
      const inFree = this.free_.some((b) => ptr >= b.start && ptr < b.start + b.size);
      throw new Error(
        inFree
          ? `free: pointer ${ptr} is already free (double free).`
          : `free: pointer ${ptr} was not returned by malloc (or was freed already); pass the exact pointer malloc returned.`,
      );
    }
    this.used.delete(ptr);
    this.insertFree(ptr, size);
  }

  /** Bytes currently handed out (allocation sizes rounded up to 16). */
  get allocatedBytes(): number {
    let total = 0;
    for (const size of this.used.values()) total += size;
    return total;
  }

  /** Number of separate free blocks; 1 after everything is freed (useful to check coalescing). */
  get freeBlockCount(): number {
    return this.free_.length;
  }

  private insertFree(start: number, size: number): void {
    const blocks = this.free_;
    // Binary search for the first block after `start`.
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    const prev = lo > 0 ? blocks[lo - 1] : undefined;
    const next = lo < blocks.length ? blocks[lo] : undefined;
    if (prev && prev.start + prev.size === start) {
      prev.size += size;
      if (next && prev.start + prev.size === next.start) {
        prev.size += next.size;
        blocks.splice(lo, 1);
      }
    } else if (next && start + size === next.start) {
      next.start = start;
      next.size += size;
    } else {
      blocks.splice(lo, 0, { start, size });
    }
  }

  /** Grows memory so that a block of `size` fits at the end; returns its free-list index. */
  private grow(size: number): number {
    const last = this.free_[this.free_.length - 1];
    const tailFree = last && last.start + last.size === this.end ? last.size : 0;
    const needed = size - tailFree;
    const current = this.memory.buffer.byteLength;
    // Grow at least geometrically so that many small allocations do not grow page by page.
    const pages = Math.max(Math.ceil(needed / PAGE), Math.ceil(current / PAGE / 4), 1);
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new RangeError(
        `malloc: cannot grow wasm memory by ${pages} pages to fit ${size} bytes (memory is ${current} bytes).`,
        { cause },
      );
    }
    const limit = this.memory.buffer.byteLength;
    this.insertFree(this.end, limit - this.end);
    this.end = limit;
    return this.free_.length - 1;
  }
}
