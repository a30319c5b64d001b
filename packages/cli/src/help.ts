import { LIMITS, TRAIN_DEFAULTS, type HelpTopic } from './args.js';
import { THREAD_LIMITS } from './backend_flags.js';
import { RECIPES } from './recipes.js';
import { EVALUATE_BATCH_SIZE, LABEL_COLUMN, MODEL_LIMITS, PREDICT_COUNT } from './model_args.js';

// Shared by train, evaluate and predict.
const BACKEND_FLAGS = `  --backend NAME          Where the kernels run: wasm (kerasm's SIMD core, the default),
                          tfjs-wasm, tfjs-cpu, or tfjs-node / tfjs-node-gpu when installed;
                          the TensorFlow.js packages load only when asked for
  --threads N             Threads for the wasm backend's kernels, ${THREAD_LIMITS.min}-${THREAD_LIMITS.max} (default: all
                          cores); results are identical for every N`;

/** `kerasm --help` */
export function mainHelp(): string {
  return `kerasm: train Keras-style models on a WebAssembly SIMD core

Usage:
  kerasm <command> [options]
  kerasm help [command]

Commands:
  train           Train the reference MNIST classifier and report its test accuracy
  evaluate DIR    Test loss and metrics of a saved model on MNIST or a CSV file (--data)
  predict DIR     Predictions for MNIST test images, your images, or CSV rows (--input)
  summary DIR     The layers, output shapes and parameter counts of a saved model

Options:
  -h, --help      Show this help; 'kerasm train --help' (or 'kerasm --help train') shows
                  the options of train
  -V, --version   Print the kerasm version; with --json, one line
                  {"kerasm":"<version>","sdk":"<@kerasm/sdk version>"}

Examples:
  kerasm train
  kerasm train --epochs 10 --units 128 --seed 42
  kerasm train --epochs 1 --json
  kerasm train --save models/mnist && kerasm evaluate models/mnist --json
  kerasm train --config examples/blobs.json --save models/blobs
  kerasm predict models/blobs --input examples/blobs-test.csv

Exit codes: 0 success, 1 runtime error, 2 usage error (bad command, flag or value;
an option given twice with different values, as in --epochs 3 --epochs 5).
With --json, an error is also one line {"error": "<message>"} on stdout.
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
  optimizer Adam (see --optimizer), loss sparse categorical cross-entropy, metric accuracy

It prints a Keras-style progress bar per epoch, the test loss and accuracy, and the
predicted against the true labels of the first 10 test images.

Options:
  --model mlp|cnn|resnet  Network to train (default: ${d.model}): mlp is the reference program;
                          cnn is Conv2D(32,3x3,relu) -> MaxPool(2) -> Conv2D(64,3x3,relu) ->
                          MaxPool(2) -> Flatten -> Dropout(0.5) -> Dense(10,softmax), trained
                          by default at batch ${RECIPES.cnn.batchSize}, learning rate ${RECIPES.cnn.learningRate} and a cosine decay of it
                          to 0 over the run; resnet is a small residual network built with
                          the functional API
  --epochs N              Passes over the training data, ${range(LIMITS.epochs)} (default: ${d.epochs})
  --batch-size N          Samples per gradient step, ${range(LIMITS.batchSize)} (default: ${d.batchSize};
                          ${RECIPES.cnn.batchSize} with --model cnn)
  --units N               Hidden units of the mlp's first Dense layer, ${range(LIMITS.units)} (default: ${d.units};
                          cnn and resnet have fixed sizes, and warn that it is ignored)
  --learning-rate X       Learning rate, 0 < X <= ${LIMITS.learningRateMax} (default: ${d.learningRate};
                          ${RECIPES.cnn.learningRate} with --model cnn)
  --seed N                Seed for weight initialization and shuffling, ${range(LIMITS.seed)}
                          (default: 1, so a run repeats exactly; pass another for another run)
  --validation-split X    Fraction of the training data held out to report val_loss and
                          val_accuracy per epoch, 0 <= X < 1 (default: ${d.validationSplit}, none)
  --optimizer NAME        adam, adamw, sgd, rmsprop, adagrad, adamax, nadam, adadelta, lion,
                          ftrl, lamb or adafactor, with Keras' defaults, at --learning-rate
                          (default: ${d.optimizer}; adadelta wants a rate near 1, lion one 3-10x
                          below adam's; adafactor caps its rate at 1/sqrt(step))
  --lr-schedule SPEC      A learning-rate schedule starting at --learning-rate:
                          NAME[:key=value,...], NAME one of exponentialDecay, inverseTimeDecay,
                          polynomialDecay, piecewiseConstantDecay, cosineDecay,
                          cosineDecayRestarts; lists separated by '/', e.g.
                          cosineDecay:decaySteps=4000 or
                          piecewiseConstantDecay:boundaries=1000/2000,values=1e-3/5e-4/1e-4;
                          cosineDecay and polynomialDecay without decaySteps decay over the
                          whole run; exponentialDecay and inverseTimeDecay need decaySteps
                          and decayRate (exponentialDecay:decaySteps=1000,decayRate=0.9);
                          constant for none (default: none; cosineDecay over the whole run
                          with --model cnn)
  --early-stopping N      Stop after N epochs without improvement of val_loss (of loss
                          without --validation-split) and keep the best epoch's weights
  --config FILE           Run a whole experiment from a JSON file: data (mnist, or a CSV
                          with a label column, read through km.data.csv), model (a name or a
                          list of layers), compile (optimizer, loss, metrics) and fit (epochs,
                          batchSize, validationSplit, callbacks). Replaces the flags above;
                          labels are one-hot encoded for a categoricalCrossentropy loss;
                          see examples/blobs.json and the README
  --verbose 0|1           1 prints a progress bar per epoch, 0 prints none (default: ${d.verbose})
  --json                  Print exactly one JSON object on one line of stdout instead of
                          text; the progress bar is off and warnings go to stderr
  --save DIR              Save the trained model (with its optimizer state) to DIR in the
                          TensorFlow.js LayersModel format: model.json plus a weights file,
                          loadable by kerasm evaluate/predict/summary, km.loadLayersModel
                          and tf.loadLayersModel. DIR (and --backup-dir's) is checked to
                          be writable before training starts
  --quantize DTYPE        With --save: store the weights as uint8 (a quarter of the size),
                          uint16 or float16 (half), as tensorflowjs_converter's
                          --quantize_* flags do, for a smaller download; the optimizer
                          state is then left out. Loaders dequantize them, so predictions
                          change only within the quantization error
  --backup-dir DIR        Back up the weights, optimizer state, epoch and random state to DIR
                          after each epoch; run the same command again after an interruption
                          and it resumes there, ending bit for bit as an uninterrupted run
                          would (a backup already at --epochs trains nothing and is kept,
                          as the output says: raise --epochs, or delete DIR). DIR must be
                          new or hold only kerasm's backups (other files are refused), apart
                          from --save's and --tensorboard's folders (checked before
                          training); the backups, and DIR when then empty, go when
                          training ends normally
  --tensorboard DIR       Write TensorBoard event files to DIR/train and DIR/validation
                          (Keras' epoch_loss, epoch_accuracy, ...); view them with
                          tensorboard --logdir DIR. DIR is checked to be writable first
${BACKEND_FLAGS}
  --no-relaxed-simd       Use the plain WebAssembly SIMD kernels. By default kerasm turns on
                          relaxed SIMD (faster fused multiply-add), which Node 20 only
                          validates behind the V8 flag --experimental-wasm-relaxed-simd;
                          kerasm sets that flag at start-up, before the kernels load.
  -h, --help              Show this help

JSON output (--json):
  {"epochs":[{"epoch":1,"loss":0.28,"accuracy":0.92,"seconds":2.4}],
   "test":{"loss":0.14,"accuracy":0.96},"samplesPerSecond":27500,"backend":"wasm-relaxed-simd",
   "threads":2}
  Each epoch has every value its logs carry: the loss and each compiled metric (accuracy,
  or a config's, e.g. mae), and their val_ forms (val_loss, ...) when there is validation
  data. seconds is the wall time of the epoch. samplesPerSecond counts training samples per
  second over epochs 2..N (the first pays for warm-up), or over the only epoch.
  backend is the kernel set that ran: wasm-relaxed-simd, wasm-simd, tfjs-wasm, tfjs-cpu, ...
  threads is how many threads ran its kernels (1 for the tfjs backends).
  With --backup-dir, resumedFrom {"backupDir","epoch"} says a backup was restored and how
  many epochs it held; one already holding --epochs trains nothing: epochs is [] and
  samplesPerSecond null.
  With --config, test holds the loss and each compiled metric by name, and evaluatedOn says
  what they were measured on: "test" (data.testPath, or MNIST's test images), else
  "validation" (the held-out rows), else "train".

Examples:
  kerasm train
  kerasm train --epochs 10 --units 128 --learning-rate 0.0005 --seed 42
  kerasm train --validation-split 0.1 --verbose 0
  kerasm train --epochs 1 --seed 1 --json
  kerasm train --model cnn --epochs 3 --json
  kerasm train --no-relaxed-simd --json
  kerasm train --optimizer sgd --learning-rate 0.1 --lr-schedule cosineDecay:decaySteps=4000
  kerasm train --validation-split 0.1 --early-stopping 2 --epochs 20
  kerasm train --config examples/blobs.json
`;
}

// Shared by the commands that load a saved model.
const INPUT_SHAPE_FLAG = `  --input-shape NAME=D1,D2,...
                          Optional: fixes the unknown dimensions (Keras' None, null in
                          model.json: a text model over sequences of any length) of the
                          input NAME to a size, giving its sample shape without the batch
                          axis: a size for each unknown dimension and the saved size for
                          the others, e.g. --input-shape tokens=100. Without it, unknown
                          dimensions take the size of the data (a CSV file's feature
                          columns). Repeat it for each input, or give D1,D2,... alone for
                          a model with one input`;

const MODEL_FLAGS = `  --json                  Print exactly one JSON object on one line of stdout
  --no-relaxed-simd       Use the plain WebAssembly SIMD kernels (see kerasm train --help)
  -h, --help              Show this help`;

/** `kerasm evaluate --help` */
export function evaluateHelp(): string {
  return `Usage: kerasm evaluate DIR [options]

Loads the model saved in DIR (kerasm train --save DIR, or any TensorFlow.js LayersModel
with one input and one output) and prints its loss and the metrics it was compiled with,
exactly as training printed them: on the 10,000 MNIST test images, or on the rows of a CSV
file (--data). A model saved without its loss and metrics is evaluated as a classifier
(sparse categorical cross-entropy and accuracy) when it outputs one probability per class.
Integer labels (MNIST's, a CSV's label column) are one-hot encoded for a model whose loss
takes one-hot targets (categoricalCrossentropy, as the TensorFlow.js MNIST tutorial uses).

Options:
  --data FILE             A .csv file instead, one sample per row: a header line naming the
                          columns, the target in the label column, every other column a
                          feature (as many as the model takes); read in batches, not whole.
                          A first line of only numbers is a row: the columns are then read
                          by position, the model's features and then the target
  --label-column NAME     The column holding the targets (default: the one the model was
                          trained on, when kerasm train --save recorded it; else ${LABEL_COLUMN})
  --delimiter C           The field separator of the CSV file (default: ,)
  --batch-size N          Samples per evaluation batch, ${MODEL_LIMITS.batchSize.min}-${MODEL_LIMITS.batchSize.max} (default: ${EVALUATE_BATCH_SIZE})
${INPUT_SHAPE_FLAG}
${BACKEND_FLAGS}
${MODEL_FLAGS}

JSON output (--json):
  {"test":{"loss":0.14,"accuracy":0.96},"samples":10000}
  test holds the loss, then each compiled metric by name (e.g. "mae" for a regressor).

Examples:
  kerasm train --save models/mnist && kerasm evaluate models/mnist --json
  kerasm evaluate models/blobs --data examples/blobs-test.csv
  kerasm evaluate models/mnist --backend tfjs-cpu
`;
}

/** `kerasm predict --help` */
export function predictHelp(): string {
  return `Usage: kerasm predict DIR [--count N | --input FILE] [options]

Loads the model saved in DIR and prints its prediction for each sample: the predicted class
and its probability for a classifier (a categorical or binary cross-entropy loss, or more
than one output value when the model was saved without its loss; logits get a softmax or
sigmoid), the output values for any other model (a regressor).

Options:
  --count N               The first N MNIST test images, with their true labels,
                          ${MODEL_LIMITS.count.min}-${MODEL_LIMITS.count.max} (default: ${PREDICT_COUNT})
  --input FILE            Your own data instead: a .png (8-bit grayscale or RGB, white
                          digit on black like MNIST, resized to 28x28; transparent pixels
                          are the background), a .json array of 784 pixel values (or 28
                          rows of 28, or a list of such images), values 0-255 scaled to
                          0-1 (others are refused); or a .csv file of samples, one per row,
                          after a header line naming the columns; a first line of only
                          numbers is a row: the columns are then read by position, the
                          last the target when there is one more than the model's
                          features. A blank image, or one with a bright background (it
                          looks inverted), gets a warning on stderr
  --invert                Flip the colors of the --input image (v becomes 255 - v, or 1 - v),
                          for a dark digit on a light or transparent background
  --label-column NAME     The CSV column holding the true targets, shown beside the
                          predictions, used when the file has it (default: the one the
                          model was trained on, when kerasm train --save recorded it; else
                          ${LABEL_COLUMN})
  --delimiter C           The field separator of the CSV file (default: ,)
${INPUT_SHAPE_FLAG}
${BACKEND_FLAGS}
${MODEL_FLAGS}

JSON output (--json):
  {"predictions":[{"index":0,"predicted":7,"actual":7,"confidence":0.99,"probabilities":[...]}]}
  actual is present for test images and CSV files with a label column. For a model that
  is not a classifier: {"predictions":[{"index":0,"output":[2.31],"actual":2.4}]}.
  A prediction that is NaN or ±Infinity prints as NaN (null in JSON), and a warning on
  stderr counts them and names the likely cause (diverged training, or inputs far outside
  the training range).

Examples:
  kerasm predict models/mnist --count 5
  kerasm predict models/mnist --input digit.png --invert
  kerasm predict models/blobs --input examples/blobs-test.csv --json
  kerasm predict models/text --input tokens.csv
  kerasm predict models/text --input tokens.csv --input-shape tokens=100
`;
}

/** `kerasm summary --help` */
export function summaryHelp(): string {
  return `Usage: kerasm summary DIR [options]

Prints Keras' summary table of the model saved in DIR: layers, output shapes, parameters.

Options:
  --expand-nested         Also list the layers of each model saved inside this one
  --show-trainable        Say whether training changes each layer's weights (Y, N, or -
                          without weights)
${INPUT_SHAPE_FLAG}
${MODEL_FLAGS}

JSON output (--json):
  {"name":"sequential","inputShape":[null,28,28],"layers":[{"name":"dense","className":"Dense",
   "outputShape":[null,64],"params":50240}],"totalParams":50890,"trainableParams":50890}
  --expand-nested gives a model's entry its own "layers"; --show-trainable gives each entry
  "trainable": true when training changes some of its weights.
`;
}

/** The help text of a topic. */
export function helpFor(topic: HelpTopic): string {
  return { main: mainHelp, train: trainHelp, evaluate: evaluateHelp, predict: predictHelp, summary: summaryHelp }[topic]();
}
