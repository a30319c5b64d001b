/**
 * How often `fit` hands the event loop a turn, as TensorFlow.js' `yieldEvery` takes it: `'auto'`
 * (every 125 ms, the default), `'batch'`, `'epoch'`, `'never'`, or a number of milliseconds.
 */
export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** TensorFlow.js' interval for `'auto'`: short enough for a page to stay responsive while it trains. */
export const AUTO_YIELD_MS = 125;

const MODES = ['auto', 'batch', 'epoch', 'never'] as const;

/** Decides, batch by batch, when a training loop gives the event loop a turn. */
export class Yielder {
  readonly #everyMs: number | null;
  readonly #perEpoch: boolean;
  #last = performance.now();

  constructor(yieldEvery: YieldEvery = 'auto') {
    const valid = typeof yieldEvery === 'number' ? Number.isFinite(yieldEvery) && yieldEvery >= 0 : (MODES as readonly unknown[]).includes(yieldEvery);
    if (!valid) {
      throw new Error(`yieldEvery must be ${MODES.map((m) => `'${m}'`).join(', ')} or a number of milliseconds >= 0. Received: yieldEvery=${JSON.stringify(yieldEvery)}.`);
    }
    this.#everyMs = yieldEvery === 'auto' ? AUTO_YIELD_MS : yieldEvery === 'batch' ? 0 : typeof yieldEvery === 'number' ? yieldEvery : null;
    this.#perEpoch = yieldEvery === 'epoch';
  }

  /** After a batch: a promise to await when it is time to yield, else undefined (no await in the hot loop). */
  afterBatch(): Promise<void> | undefined {
    if (this.#everyMs === null || performance.now() - this.#last < this.#everyMs) return undefined;
    return this.#yield();
  }

  afterEpoch(): Promise<void> | undefined {
    return this.#perEpoch ? this.#yield() : undefined;
  }

  async #yield(): Promise<void> {
    await nextTask();
    this.#last = performance.now();
  }
}

/**
 * Resolves in a later task of the event loop, so that timers, input, messages and rendering get
 * their turn. setImmediate where it exists (Node); elsewhere a MessageChannel round trip, which
 * has no 4 ms clamp like setTimeout and, unlike requestAnimationFrame, runs in background tabs.
 */
function nextTask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
