import { LIMITS, TRAIN_DEFAULTS } from './args.js';

/** `kerasm --help` */
export function mainHelp(): string {
  return `kerasm: train Keras-style models on a WebAssembly SIMD core

Usage:
  kerasm <command> [options]
  kerasm help [command]

Commands:
  train           Train the reference MNIST classifier and report its test accuracy

Options:
  -h, --help      Show this help; 'kerasm train --help' shows the options of train
  -V, --version   Print the kerasm version

Examples:
  kerasm train
  kerasm train --epochs 10 --units 128 --seed 42
  kerasm train --epochs 1 --json

Exit codes: 0 success, 1 runtime error, 2 usage error (bad command, flag or value).
Set KERASM_DEBUG=1 to print the stack trace of a runtime error.
`;
}

/** `kerasm train --help` */
export function trainHelp(): string {
  const d = TRAIN_DEFAULTS;
  const range = (r: { min: number; max: number }) => `${r.min}-${r.max}`;
  return `Usage: kerasm train [options]

Trains the reference program on MNIST (60,000 training and 10,000 test images of
28x28 handwritten digits):

  Flatten -> Dense(units, relu) -> Dense(10, softmax)
  optimizer Adam, loss sparse categorical cross-entropy, metric accuracy

It prints a Keras-style progress bar per epoch, the test loss and accuracy, and the
predicted against the true labels of the first 10 test images.

Options:
  --model mlp|cnn|resnet  Network to train (default: ${d.model}): mlp is the reference program;
                          cnn is Conv2D(32,3x3,relu) -> MaxPool(2) -> Conv2D(64,3x3,relu) ->
                          MaxPool(2) -> Flatten -> Dropout(0.5) -> Dense(10,softmax); resnet is
                          a small residual network built with the functional API
  --epochs N              Passes over the training data, ${range(LIMITS.epochs)} (default: ${d.epochs})
  --batch-size N          Samples per gradient step, ${range(LIMITS.batchSize)} (default: ${d.batchSize})
  --units N               Hidden units of the first Dense layer, ${range(LIMITS.units)} (default: ${d.units})
  --learning-rate X       Adam learning rate, 0 < X <= ${LIMITS.learningRateMax} (default: ${d.learningRate})
  --seed N                Seed for weight initialization and shuffling, ${range(LIMITS.seed)}
                          (default: 1, so a run repeats exactly; pass another for another run)
  --validation-split X    Fraction of the training data held out to report val_loss and
                          val_accuracy per epoch, 0 <= X < 1 (default: ${d.validationSplit}, none)
  --verbose 0|1           1 prints a progress bar per epoch, 0 prints none (default: ${d.verbose})
  --json                  Print exactly one JSON object on one line of stdout instead of
                          text; the progress bar is off and warnings go to stderr
  --no-relaxed-simd       Use the plain WebAssembly SIMD kernels. By default kerasm turns on
                          relaxed SIMD (faster fused multiply-add), which Node 20 only
                          validates behind the V8 flag --experimental-wasm-relaxed-simd;
                          kerasm sets that flag at start-up, before the kernels load.
  -h, --help              Show this help

JSON output (--json):
  {"epochs":[{"epoch":1,"loss":0.28,"accuracy":0.92,"seconds":2.4}],
   "test":{"loss":0.14,"accuracy":0.96},"samplesPerSecond":27500,"backend":"wasm-relaxed-simd"}
  Each epoch also has val_loss and val_accuracy when --validation-split is above 0.
  seconds is the wall time of the epoch. samplesPerSecond counts training samples per
  second over epochs 2..N (the first pays for warm-up), or over the only epoch.
  backend is the kernel set that ran: wasm-relaxed-simd or wasm-simd.

Examples:
  kerasm train
  kerasm train --epochs 10 --units 128 --learning-rate 0.0005 --seed 42
  kerasm train --validation-split 0.1 --verbose 0
  kerasm train --epochs 1 --seed 1 --json
  kerasm train --model cnn --epochs 3 --json
  kerasm train --no-relaxed-simd --json
`;
}
