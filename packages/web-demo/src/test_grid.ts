// The first test images with the trained model's predictions; mistakes are outlined and say the truth.
import type { TestSamples } from './protocol.js';

const SIDE = 28;

/**
 * Fills `container` with one button per sample (so keyboard users can pick one); `onPick` gets the
 * sample's 28×28 pixels in [0, 1]. Returns how many the model got wrong.
 */
export function renderTestGrid(container: HTMLElement, samples: TestSamples, onPick: (pixels: Float32Array) => void): number {
  container.replaceChildren();
  let mistakes = 0;
  for (let i = 0; i < samples.labels.length; i++) {
    const label = samples.labels[i];
    const predicted = samples.predictions[i];
    const wrong = label !== predicted;
    if (wrong) mistakes++;
    const figure = document.createElement('button');
    figure.type = 'button';
    figure.className = wrong ? 'mistake' : 'correct';
    const pixels = samples.pixels.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
    figure.setAttribute('aria-label', `Test image ${i + 1}: a ${label}, predicted ${predicted}${wrong ? ' (mistake)' : ''}. Load into the pad.`);
    figure.addEventListener('click', () => onPick(Float32Array.from(pixels, (v) => v / 255)));
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = SIDE;
    canvas.setAttribute('aria-hidden', 'true');
    drawImage(canvas, pixels);
    const caption = document.createElement('span');
    caption.textContent = wrong ? `${predicted} (is ${label})` : String(predicted);
    figure.append(canvas, caption);
    container.append(figure);
  }
  return mistakes;
}

function drawImage(canvas: HTMLCanvasElement, pixels: Uint8Array): void {
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(SIDE, SIDE);
  pixels.forEach((v, k) => {
    image.data.set([v, v, v, 255], 4 * k);
  });
  context.putImageData(image, 0, 0);
}
