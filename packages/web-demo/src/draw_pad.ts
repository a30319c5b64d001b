// A canvas the user draws a digit on with mouse, pen or touch (pointer events), light ink on black
// like MNIST; every stroke update hands the MNIST-preprocessed 28×28 image to `onDigit`.
import { imageDataToGray, preprocessDigit } from './preprocess.js';

const PAD_SIDE = 280;
const STROKE_WIDTH = 22;

export class DrawPad {
  readonly canvas: HTMLCanvasElement;
  readonly #context: CanvasRenderingContext2D;
  #drawing = false;
  #last: [number, number] | null = null;
  #pending = 0;
  #empty = true;

  /** @param onDigit Called with 784 values in [0, 1] after the drawing changes (at most once a frame). */
  constructor(canvas: HTMLCanvasElement, readonly onDigit: (pixels: Float32Array) => void) {
    this.canvas = canvas;
    canvas.width = canvas.height = PAD_SIDE;
    this.#context = canvas.getContext('2d', { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => this.#start(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    for (const type of ['pointerup', 'pointercancel', 'pointerleave'] as const) canvas.addEventListener(type, () => this.#end());
  }

  /** Wipes the pad to black. */
  clear(): void {
    const c = this.#context;
    c.fillStyle = '#000';
    c.fillRect(0, 0, PAD_SIDE, PAD_SIDE);
    this.#empty = true;
  }

  /** Shows a 28×28 image (values in [0, 1]) enlarged on the pad, e.g. a test image picked from the grid. */
  showImage(pixels: Float32Array): void {
    const cell = PAD_SIDE / 28;
    const c = this.#context;
    this.clear();
    pixels.forEach((v, k) => {
      const level = Math.round(v * 255);
      c.fillStyle = `rgb(${level},${level},${level})`;
      c.fillRect((k % 28) * cell, Math.floor(k / 28) * cell, cell, cell);
    });
    this.#empty = false;
  }

  /** True while nothing has been drawn since the last clear. */
  get empty(): boolean {
    return this.#empty;
  }

  /** The current drawing, preprocessed like MNIST. */
  digit(): Float32Array {
    return preprocessDigit(imageDataToGray(this.#context.getImageData(0, 0, PAD_SIDE, PAD_SIDE)), PAD_SIDE, PAD_SIDE);
  }

  #point(e: PointerEvent): [number, number] {
    const rect = this.canvas.getBoundingClientRect();
    return [((e.clientX - rect.left) / rect.width) * PAD_SIDE, ((e.clientY - rect.top) / rect.height) * PAD_SIDE];
  }

  #start(e: PointerEvent): void {
    e.preventDefault();
    try {
      this.canvas.setPointerCapture(e.pointerId);
    } catch {
      // A synthetic event (dispatchEvent, test drivers) has no active pointer to capture; draw anyway.
    }
    this.#drawing = true;
    this.#last = this.#point(e);
    this.#line(this.#last, this.#last);
  }

  #move(e: PointerEvent): void {
    if (!this.#drawing || !this.#last) return;
    const next = this.#point(e);
    this.#line(this.#last, next);
    this.#last = next;
  }

  #end(): void {
    if (!this.#drawing) return;
    this.#drawing = false;
    this.#last = null;
  }

  #line(from: [number, number], to: [number, number]): void {
    const c = this.#context;
    c.strokeStyle = '#fff';
    c.lineWidth = STROKE_WIDTH;
    c.lineCap = c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(...from);
    c.lineTo(...to);
    c.stroke();
    this.#empty = false;
    this.#pending ||= requestAnimationFrame(() => {
      this.#pending = 0;
      this.onDigit(this.digit());
    });
  }
}
