import type { Logs } from './callbacks.js';

type Write = (text: string) => void;

interface Stream {
  write: Write;
  isTTY: boolean;
}

function defaultStream(): Stream {
  const stdout = (globalThis as { process?: { stdout?: { write: Write; isTTY?: boolean } } }).process?.stdout;
  if (stdout) return { write: (t) => stdout.write(t), isTTY: stdout.isTTY === true };
  // Browsers: no carriage returns, one console line per finished epoch.
  return { write: (t) => console.log(t.replace(/^\r|\n$/g, '')), isTTY: false };
}

function formatDuration(seconds: number): string {
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(4) : v.toFixed(4)}`)
    .join('');
}

/**
 * Keras' `verbose=1` progress bar: `Epoch 1/5`, then
 * `938/938 [==============================] - 1s 1ms/step - loss: 0.2950 - accuracy: 0.9165`,
 * redrawn in place on a terminal (at most ten times a second) and printed once per epoch elsewhere.
 * With `lineOnly` (Keras' `verbose=2`) there is no bar: one line per epoch,
 * `938/938 - 1s - 1ms/step - loss: 0.2950 - accuracy: 0.9165`.
 */
export class ProgressBar {
  readonly #stream: Stream;
  readonly #lineOnly: boolean;
  readonly #width = 30;
  #steps = 0;
  #start = 0;
  #lastDraw = 0;
  #seen = 0;

  constructor(stream: Stream = defaultStream(), lineOnly = false) {
    this.#stream = stream;
    this.#lineOnly = lineOnly;
  }

  epochBegin(epoch: number, epochs: number, steps: number): void {
    this.#steps = steps;
    this.#start = performance.now();
    this.#lastDraw = 0;
    this.#seen = 0;
    this.#stream.write(`Epoch ${epoch + 1}/${epochs}\n`);
  }

  batchEnd(step: number, logs: Logs): void {
    this.#seen = step;
    if (!this.#stream.isTTY || this.#lineOnly) return;
    const now = performance.now();
    if (now - this.#lastDraw < 100 && step < this.#steps) return;
    this.#lastDraw = now;
    const elapsed = (now - this.#start) / 1000;
    const eta = this.#steps === 0 ? '' : ` - ETA: ${formatDuration((elapsed / step) * (this.#steps - step))}`;
    this.#stream.write(`\r${this.#bar(step)}${eta}${formatLogs(logs)}\x1b[K`);
  }

  epochEnd(logs: Logs): void {
    const elapsed = (performance.now() - this.#start) / 1000;
    const perStep = (elapsed * 1000) / Math.max(1, this.#steps || this.#seen);
    const stepTime = perStep >= 1 ? `${Math.round(perStep)}ms/step` : `${Math.round(perStep * 1000)}us/step`;
    if (this.#lineOnly) {
      const steps = this.#steps || this.#seen;
      this.#stream.write(`${steps}/${steps} - ${formatDuration(elapsed)} - ${stepTime}${formatLogs(logs)}\n`);
      return;
    }
    const clear = this.#stream.isTTY ? '\r' : '';
    this.#stream.write(`${clear}${this.#bar(this.#steps || this.#seen)} - ${formatDuration(elapsed)} ${stepTime}${formatLogs(logs)}${this.#stream.isTTY ? '\x1b[K' : ''}\n`);
  }

  #bar(step: number): string {
    // Datasets without batchesPerEpoch: Keras shows the count so far until the first epoch has counted the steps.
    if (this.#steps === 0) return `${step}/Unknown`;
    const digits = String(this.#steps).length;
    const done = Math.floor((this.#width * step) / this.#steps);
    const arrow = step < this.#steps ? '>' : '=';
    const fill = done > 0 ? '='.repeat(done - 1) + arrow : '';
    return `${String(step).padStart(digits)}/${this.#steps} [${fill.padEnd(this.#width, '.')}]`;
  }
}
