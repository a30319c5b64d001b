// Live loss/accuracy charts (uPlot): one point per batch or per epoch, redrawn at most once a frame.
import uPlot from 'uplot';

/** A chart of loss (left axis) and accuracy (right axis, 0..1) against a step count. */
export class LossAccuracyChart {
  readonly #plot: uPlot;
  readonly #x: number[] = [];
  readonly #loss: number[] = [];
  readonly #accuracy: number[] = [];
  #frame = 0;

  constructor(target: HTMLElement, title: string, xLabel: string, width: number) {
    this.#plot = new uPlot(
      {
        title,
        width,
        height: 180,
        scales: { x: { time: false }, loss: { auto: true }, accuracy: { range: [0, 1] } },
        series: [
          { label: xLabel },
          { label: 'loss', scale: 'loss', stroke: '#b3261e', width: 2, value: (_u, v) => (v == null ? '–' : v.toFixed(4)) },
          { label: 'accuracy', scale: 'accuracy', stroke: '#1a5fb4', width: 2, value: (_u, v) => (v == null ? '–' : v.toFixed(4)) },
        ],
        axes: [
          { label: xLabel, stroke: '#333' },
          { scale: 'loss', label: 'loss', stroke: '#b3261e' },
          { scale: 'accuracy', label: 'accuracy', side: 1, stroke: '#1a5fb4', grid: { show: false } },
        ],
      },
      [[], [], []],
      target,
    );
  }

  /** Adds one point; the redraw waits for the next animation frame so bursts cost one draw. */
  push(x: number, loss: number, accuracy: number): void {
    this.#x.push(x);
    this.#loss.push(loss);
    this.#accuracy.push(accuracy);
    this.#frame ||= requestAnimationFrame(() => {
      this.#frame = 0;
      this.#plot.setData([this.#x, this.#loss, this.#accuracy]);
    });
  }

  /** Empties the chart for a new run. */
  reset(): void {
    this.#x.length = this.#loss.length = this.#accuracy.length = 0;
    this.#plot.setData([[], [], []]);
  }

  resize(width: number): void {
    this.#plot.setSize({ width, height: 180 });
  }

  /** How many points the chart holds (for tests and status lines). */
  get length(): number {
    return this.#x.length;
  }
}
