// The element's shadow DOM: markup and styles. Colours keep text contrast at 4.5:1 or better.
import uplotCss from 'uplot/dist/uPlot.min.css?inline';

const css = /* css */ `
:host { display: block; font: 15px/1.45 system-ui, sans-serif; color: #1b1b1b; background: #fff; }
* { box-sizing: border-box; }
.layout { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 330px), 1fr)); }
section { border: 1px solid #c4c4c4; border-radius: 8px; padding: 12px; min-width: 0; }
h2 { font-size: 1.05rem; margin: 0 0 8px; }
form { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 8px; align-items: end; }
.field { display: grid; gap: 2px; } label { font-size: 0.9rem; }
input, select, button { font: inherit; min-width: 0; max-width: 100%; padding: 6px 8px; border-radius: 6px; border: 1px solid #6b6b6b; min-height: 36px; }
button { background: #1a5fb4; color: #fff; border-color: #1a5fb4; cursor: pointer; }
button.secondary { background: #fff; color: #1a5fb4; }
button:disabled { background: #e0e0e0; color: #4a4a4a; border-color: #9a9a9a; cursor: not-allowed; }
:focus-visible { outline: 3px solid #e66100; outline-offset: 2px; }
.status { min-height: 1.45em; margin: 8px 0; }
.status.error { color: #a51d2d; font-weight: 600; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0 0 8px; font-size: 0.9rem; }
dt { color: #4a4a4a; } dd { margin: 0; font-variant-numeric: tabular-nums; }
.charts { display: grid; gap: 8px; }
.pad-row { display: flex; flex-wrap: wrap; gap: 12px; }
canvas.pad { width: min(100%, 240px); aspect-ratio: 1; touch-action: none; border-radius: 6px; border: 1px solid #6b6b6b; background: #000; cursor: crosshair; }
.pad-controls { display: flex; gap: 8px; margin-top: 8px; }
.prediction { font-size: 1.2rem; font-weight: 600; margin: 4px 0; }
ol.probabilities { list-style: none; padding: 0; margin: 0; flex: 1; min-width: 160px; }
ol.probabilities li { display: grid; grid-template-columns: 1.2em 1fr 3.8em; gap: 6px; align-items: center; font-size: 0.85rem; }
.track { height: 10px; background: #ececec; border-radius: 5px; overflow: hidden; }
.bar { display: block; height: 100%; width: 0; background: #1a5fb4; }
li.best .bar { background: #26a269; } li.best { font-weight: 700; }
.value { text-align: right; font-variant-numeric: tabular-nums; }
.test-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(56px, 1fr)); gap: 6px; }
.test-grid button { display: grid; justify-items: center; gap: 2px; padding: 4px; background: #fff; color: #1b1b1b; border: 2px solid #c4c4c4; }
.test-grid button.mistake { border-color: #a51d2d; background: #fbe9eb; color: #a51d2d; font-weight: 700; }
.test-grid canvas { width: 42px; height: 42px; image-rendering: pixelated; }
.note { font-size: 0.85rem; color: #4a4a4a; }
h3 { font-size: 0.95rem; margin: 12px 0 6px; }
.io-buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 8px; }
input[type=file] { border-style: dashed; }
option:disabled { color: #6b6b6b; }
`;

export const template = /* html */ `
<style>${uplotCss}${css}</style>
<div class="layout">
  <section class="train" aria-labelledby="train-heading">
    <h2 id="train-heading">Train on MNIST</h2>
    <form class="controls">
      <div class="field"><label for="field-model">Model</label>
        <select id="field-model" name="model">
          <option value="mlp">MLP (Dense 128, ReLU)</option>
          <option value="cnn">CNN (Keras MNIST convnet)</option>
        </select>
      </div>
      <div class="field"><label for="field-epochs">Epochs</label><input id="field-epochs" name="epochs" type="number" min="1" max="100" step="1" inputmode="numeric"></div>
      <div class="field"><label for="field-batch-size">Batch size</label><input id="field-batch-size" name="batch-size" type="number" min="1" max="4096" step="1" inputmode="numeric"></div>
      <div class="field"><label for="field-train-samples">Training images</label><input id="field-train-samples" name="train-samples" type="number" min="1" max="60000" step="1" inputmode="numeric"></div>
      <div class="field"><label for="field-backend">Backend</label>
        <select id="field-backend" name="backend">
          <option value="wasm">WASM SIMD</option>
          <option value="tfjs-webgl">WebGL · tfjs</option>
          <option value="tfjs-webgpu">WebGPU · tfjs</option>
        </select>
      </div>
      <button type="submit" class="train-button">Train</button>
      <button type="button" class="stop-button secondary" disabled>Stop</button>
    </form>
    <p class="status" role="status" aria-live="polite">Ready to train.</p>
    <dl>
      <dt>Epoch</dt><dd class="epoch">–</dd>
      <dt>Samples/s</dt><dd class="samples-per-second">–</dd>
      <dt>Test accuracy</dt><dd class="test-accuracy">–</dd>
      <dt>Kernels</dt><dd class="kernels">–</dd>
      <dt>Threads</dt><dd class="isolation">–</dd>
      <dt>This browser</dt><dd class="backend-support">checking backends…</dd>
    </dl>
    <div class="charts">
      <div class="chart-batch" role="img" aria-label="Loss and accuracy per batch"></div>
      <div class="chart-epoch" role="img" aria-label="Loss and accuracy per epoch"></div>
    </div>
  </section>
  <section class="draw" aria-labelledby="draw-heading">
    <h2 id="draw-heading">Draw a digit</h2>
    <div class="pad-row">
      <div>
        <canvas class="pad" role="img" aria-label="Drawing pad: draw one digit with the mouse, a pen or a finger"></canvas>
        <div class="pad-controls"><button type="button" class="clear-button secondary">Clear</button></div>
      </div>
      <div>
        <p class="prediction" aria-live="polite">Prediction: –</p>
        <ol class="probabilities" aria-label="Probability of each digit"></ol>
      </div>
    </div>
    <p class="note">Keyboard: pick a test image below to load it into the pad and predict it.</p>
    <div class="model-io" role="group" aria-labelledby="model-io-heading">
      <h3 id="model-io-heading">Keep the model</h3>
      <div class="io-buttons">
        <button type="button" class="save-button secondary" disabled>Save in this browser</button>
        <button type="button" class="load-button secondary">Load from this browser</button>
        <button type="button" class="download-button secondary" disabled>Download files</button>
      </div>
      <div class="field upload"><label for="field-upload">Upload model files (.json and .bin)</label><input id="field-upload" class="upload-input" type="file" accept=".json,.bin" multiple></div>
      <p class="note">Saved in IndexedDB as “kerasm-mnist-demo”; files are TensorFlow.js' LayersModel format (tf.loadLayersModel reads them).</p>
    </div>
  </section>
  <section class="grid" aria-labelledby="grid-heading">
    <h2 id="grid-heading">Test images</h2>
    <p class="grid-summary note">Train to see the model's predictions on the first test images.</p>
    <div class="test-grid"></div>
  </section>
</div>
`;
