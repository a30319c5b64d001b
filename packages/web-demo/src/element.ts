// <kerasm-mnist-demo>: the UI thread side. It only renders and forwards; the worker trains.
import type * as km from '@kerasm/sdk';
import { showBackendSupport } from './backend_picker.js';
import { LossAccuracyChart } from './charts.js';
import { DEFAULTS, readTrainConfig } from './config.js';
import { DrawPad } from './draw_pad.js';
import { predictPixels } from './predict_input.js';
import { ProbabilityBars } from './probability_bars.js';
import type { FromWorker, HistoryData, Logs, TestReport, ToWorker } from './protocol.js';
import { template } from './template.js';
import { renderTestGrid } from './test_grid.js';

// Read through a variable so bundlers leave it alone: the data folder sits beside the built module.
const moduleUrl = import.meta.url;

type Pending = { resolve: (value: unknown) => void; reject: (e: Error) => void };

/** Where the Save and Load buttons keep the model. */
export const BROWSER_STORE = 'indexeddb://kerasm-mnist-demo';
const DOWNLOAD_NAME = 'downloads://kerasm-mnist-demo';

/**
 * Trains a model on MNIST in a Web Worker, charts it live, and predicts digits drawn on a pad.
 *
 * Attributes: `model` (`"mlp"` or `"cnn"`), `backend` (`"wasm"`, `"tfjs-webgl"`, `"tfjs-webgpu"`),
 * `epochs` (1), `batch-size` (32), `train-samples` (10000), `seed` (a whole number that makes a run
 * repeat exactly; none by default), `data-url` (folder of the gzip'd MNIST IDX files; default
 * `mnist/` beside this module).
 * Events, dispatched on the element (they do not bubble): `batchend` and `epochend` (detail: the
 * logs, with `epoch`), `trainend` (detail: `{ history, testLoss, testAccuracy }`), `error` (detail:
 * `{ message, name }`, `name` as on the rejected call's error, e.g. `'AbortError'`).
 * Its worker lives while the element is in the document. `train()`, `predict()`, `save()` and
 * `load()` on an element outside it reject with an `InvalidStateError` (append it first). Removing
 * it ends the worker and the model: a run in progress stops, and pending calls reject with an
 * `AbortError` reported by one `error` event too. Moving it (`append` elsewhere, `moveBefore`)
 * keeps the worker and any run.
 *
 * @example
 * ```html
 * <script type="module">import '@kerasm/web-demo';</script>
 * <kerasm-mnist-demo epochs="2" train-samples="20000"></kerasm-mnist-demo>
 * <script type="module">
 *   const demo = document.querySelector('kerasm-mnist-demo');
 *   const history = await demo.train();
 *   const probabilities = await demo.predict(new Float32Array(784));
 *   await demo.save('indexeddb://my-mnist');   // later: await demo.load('indexeddb://my-mnist')
 * </script>
 * ```
 */
export class KerasmMnistDemo extends HTMLElement {
  static readonly observedAttributes = Object.keys(DEFAULTS);

  readonly #root: ShadowRoot;
  #worker: Worker | null = null;
  #run: { resolve: (h: HistoryData) => void; reject: (e: Error) => void } | null = null;
  readonly #requests = new Map<number, Pending>();
  #nextId = 0;
  #batchChart: LossAccuracyChart | null = null;
  #epochChart: LossAccuracyChart | null = null;
  #pad: DrawPad | null = null;
  #bars: ProbabilityBars | null = null;
  #batchesSeen = 0;
  #trained = false;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.innerHTML = template;
  }

  connectedCallback(): void {
    if (!this.#pad) this.#setUp();
    // A fresh worker after a removal (the old one was terminated). A move keeps its worker, which
    // already probed: probing again would open a WebGL context in the worker on every move.
    if (!this.#worker) this.#post({ type: 'probe' });
  }

  disconnectedCallback(): void {
    // A move (remove, then insert before this microtask) keeps the worker and any run going.
    queueMicrotask(() => {
      if (!this.isConnected) this.#endWorker();
    });
  }

  /**
   * Called instead of `disconnectedCallback` and `connectedCallback` when the page moves the element
   * with `parent.moveBefore(demo, ref)`: the worker, the model and any run stay as they are.
   */
  connectedMoveCallback(): void {}

  #setUp(): void {
    const $ = <T extends Element>(selector: string) => this.#root.querySelector<T>(selector)!;
    for (const name of KerasmMnistDemo.observedAttributes) this.#syncField(name);
    const width = Math.max(260, $('.charts').clientWidth || 320);
    this.#batchChart = new LossAccuracyChart($('.chart-batch'), 'Per batch', 'batch', width);
    this.#epochChart = new LossAccuracyChart($('.chart-epoch'), 'Per epoch', 'epoch', width);
    new ResizeObserver(([entry]) => {
      const w = Math.max(260, Math.floor(entry.contentRect.width));
      this.#batchChart?.resize(w);
      this.#epochChart?.resize(w);
    }).observe($('.charts'));
    this.#bars = new ProbabilityBars($('.probabilities'));
    this.#pad = new DrawPad($('canvas.pad'), (pixels) => this.#predictInto(pixels));
    $('.clear-button').addEventListener('click', () => {
      this.#pad!.clear();
      this.#bars!.clear();
      $('.prediction').textContent = 'Prediction: –';
    });
    const form = $<HTMLFormElement>('form');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.train().catch(() => {}); // reported through the status line and the error event
    });
    form.addEventListener('change', (e) => {
      const field = e.target as HTMLInputElement | HTMLSelectElement;
      if (field.name) this.setAttribute(field.name, field.value);
    });
    $('.stop-button').addEventListener('click', () => this.stop());
    // Failures reach the page through the status line and the error event.
    $('.save-button').addEventListener('click', () => this.save().catch(() => {}));
    $('.download-button').addEventListener('click', () => this.save(DOWNLOAD_NAME).catch(() => {}));
    $('.load-button').addEventListener('click', () => this.load().catch(() => {}));
    const upload = $<HTMLInputElement>('.upload-input');
    upload.addEventListener('change', () => {
      if (upload.files?.length) this.load(upload.files).catch(() => {}).finally(() => (upload.value = ''));
    });
    $('.isolation').textContent = globalThis.crossOriginIsolated
      ? 'cross-origin isolated: the threaded core can run here'
      : 'not cross-origin isolated: one thread (serve with COOP/COEP headers for threads)';
  }

  attributeChangedCallback(name: string): void {
    this.#syncField(name);
  }

  /** True while a training run is in progress. */
  get training(): boolean {
    return this.#run !== null;
  }

  /**
   * Trains a fresh model with the current attributes, then evaluates it on the 10,000 test images.
   * Rejects with an `InvalidStateError` when the element is not in the document, and with an
   * `AbortError` when it is removed during the run.
   * @returns The run's History (`epoch`, and `history` with per-epoch `loss` and `accuracy`).
   */
  train(): Promise<HistoryData> {
    if (!this.isConnected) return Promise.reject(this.#notConnected('train()'));
    if (this.#run) return Promise.reject(this.#fail(new Error('kerasm-mnist-demo: a training run is already in progress; call stop() and wait for it to end first.')));
    let config;
    try {
      config = readTrainConfig((name) => this.getAttribute(name) ?? DEFAULTS[name], this.#dataUrl());
    } catch (err) {
      return Promise.reject(this.#fail(err as Error));
    }
    this.#batchChart?.reset();
    this.#epochChart?.reset();
    this.#batchesSeen = 0;
    this.#setBusy(true);
    this.#status('Starting…');
    const done = new Promise<HistoryData>((resolve, reject) => (this.#run = { resolve, reject }));
    this.#post({ type: 'train', config });
    return done;
  }

  /**
   * Ends the current run: at the end of the batch in progress when the worker next reads its
   * messages (every ~20 ms of training); `train()` then resolves with the epochs that ran. Called
   * before the first batch (while MNIST loads), nothing trains and `train()` resolves with an empty
   * History.
   */
  stop(): void {
    if (this.#run) this.#post({ type: 'stop' });
  }

  /**
   * Probabilities of the 10 digits for one image: an `ImageData` of any size (preprocessed like
   * MNIST: cropped, scaled to 20×20, centred by mass) or 784 values in [0, 1], ink bright.
   * Rejects before the first training run, and like `train()` when the element is not in the
   * document or is removed before the answer comes.
   */
  predict(input: ImageData | Float32Array): Promise<Float32Array> {
    if (!this.isConnected) return Promise.reject(this.#notConnected('predict()'));
    let pixels: Float32Array;
    try {
      pixels = predictPixels(input);
    } catch (err) {
      return Promise.reject(this.#fail(err as Error));
    }
    return this.#request<Float32Array>((id) => ({ type: 'predict', id, pixels }), [pixels.buffer]);
  }

  /**
   * Saves the trained (or loaded) model: `'indexeddb://name'` keeps it in this browser,
   * `'downloads://name'` downloads `name.json` and `name.weights.bin` (TensorFlow.js' LayersModel
   * format). Rejects before the first training run, and like `train()` when the element is not in
   * the document or is removed before the model is saved.
   */
  async save(destination: string = BROWSER_STORE): Promise<void> {
    if (!this.isConnected) throw this.#notConnected('save()');
    const match = /^(indexeddb|downloads):\/\/(.+)$/.exec(destination);
    if (!match) {
      throw this.#fail(new Error(`kerasm-mnist-demo: save() takes 'indexeddb://name' or 'downloads://name'. Received: ${JSON.stringify(destination)}.`));
    }
    if (match[1] === 'indexeddb') {
      await this.#request((id) => ({ type: 'save', id, url: destination }));
    } else {
      const artifacts = await this.#request<km.io.ModelArtifacts>((id) => ({ type: 'export', id }));
      try {
        // The SDK's downloads:// handler needs a document, so it runs here, loaded only when used.
        const { io } = await import('@kerasm/sdk');
        await io.browserDownloads(match[2]).save!(artifacts);
      } catch (err) {
        throw this.#fail(err as Error);
      }
    }
    this.#status(`Saved the model to ${destination}.`);
  }

  /**
   * Loads a saved model in place of the trained one and evaluates it on the test images: from
   * `'indexeddb://name'`, a `model.json` URL, or the `.json` and `.bin` files a user picked
   * (`input.files`). Runs on the backend the `backend` attribute names. Rejects like `train()` when
   * the element is not in the document or is removed before the model is loaded.
   * @returns The loaded model's test loss and accuracy.
   */
  async load(source: string | FileList | readonly File[] = BROWSER_STORE): Promise<{ testLoss: number; testAccuracy: number }> {
    if (!this.isConnected) throw this.#notConnected('load()');
    if (this.#run) throw this.#fail(new Error('kerasm-mnist-demo: load() cannot run while training; call stop() and wait for train() to settle first.'));
    let config;
    try {
      config = readTrainConfig((name) => this.getAttribute(name) ?? DEFAULTS[name], this.#dataUrl());
    } catch (err) {
      throw this.#fail(err as Error);
    }
    const resolved = typeof source === 'string' ? (/^indexeddb:\/\//i.test(source) ? source : new URL(source, document.baseURI).href) : Array.from(source);
    this.#status('Loading the model…');
    const report = await this.#request<TestReport>((id) => ({ type: 'load', id, source: resolved, config }));
    const where = typeof resolved === 'string' ? resolved : resolved.map((f) => f.name).join(' + ');
    this.#status(`Loaded the model from ${where}: test accuracy ${(report.testAccuracy * 100).toFixed(2)}% on 10,000 test images.`);
    return { testLoss: report.testLoss, testAccuracy: report.testAccuracy };
  }

  #request<T>(message: (id: number) => ToWorker, transfer: Transferable[] = []): Promise<T> {
    const id = this.#nextId++;
    const result = new Promise<T>((resolve, reject) => this.#requests.set(id, { resolve: resolve as (value: unknown) => void, reject }));
    this.#post(message(id), transfer);
    return result;
  }

  #settle(id: number, value: unknown): void {
    this.#requests.get(id)?.resolve(value);
    this.#requests.delete(id);
  }

  #dataUrl(): string {
    const attribute = this.getAttribute('data-url');
    return attribute ? new URL(attribute, document.baseURI).href : new URL('mnist/', moduleUrl).href;
  }

  #post(message: ToWorker, transfer: Transferable[] = []): void {
    if (!this.#worker) {
      this.#worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'kerasm-mnist-training' });
      this.#worker.onmessage = (e: MessageEvent<FromWorker>) => this.#receive(e.data);
      this.#worker.onerror = (e) => this.#receive({ type: 'error', message: `The training worker failed: ${e.message || 'it could not be loaded'}.` });
    }
    this.#worker.postMessage(message, transfer);
  }

  /**
   * The worker starts on the first message and only a removal ends it, which never comes for an
   * element that was never in the document: calls there would leak a worker, so they are refused.
   */
  #notConnected(method: string): Error {
    return this.#fail(new DOMException(`kerasm-mnist-demo: ${method} needs the element in the document, where its training worker runs (a removal ends it). Append it first, e.g. document.body.append(demo), then call ${method} again.`, 'InvalidStateError'));
  }

  /**
   * Terminates the worker (and with it the model). Pending calls reject with one AbortError, which
   * is also reported like any other failure (status line and `error` event); a removal with nothing
   * pending is no failure and fires nothing.
   */
  #endWorker(): void {
    if (!this.#worker) return;
    this.#worker.terminate();
    this.#worker = null;
    const pending = [...this.#requests.values()];
    this.#requests.clear();
    const run = this.#run;
    this.#run = null;
    this.#trained = false;
    this.#setBusy(false);
    for (const button of ['.save-button', '.download-button']) this.#root.querySelector<HTMLButtonElement>(button)!.disabled = true;
    if (!run && pending.length === 0) {
      this.#status('Removed from the page: the model is gone. Train again.');
      return;
    }
    const removed = this.#fail(new DOMException('kerasm-mnist-demo: the element was removed from the page, which ended its training worker and model. Add it back and call train() (or load()) again.', 'AbortError'));
    for (const { reject } of pending) reject(removed);
    run?.reject(removed);
  }

  #receive(message: FromWorker): void {
    const $ = (selector: string) => this.#root.querySelector(selector)!;
    switch (message.type) {
      case 'status':
        this.#status(message.text);
        break;
      case 'batchend': {
        const { logs, epoch, batch, steps } = message;
        this.#batchChart?.push(this.#batchesSeen++, logs.loss, logs.accuracy);
        $('.epoch').textContent = `${epoch + 1}, batch ${batch + 1}/${steps}`;
        $('.samples-per-second').textContent = Math.round(message.samplesPerSecond).toLocaleString('en-US');
        this.#emit('batchend', { ...logs, epoch });
        break;
      }
      case 'epochend':
        this.#epochChart?.push(message.epoch + 1, message.logs.loss, message.logs.accuracy);
        this.#emit('epochend', { ...message.logs, epoch: message.epoch });
        break;
      case 'trainend': {
        this.#showReport(message);
        this.#status(`Done: test accuracy ${(message.testAccuracy * 100).toFixed(2)}% on 10,000 test images. Draw a digit!`);
        this.#setBusy(false);
        const run = this.#run;
        this.#run = null;
        this.#emit('trainend', { history: message.history, testLoss: message.testLoss, testAccuracy: message.testAccuracy });
        run?.resolve(message.history);
        break;
      }
      case 'stopped': {
        this.#status('Stopped before the first batch: nothing was trained.');
        this.#setBusy(false);
        const run = this.#run;
        this.#run = null;
        run?.resolve({ epoch: [], history: {} });
        break;
      }
      case 'prediction':
        this.#settle(message.id, message.probabilities);
        break;
      case 'loaded':
        this.#showReport(message);
        this.#settle(message.id, message);
        break;
      case 'saved':
        this.#settle(message.id, undefined);
        break;
      case 'exported':
        this.#settle(message.id, message.artifacts);
        break;
      case 'support':
        showBackendSupport(this.#root.querySelector('select[name="backend"]')!, $('.backend-support') as HTMLElement, message.support);
        break;
      case 'error': {
        const error = this.#fail(new Error(message.message));
        if (message.id !== undefined) {
          this.#requests.get(message.id)?.reject(error);
          this.#requests.delete(message.id);
        } else {
          this.#setBusy(false);
          this.#run?.reject(error);
          this.#run = null;
        }
      }
    }
  }

  /** Shows a trained or loaded model's test results; from now on the pad predicts. */
  #showReport(report: TestReport): void {
    const $ = (selector: string) => this.#root.querySelector<HTMLElement>(selector)!;
    this.#trained = true;
    $('.test-accuracy').textContent = report.testAccuracy.toFixed(4);
    $('.kernels').textContent = report.kernels;
    const mistakes = renderTestGrid($('.test-grid'), report.samples, (pixels) => {
      this.#pad?.showImage(pixels);
      this.#predictInto(pixels);
    });
    $('.grid-summary').textContent = `${report.samples.labels.length - mistakes} of ${report.samples.labels.length} right; mistakes are outlined in red.`;
    for (const button of ['.save-button', '.download-button']) this.#root.querySelector<HTMLButtonElement>(button)!.disabled = false;
    if (this.#pad && !this.#pad.empty) this.#predictInto(this.#pad.digit());
  }

  #predictInto(pixels: Float32Array): void {
    if (!this.#trained) {
      this.#status('Train the model first, then the pad predicts what you draw.');
      return;
    }
    this.predict(pixels)
      .then((probabilities) => {
        const best = this.#bars!.show(probabilities);
        this.#root.querySelector('.prediction')!.textContent = `Prediction: ${best}`;
      })
      .catch(() => {});
  }

  #syncField(name: string): void {
    const field = this.#root.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
    if (field) field.value = this.getAttribute(name) ?? DEFAULTS[name as keyof typeof DEFAULTS];
  }

  #setBusy(busy: boolean): void {
    this.#root.querySelector<HTMLButtonElement>('.train-button')!.disabled = busy;
    this.#root.querySelector<HTMLButtonElement>('.stop-button')!.disabled = !busy;
    this.#root.querySelector<HTMLButtonElement>('.load-button')!.disabled = busy;
    this.#root.querySelector<HTMLInputElement>('.upload-input')!.disabled = busy;
    this.toggleAttribute('training', busy);
  }

  #status(text: string, isError = false): void {
    const status = this.#root.querySelector('.status')!;
    status.textContent = text;
    status.classList.toggle('error', isError);
  }

  #fail(error: Error): Error {
    this.#status(error.message, true);
    this.#emit('error', { message: error.message, name: error.name });
    return error;
  }

  #emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** Logs carried by `batchend` / `epochend` events. */
export type DemoLogs = Logs & { epoch: number };
