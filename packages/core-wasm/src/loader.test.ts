import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { loadCore, relaxedSimdSupported, type LoadCoreOptions } from './loader.js';
import { usableThreads } from './thread_pool.js';

const buildDir = new URL('../build/', import.meta.url);

describe('loadCore', () => {
  it('loads the flavor asked for', async () => {
    expect((await loadCore({ flavor: 'simd' })).flavor).toBe('simd');
    expect((await loadCore({ flavor: 'relaxed-simd' })).flavor).toBe('relaxed-simd');
  });

  it("'auto' picks relaxed SIMD exactly when the runtime supports it", async () => {
    // vitest runs with --experimental-wasm-relaxed-simd, so both agree on true here.
    expect(await relaxedSimdSupported()).toBe(true);
    expect((await loadCore()).flavor).toBe('relaxed-simd');
  });

  it('accepts a wasm file or a folder as wasmUrl, and a caller-owned memory', async () => {
    const memory = new WebAssembly.Memory({ initial: 40 });
    const file = await loadCore({ wasmUrl: new URL('kernels-simd.wasm', buildDir), memory });
    expect(file.flavor).toBe('simd');
    expect(file.memory).toBe(memory);
    const folder = await loadCore({ wasmUrl: buildDir, flavor: 'simd' });
    expect(folder.flavor).toBe('simd');
  });

  it('explains that SIMD is required when the module does not validate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'core-wasm-'));
    const path = join(dir, 'kernels-simd.wasm');
    await writeFile(path, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff]));
    await expect(loadCore({ wasmUrl: pathToFileURL(path), flavor: 'simd' })).rejects.toThrow(/WebAssembly SIMD is required/);
  });

  it('rejects an option it does not take, listing the ones it does', async () => {
    await expect(loadCore({ thread: 2 } as LoadCoreOptions)).rejects.toThrow("loadCore has no option 'thread'. Its options are: flavor, wasmUrl, memory, threads, maximumMemoryPages.");
  });

  it('rejects an unknown flavor with the value received', async () => {
    await expect(loadCore({ flavor: 'sse' as never })).rejects.toThrow(/received sse/);
  });
});

describe('loadCore with threads', () => {
  it('runs the shared-memory build with threads − 1 workers', async () => {
    const core = await loadCore({ flavor: 'simd', threads: 3 });
    expect(core.threads).toBe(3);
    expect(core.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    core.dispose();
    expect(core.threads).toBe(1);
    expect((await loadCore({ flavor: 'simd', threads: 1 })).memory.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('runs on one thread where memory cannot be shared (a page that is not cross-origin isolated)', async () => {
    expect(usableThreads(4)).toBe(4);
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      expect(usableThreads(4)).toBe(1);
      const core = await loadCore({ flavor: 'simd', threads: 4 });
      expect(core.threads).toBe(1);
      core.dispose();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('keeps working after the shared memory grows', async () => {
    const core = await loadCore({ flavor: 'simd', threads: 2 });
    const before = core.byteLength();
    const [m, n, k] = [256, 64, 300];
    const a = core.malloc(4 * m * k), b = core.malloc(4 * k * n);
    core.malloc(64 * 1024 * 1024);
    const c = core.malloc(4 * m * n);
    expect(core.byteLength()).toBeGreaterThan(before);
    core.f32().fill(1, a / 4, a / 4 + m * k);
    core.f32().fill(0.5, b / 4, b / 4 + k * n);
    core.gemm(false, false, m, n, k, a, k, b, n, c, n, false);
    expect(new Set(core.f32().slice(c / 4, c / 4 + m * n))).toEqual(new Set([k * 0.5]));
    core.dispose();
  });

  it('rejects a bad thread count, a non-shared memory and a bad maximum, saying what to pass', async () => {
    await expect(loadCore({ threads: 0 })).rejects.toThrow(/threads must be an integer ≥ 1; received 0/);
    await expect(loadCore({ threads: 1.5 })).rejects.toThrow(/received 1.5/);
    await expect(loadCore({ threads: 2, memory: new WebAssembly.Memory({ initial: 32 }) })).rejects.toThrow(/needs a shared memory; received a non-shared/);
    await expect(loadCore({ threads: 2, maximumMemoryPages: 70000 })).rejects.toThrow(/maximumMemoryPages .* received 70000/);
  });

  it('explains a build that does not match the memory', async () => {
    await expect(loadCore({ threads: 2, wasmUrl: new URL('kernels-simd.wasm', buildDir) })).rejects.toThrow(/must name a kernels-\*-threads.wasm build/);
  });
});
