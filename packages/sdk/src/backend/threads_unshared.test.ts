// km.setThreads where worker threads cannot share memory (a web page that is not cross-origin
// isolated), simulated in Node by hiding SharedArrayBuffer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { backend } from './registry.js';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('km.setThreads without SharedArrayBuffer', () => {
  it('warns once, naming the COOP/COEP headers, and keeps the loaded one-thread core', async () => {
    await km.setThreads(1);
    await km.ready();
    const loaded = backend();
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await km.setThreads(4);
    await km.setThreads(4);
    await km.setThreads(2);
    expect(km.getBackendInfo().threads).toBe(1);
    expect(backend()).toBe(loaded);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/km\.setThreads\(4\) runs the WASM backend on 1 thread here: there is no SharedArrayBuffer.*'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp'/);
  });
});
