import { describe, expect, it } from 'vitest';
import {
  formatJsonReport,
  formatPredictionTable,
  formatTestResult,
  formatTrainingHeader,
  formatTrainingSummary,
  namedResults,
  samplesPerSecond,
  toEpochRecord,
  type TrainReport,
} from './output.js';
import { classProbabilities, outputKind, toPredictions } from './predictions.js';

const report: TrainReport = {
  epochs: [
    { epoch: 1, loss: 0.3, accuracy: 0.91, seconds: 4 },
    { epoch: 2, loss: 0.15, accuracy: 0.955, seconds: 2.0004 },
    { epoch: 3, loss: 0.1, accuracy: 0.97, seconds: 1.9996 },
  ],
  test: { loss: 0.0871234, accuracy: 0.97412 },
  trainSamples: 60000,
  backend: 'wasm-relaxed-simd',
};

describe('samplesPerSecond', () => {
  it('leaves out the first epoch when there are two or more', () => {
    expect(samplesPerSecond(report.epochs, 60000)).toBeCloseTo(30000, 6);
  });

  it('uses the only epoch when there is one', () => {
    expect(samplesPerSecond(report.epochs.slice(0, 1), 60000)).toBe(15000);
  });

  it('is 0 rather than infinite for zero time', () => {
    expect(samplesPerSecond([{ epoch: 1, loss: 1, accuracy: 0, seconds: 0 }], 10)).toBe(0);
  });
});

describe('formatJsonReport', () => {
  it('prints one line with the documented shape', () => {
    const line = formatJsonReport(report);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      epochs: [
        { epoch: 1, loss: 0.3, accuracy: 0.91, seconds: 4 },
        { epoch: 2, loss: 0.15, accuracy: 0.955, seconds: 2 },
        { epoch: 3, loss: 0.1, accuracy: 0.97, seconds: 2 },
      ],
      test: { loss: 0.0871234, accuracy: 0.97412 },
      samplesPerSecond: 30000,
      backend: 'wasm-relaxed-simd',
    });
  });

  it('keeps the documented key order', () => {
    expect(formatJsonReport(report)).toMatch(/^\{"epochs":\[\{"epoch":1,"loss":0\.3,"accuracy":0\.91,"seconds":4\}.*\],"test":\{"loss":.*,"accuracy":.*\},"samplesPerSecond":30000,"backend":"wasm-relaxed-simd"\}$/);
  });

  it('adds validation metrics when present', () => {
    const withValidation: TrainReport = {
      ...report,
      epochs: [{ epoch: 1, loss: 0.3, accuracy: 0.91, val_loss: 0.2, val_accuracy: 0.94, seconds: 3 }],
      trainSamples: 54000,
      backend: 'wasm-simd',
    };
    expect(JSON.parse(formatJsonReport(withValidation))).toEqual({
      epochs: [{ epoch: 1, loss: 0.3, accuracy: 0.91, val_loss: 0.2, val_accuracy: 0.94, seconds: 3 }],
      test: report.test,
      samplesPerSecond: 18000,
      backend: 'wasm-simd',
    });
  });
});

describe('toEpochRecord', () => {
  it('keeps every value the logs carry, in their order, and the JSON report prints them all', () => {
    const logs = { loss: 1.2, mae: 0.9, val_loss: 1.8, val_mae: 1.05 };
    const record = toEpochRecord(0, logs, 0.04);
    expect(record).toEqual({ epoch: 1, ...logs, seconds: 0.04 });
    const line = formatJsonReport({ ...report, epochs: [record], test: { loss: 0.95, mae: 0.85 }, evaluatedOn: 'test' });
    expect(line).toMatch(/^\{"epochs":\[\{"epoch":1,"loss":1\.2,"mae":0\.9,"val_loss":1\.8,"val_mae":1\.05,"seconds":0\.04\}\],"test":\{"loss":0\.95,"mae":0\.85\},.*"evaluatedOn":"test"\}$/);
  });
});

describe('human output', () => {
  it('formats the test result to four decimals', () => {
    expect(formatTestResult(report.test)).toBe('Test loss: 0.0871  Test accuracy: 0.9741');
  });

  it('describes the run before training', () => {
    const setup = { units: 64, classes: 10, trainSamples: 54000, epochs: 1, batchSize: 64, learningRate: 0.001, optimizer: 'adam', backend: 'wasm-simd' };
    expect(formatTrainingHeader(setup)).toBe(
      'Training Flatten -> Dense(64, relu) -> Dense(10, softmax) on 54,000 MNIST images (1 epoch, batch 64, adam 0.001, wasm-simd)',
    );
    expect(formatTrainingHeader({ ...setup, optimizer: 'sgd', learningRate: 0.003, lrSchedule: { name: 'cosineDecay', overRun: true } })).toContain(
      '(1 epoch, batch 64, sgd 0.003 with cosineDecay over the run, wasm-simd)',
    );
  });

  it('summarizes training time and throughput', () => {
    expect(formatTrainingSummary(report)).toBe('Trained 3 epochs in 8.0 s (30,000 samples/s, wasm-relaxed-simd)');
    expect(formatTrainingSummary({ ...report, threads: 2 })).toBe('Trained 3 epochs in 8.0 s (30,000 samples/s, wasm-relaxed-simd, 2 threads)');
    expect(JSON.parse(formatJsonReport({ ...report, threads: 2 })).threads).toBe(2);
  });

  it('tabulates predictions with a mark and the confidence', () => {
    const table = formatPredictionTable([
      { index: 0, predicted: 7, actual: 7, confidence: 0.9981 },
      { index: 1, predicted: 3, actual: 2, confidence: 0.512 },
    ]);
    expect(table.split('\n')).toEqual([
      'image  predicted  true     confidence',
      '    0          7     7  ✓       99.8%',
      '    1          3     2  ✗       51.2%',
    ]);
  });
});

describe('toPredictions', () => {
  it('takes the most likely class of each row', () => {
    const probabilities = new Float32Array([0.1, 0.7, 0.2, 0.6, 0.3, 0.1]);
    expect(toPredictions(probabilities, 3, new Int32Array([1, 2]))).toEqual([
      { index: 0, predicted: 1, actual: 1, confidence: expect.closeTo(0.7, 6) },
      { index: 1, predicted: 0, actual: 2, confidence: expect.closeTo(0.6, 6) },
    ]);
  });

  it('rejects probabilities that do not match the labels', () => {
    expect(() => toPredictions([0.5, 0.5, 1], 2, [0])).toThrow('Expected 1 rows of 2 probabilities (2 values), but received 3');
  });
});

describe('output of any model', () => {
  it('names every compiled metric, in order, and tabulates rows', () => {
    const test = namedResults(['loss', 'mae', 'mse'], [0.5, 0.25, 0.125]);
    expect(test).toEqual({ loss: 0.5, mae: 0.25, mse: 0.125 });
    expect(formatTestResult(test)).toBe('Test loss: 0.5000  Test mae: 0.2500  Test mse: 0.1250');
    const rows = Array.from({ length: 12 }, (_, i) => ({ index: i, predicted: 1, actual: i % 2, confidence: 0.5 }));
    const table = formatPredictionTable(rows, 'row').split('\n');
    expect(table[0]).toBe('row  predicted  true     confidence');
    expect(table[11]).toBe(' 10          1     0  ✗       50.0%');
  });
});

describe('reading a model output', () => {
  it('takes the meaning from the loss, and from the output size without one', () => {
    expect(outputKind('sparseCategoricalCrossentropy', 3)).toBe('classes');
    expect(outputKind('categoricalCrossentropy', 3)).toBe('classes');
    expect(outputKind('binaryCrossentropy', 1)).toBe('binary');
    expect(outputKind('binaryCrossentropy', 4)).toBe('values');
    expect(outputKind('meanSquaredError', 3)).toBe('values');
    expect(outputKind(undefined, 10)).toBe('classes');
    expect(outputKind(undefined, 1)).toBe('values');
  });

  it('keeps rows that are distributions, and takes the softmax of logits', () => {
    const probabilities = Float32Array.of(0.2, 0.8, 1, 0);
    expect(classProbabilities(probabilities, 'classes', 2)).toBe(probabilities);
    const logits = [2, -1, 0.5, 0, 0, 0];
    const out = classProbabilities(Float32Array.from(logits), 'classes', 3);
    for (let r = 0; r < 2; r++) {
      const row = logits.slice(3 * r, 3 * r + 3);
      const sum = row.reduce((s, v) => s + Math.exp(v), 0);
      row.forEach((v, c) => expect(out[3 * r + c]).toBeCloseTo(Math.exp(v) / sum, 6));
    }
  });

  it('spreads a binary probability over two classes, through the sigmoid when they are logits', () => {
    expect(Array.from(classProbabilities(Float32Array.of(0.25, 1), 'binary', 1))).toEqual([0.75, 0.25, 0, 1]);
    const fromLogits = classProbabilities(Float32Array.of(-2, 3), 'binary', 1);
    expect(fromLogits[1]).toBeCloseTo(1 / (1 + Math.exp(2)), 6);
    expect(fromLogits[3]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
  });
});
