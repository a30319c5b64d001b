import { requireNode } from '../io/node_only.js';
import { Callback } from './callback.js';
import type { Logs } from './callbacks.js';

/** Options of {@link CSVLogger}. */
export interface CSVLoggerArgs {
  /** Column separator (default `','`). */
  separator?: string;
  /** Append to an existing file instead of overwriting it (default false). */
  append?: boolean;
}

type Fs = typeof import('node:fs/promises');

/** Writes one CSV row per epoch (`epoch` then the logs' keys) to a file; Node only (Keras' CSVLogger). */
export class CSVLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  #fs: Fs | null = null;
  #keys: string[] | null = null;

  constructor(readonly filename: string, args: CSVLoggerArgs = {}) {
    super();
    if (typeof filename !== 'string' || filename.length === 0) {
      throw new Error(`CSVLogger expects a file path. Received: filename=${String(filename)}.`);
    }
    requireNode(`km.callbacks.csvLogger ('${filename}')`, 'In a browser, collect the logs with a custom onEpochEnd callback instead.');
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  override async onTrainBegin(): Promise<void> {
    this.#fs = await import('node:fs/promises');
    this.#keys = null;
    if (!this.append) await this.#fs.writeFile(this.filename, '');
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const fs = this.#fs!;
    let text = '';
    if (!this.#keys) {
      this.#keys = Object.keys(logs).sort();
      // Under validationFreq the first epoch may have no val_ values yet; their columns come now, as in Keras.
      if (this.params?.validationFreq && !this.#keys.some((k) => k.startsWith('val_'))) this.#keys.push(...this.#keys.map((k) => `val_${k}`));
      const existing = this.append ? await fs.readFile(this.filename, 'utf8').catch(() => '') : '';
      if (existing.length === 0) text += ['epoch', ...this.#keys].join(this.separator) + '\n';
    }
    text += [String(epoch), ...this.#keys.map((k) => (logs[k] === undefined ? '' : String(logs[k])))].join(this.separator) + '\n';
    await fs.appendFile(this.filename, text);
  }
}
