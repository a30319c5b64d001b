// km.util's random functions (valid permutations, repeatable under km.utils.setRandomSeed, drawing
// from kerasm's generator rather than Math.random), and the platform ones: now, fetch, nextFrame,
// repeatedTry, against tfjs-core 4.22 where tfjs' behaviour is deterministic.
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('km.util random functions', () => {
  it('createShuffledIndices: a permutation of 0..n-1 (n = 0, 1, odd, large), as a Uint32Array like tfjs', () => {
    for (const n of [0, 1, 2, 7, 1000, 60000]) {
      const order = km.util.createShuffledIndices(n);
      expect(order).toBeInstanceOf(Uint32Array);
      expect(order.constructor).toBe(tf.util.createShuffledIndices(n).constructor);
      expect(order.length).toBe(n);
      expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      if (n >= 1000) expect(Array.from(order.subarray(0, 20))).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    }
  });

  it('createShuffledIndices, shuffle, shuffleCombo and randUniform repeat after km.utils.setRandomSeed and do not use Math.random', () => {
    const draw = () => {
      const order = km.util.createShuffledIndices(100);
      const xs = Array.from({ length: 30 }, (_, i) => i);
      const ys = Float32Array.from(xs, (x) => x * 10);
      km.util.shuffleCombo(xs, ys);
      const zs = Uint32Array.from({ length: 40 }, (_, i) => i);
      km.util.shuffle(zs);
      return { order: Array.from(order), xs, ys: Array.from(ys), zs: Array.from(zs), u: [km.util.randUniform(-1, 1), km.util.randUniform(5, 5), km.util.randUniform(2, 3)] };
    };
    const random = vi.spyOn(Math, 'random');
    km.utils.setRandomSeed(7);
    const first = draw();
    km.utils.setRandomSeed(7);
    const second = draw();
    km.utils.setRandomSeed(8);
    const third = draw();
    expect(random).not.toHaveBeenCalled();
    expect(second).toEqual(first);
    expect(third.order).not.toEqual(first.order);
    first.xs.forEach((x, i) => expect(first.ys[i]).toBe(x * 10));
    expect(first.u[0]).toBeGreaterThanOrEqual(-1);
    expect(first.u[0]).toBeLessThan(1);
    expect(first.u[1]).toBe(5);
    expect(first.u[2]).toBeGreaterThanOrEqual(2);
    expect(first.u[2]).toBeLessThan(3);
  });

  it('randUniform spreads over [a, b) evenly', () => {
    km.utils.setRandomSeed(3);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 20000; i++) {
      const u = km.util.randUniform(10, 20);
      expect(u >= 10 && u < 20).toBe(true);
      counts[Math.floor(u - 10)]++;
    }
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });

  it('every permutation of 3 elements is about equally likely', () => {
    km.utils.setRandomSeed(11);
    const seen = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = Array.from(km.util.createShuffledIndices(3)).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const c of seen.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('refuses a count that is not a non-negative integer, with the received value', () => {
    expect(() => tf.util.createShuffledIndices(-1)).toThrow();
    expect(() => km.util.createShuffledIndices(-1)).toThrow('km.util.createShuffledIndices() takes the number of indices, a non-negative integer. Received: n=-1.');
    expect(() => km.util.createShuffledIndices(2.5)).toThrow('Received: n=2.5.');
    expect(() => km.util.shuffleCombo([1, 2], [1])).toThrow('must have the same length. Received lengths 2 and 1');
  });
});

describe('km.util.now, km.util.fetch, km.nextFrame, km.util.repeatedTry', () => {
  it('now is a millisecond clock that advances, as tfjs', async () => {
    const a = km.util.now();
    const t = tf.util.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const da = km.util.now() - a;
    const dt = tf.util.now() - t;
    expect(da).toBeGreaterThanOrEqual(15);
    expect(Math.abs(da - dt)).toBeLessThan(50);
  });

  it('fetch calls the platform fetch, and says what to do when there is none', async () => {
    const response = new Response('ok');
    const platformFetch = vi.fn(async () => response);
    vi.stubGlobal('fetch', platformFetch);
    await expect(km.util.fetch('model.json', { method: 'GET' })).resolves.toBe(response);
    expect(platformFetch).toHaveBeenCalledWith('model.json', { method: 'GET' });
    vi.stubGlobal('fetch', undefined);
    expect(() => km.util.fetch('model.json')).toThrow('km.util.fetch(): this platform has no global fetch (Node before 18?)');
  });

  it('nextFrame resolves after the I/O queued before it in Node (setImmediate), as tfjs', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('immediate queued first'));
    await km.nextFrame();
    order.push('km frame');
    setImmediate(() => order.push('immediate queued second'));
    await tf.nextFrame();
    order.push('tf frame');
    expect(order).toEqual(['immediate queued first', 'km frame', 'immediate queued second', 'tf frame']);
  });

  it('nextFrame waits for requestAnimationFrame in a browser, and falls back to setTimeout without either', async () => {
    const frames: (() => void)[] = [];
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
    let resolved = false;
    const frame = km.nextFrame().then(() => (resolved = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(resolved).toBe(false);
    expect(frames).toHaveLength(1);
    frames[0]();
    await frame;
    expect(resolved).toBe(true);
    vi.stubGlobal('requestAnimationFrame', undefined);
    vi.stubGlobal('setImmediate', undefined);
    const timeout = vi.spyOn(globalThis, 'setTimeout');
    await km.nextFrame();
    expect(timeout).toHaveBeenCalledWith(expect.any(Function), 0);
  });

  it('repeatedTry resolves when the check passes, with the delays and scheduler given, as tfjs', async () => {
    for (const impl of [km.util.repeatedTry, tf.util.repeatedTry]) {
      let calls = 0;
      const delays: number[] = [];
      await impl(() => ++calls === 4, (tries) => 3 * tries, 10, (fn, delay) => {
        delays.push(delay);
        setTimeout(fn, 0);
      });
      expect(calls).toBe(4);
      expect(delays).toEqual([3, 6, 9]);
    }
    let n = 0;
    await km.util.repeatedTry(() => ++n > 2);
    expect(n).toBe(3);
  });

  it('repeatedTry rejects after maxCounter tries, with an Error where tfjs gives no reason', async () => {
    let calls = 0;
    await expect(tf.util.repeatedTry(() => (calls++, false), () => 0, 3)).rejects.toBeUndefined();
    expect(calls).toBe(3);
    calls = 0;
    await expect(km.util.repeatedTry(() => (calls++, false), () => 0, 3)).rejects.toThrow('km.util.repeatedTry(): checkFn still returned false after 3 tries (maxCounter=3).');
    expect(calls).toBe(3);
    await expect(km.util.repeatedTry(undefined as never)).rejects.toThrow('takes the check to repeat, a function returning true when done. Received: checkFn=undefined.');
  });
});
