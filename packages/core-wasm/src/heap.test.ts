import { describe, expect, it } from 'vitest';
import { Heap } from './heap.js';
import { coreFor, FLAVORS } from './test_support.js';

const PAGE = 65536;

describe('Heap', () => {
  it('returns 16-byte aligned, non-overlapping blocks above the base, never 0', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new Heap(memory, 1000);
    const blocks: [number, number][] = [];
    for (const size of [1, 3, 16, 17, 100, 0, 4096]) {
      const ptr = heap.malloc(size);
      expect(ptr % 16).toBe(0);
      expect(ptr).toBeGreaterThanOrEqual(1000);
      for (const [p, s] of blocks) expect(ptr >= p + s || ptr + Math.max(size, 1) <= p).toBe(true);
      blocks.push([ptr, Math.max(size, 1)]);
    }
    expect(new Heap(memory, 0).malloc(4)).toBeGreaterThan(0);
  });

  it('reuses freed space first-fit and coalesces neighbours back into one block', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 64);
    const a = heap.malloc(100), b = heap.malloc(200), c = heap.malloc(300);
    heap.free(b);
    expect(heap.malloc(150)).toBe(b); // first fit: the hole b left
    heap.free(b);
    heap.free(a);
    heap.free(c);
    expect(heap.freeBlockCount).toBe(1);
    expect(heap.allocatedBytes).toBe(0);
    expect(heap.malloc(600)).toBe(a); // the merged block starts where a did
  });

  it('grows the memory when nothing fits, merging with free space at the end', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new Heap(memory, 16);
    const small = heap.malloc(1000);
    const big = heap.malloc(3 * PAGE);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 3 * PAGE);
    expect(big).toBe(small + 1008);
  });

  it('throws clear errors on double free, unknown pointers and bad sizes', () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 16);
    const a = heap.malloc(64);
    heap.malloc(64);
    heap.free(a);
    expect(() => heap.free(a)).toThrow(/double free/);
    expect(() => heap.free(a + 4 + 64)).toThrow(/not returned by malloc/);
    expect(() => heap.malloc(-1)).toThrow(/non-negative integer/);
  });
});

describe.each(FLAVORS)('Core memory views (%s)', (flavor) => {
  it('re-creates views after growth and keeps old data', async () => {
    const core = await coreFor(flavor);
    const before = core.byteLength();
    const p = core.malloc(4 * 5);
    core.f32().set([1, 2, 3, 4, 5], p / 4);
    const q = core.malloc(4);
    core.i32()[q / 4] = -7;
    const oldView = core.f32();
    const big = core.malloc(before + PAGE);
    expect(core.byteLength()).toBeGreaterThan(before);
    // memory.grow detaches views of a plain memory; views of a shared one keep their old length.
    expect(oldView.length).toBe(core.memory.buffer instanceof SharedArrayBuffer ? before / 4 : 0);
    expect(Array.from(core.f32().slice(p / 4, p / 4 + 5))).toEqual([1, 2, 3, 4, 5]);
    expect(core.i32()[q / 4]).toBe(-7);
    expect(core.f32().length * 4).toBe(core.byteLength());
    // Kernels still work on the grown memory, including pointers above the old end.
    core.fill(big, 4, 3);
    expect(Array.from(core.f32().slice(big / 4, big / 4 + 4))).toEqual([3, 3, 3, 3]);
    core.free(p);
    core.free(q);
    core.free(big);
  });
});
