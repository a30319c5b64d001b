// The control block shared by the main thread and one kernel worker: a slot of Int32 words in
// the shared wasm memory. The main thread writes the arguments, bumps SEQ and notifies; the
// worker runs the call, writes SEQ's value into DONE and notifies back.

export const SLOT_WORDS = 32;
export const SEQ = 0;
export const DONE = 1;
export const OP = 2;
/** Who runs the posted part: OPEN until the worker or the caller takes it with compareExchange. */
export const CLAIM = 3;
/** The call: its kernel id, then the wasm export's arguments (parallel_kernels.ts writeCall). */
export const ARGS = 4;

/** Values of CLAIM. */
export const OPEN = 0;
export const BY_WORKER = 1;
export const BY_CALLER = 2;

/** Values of OP: what the worker runs next (STOP ends its loop), or FAILED when the call threw. */
export const OP_STOP = 0;
export const OP_RUN = 1;
export const OP_FAILED = -1;
/** @internal For tests: posted already claimed for the worker, which blocks, as a thread stuck mid-part would. */
export const OP_HANG = 2;

// How many times a waiting side polls before it sleeps in Atomics.wait. Kernel calls in a
// training step are tens to hundreds of microseconds apart; polling that long avoids a futex
// wake-up per call, sleeping after it leaves the core to others.
export const SPIN_LIMIT = 20_000;

// Between reads of the clock while polling without sleep: a clock read costs far more than a load.
const POLLS_PER_CLOCK_READ = 4096;

/**
 * Polls, then sleeps (when `canSleep`) until ctl[index] ≠ value or `performance.now()` passes
 * `deadline` (ms; Infinity waits for ever). Returns the new value, or `value` itself when the
 * deadline passed first.
 */
export function waitWhileEqual(ctl: Int32Array, index: number, value: number, canSleep: boolean, deadline: number): number {
  for (let i = 0; i < SPIN_LIMIT; i++) {
    const now = Atomics.load(ctl, index);
    if (now !== value) return now;
  }
  for (let i = 1; ; i++) {
    if (canSleep) Atomics.wait(ctl, index, value, deadline - performance.now());
    const now = Atomics.load(ctl, index);
    if (now !== value) return now;
    if ((canSleep || i % POLLS_PER_CLOCK_READ === 0) && performance.now() >= deadline) return value;
  }
}
