// Entry of one kernel worker thread (a Node worker_threads Worker or a browser Web Worker).
// It instantiates the threaded build over the shared memory and then serves kernel calls that
// the main thread posts through its control slot (thread_control.ts) until told to stop;
// each post is a part that this thread or the caller claims, whichever gets there first.
import { runWrittenCall } from './parallel_kernels.js';
import { ARGS, BY_WORKER, CLAIM, DONE, OP, OP_FAILED, OP_HANG, OP_RUN, OPEN, SEQ, SLOT_WORDS, waitWhileEqual } from './thread_control.js';
import type { KernelExports } from './wasm_exports.js';

/** The one message a worker receives. */
export interface ThreadInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of this worker's control slot. */
  control: number;
  /** Byte offset of this worker's packing scratch (gemm's). */
  scratch: number;
}

interface Port {
  post(message: unknown): void;
  onMessage(listener: (message: ThreadInit) => void): void;
}

async function parentPort(): Promise<Port> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const { parentPort: port } = await import(/* @vite-ignore */ /* webpackIgnore: true */ 'node:worker_threads');
    return { post: (m) => port!.postMessage(m), onMessage: (l) => port!.once('message', l) };
  }
  const scope = globalThis as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null };
  return { post: (m) => scope.postMessage(m), onMessage: (l) => { scope.onmessage = (e) => l(e.data as ThreadInit); } };
}

/** Answers 'ready' once it watches its slot (so no call can be missed), then serves until STOP. */
function serve(init: ThreadInit, ready: () => void): void {
  const kernels = new WebAssembly.Instance(init.module, {
    env: { memory: init.memory, abort: () => { throw new Error('core-wasm abort in a worker thread'); } },
  }).exports as unknown as KernelExports;
  // The slot sits below any later growth, so this view stays valid for the thread's life.
  const ctl = new Int32Array(init.memory.buffer, init.control, SLOT_WORDS);
  const ctlFloats = new Float32Array(init.memory.buffer, init.control, SLOT_WORDS);
  let seq = Atomics.load(ctl, SEQ);
  ready();
  for (;;) {
    seq = waitWhileEqual(ctl, SEQ, seq, true, Infinity);
    const op = ctl[OP];
    if (op !== OP_RUN && op !== OP_HANG) return;
    if (op === OP_HANG) {
      Atomics.wait(ctl, OP, OP_HANG);
      continue;
    }
    // The caller takes the part itself when it gets there first (this thread woke late).
    if (Atomics.compareExchange(ctl, CLAIM, OPEN, BY_WORKER) === OPEN) {
      try {
        runWrittenCall(kernels, ctl, ctlFloats, ARGS, init.scratch);
      } catch {
        ctl[OP] = OP_FAILED;
      }
    }
    Atomics.store(ctl, DONE, seq);
    Atomics.notify(ctl, DONE);
  }
}

// A promise chain, not a top-level await: bundlers emit workers as classic scripts (Vite's
// default worker format is IIFE), which cannot hold one. A message sent before the listener is
// set waits in the port's queue in Node and in browsers alike.
void parentPort().then((port) => port.onMessage((init) => serve(init, () => port.post('ready'))));
