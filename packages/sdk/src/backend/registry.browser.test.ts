// The backend registry in a page served as a bundled app is: no package can be imported by name
// at run time, and the page (vitest's) is not cross-origin isolated.
import { describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';

const byName = (list: km.BackendAvailability[]) => Object.fromEntries(list.map((b) => [b.name, b]));

describe('in a browser page', () => {
  it("km.backends({ tf }) reports the tfjs backends the page imports; without it they are 'not installed'", async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-webgl');
    expect(byName(await km.backends())['tfjs-webgl']).toMatchObject({ available: false, reason: expect.stringMatching(/not installed here.*km\.setBackend\('tfjs-webgl', \{ tf \}\)/) });
    const given = byName(await km.backends({ tf }));
    expect(given.wasm.available).toBe(true);
    expect(given['tfjs-webgl'].available).toBe(true);
  });

  it.skipIf(globalThis.crossOriginIsolated)('km.setThreads(4) without cross-origin isolation warns once with the headers, and keeps its core', async () => {
    await km.setBackend('wasm');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await km.setThreads(4);
      const info = km.getBackendInfo();
      await km.setThreads(4);
      expect(km.getBackendInfo()).toEqual(info);
      expect(info.threads).toBe(1);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp'/);
    } finally {
      warn.mockRestore();
    }
  });
});
