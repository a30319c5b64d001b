import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCore, relaxedSimdSupported } from './loader.js';

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

  it('rejects an unknown flavor with the value received', async () => {
    await expect(loadCore({ flavor: 'sse' as never })).rejects.toThrow(/received sse/);
  });
});
