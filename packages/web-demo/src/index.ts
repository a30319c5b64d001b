/**
 * `<kerasm-mnist-demo>`: train MNIST in the browser with kerasm, draw a digit, watch it predict.
 * Importing the package defines the element.
 *
 * @example
 * ```ts
 * import '@kerasm/web-demo';
 * document.body.append(document.createElement('kerasm-mnist-demo'));
 * ```
 * @packageDocumentation
 */
import { KerasmMnistDemo } from './element.js';

if (!customElements.get('kerasm-mnist-demo')) customElements.define('kerasm-mnist-demo', KerasmMnistDemo);

export { KerasmMnistDemo, type DemoLogs } from './element.js';
export type { HistoryData, Logs } from './protocol.js';
export { preprocessDigit } from './preprocess.js';

declare global {
  interface HTMLElementTagNameMap {
    'kerasm-mnist-demo': KerasmMnistDemo;
  }
}
