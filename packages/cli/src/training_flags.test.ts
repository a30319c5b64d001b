import { describe, expect, it } from 'vitest';
import { parseCommandLine, type TrainOptions } from './args.js';
import { UsageError } from './errors.js';
import { makeOptimizer, makeSchedule } from './training_setup.js';

function trainOptions(...flags: string[]): TrainOptions {
  const command = parseCommandLine(['train', ...flags]);
  if (command.kind !== 'train') throw new Error(`expected a train command, got ${command.kind}`);
  return command.options;
}

function usage(...flags: string[]): string {
  try {
    parseCommandLine(['train', ...flags]);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`expected a UsageError for ${flags.join(' ')}`);
}

describe('kerasm train --optimizer, --lr-schedule, --early-stopping, --config', () => {
  it('parses the optimizer (default adam), a schedule with numbers, booleans and lists, and a patience', () => {
    expect(trainOptions().optimizer).toBe('adam');
    expect(trainOptions('--optimizer', 'RMSprop').optimizer).toBe('rmsprop');
    expect(trainOptions('--optimizer', 'Adadelta').optimizer).toBe('adadelta');
    expect(trainOptions('--optimizer', 'lion').optimizer).toBe('lion');
    expect(trainOptions('--optimizer', 'FTRL').optimizer).toBe('ftrl');
    expect(trainOptions('--optimizer', 'Lamb').optimizer).toBe('lamb');
    expect(trainOptions('--optimizer', 'adafactor').optimizer).toBe('adafactor');
    expect(trainOptions('--lr-schedule', 'cosineDecay:decaySteps=2000,alpha=0.1').lrSchedule).toEqual({ name: 'cosineDecay', args: { decaySteps: 2000, alpha: 0.1 } });
    expect(trainOptions('--lr-schedule', 'piecewiseConstantDecay:boundaries=100/200,values=0.1/0.01/1e-3').lrSchedule).toEqual({
      name: 'piecewiseConstantDecay', args: { boundaries: [100, 200], values: [0.1, 0.01, 0.001] },
    });
    expect(trainOptions('--lr-schedule', 'exponentialDecay:decaySteps=10,decayRate=0.5,staircase=true').lrSchedule?.args.staircase).toBe(true);
    // Without decaySteps, cosine and polynomial decay span the whole run, as --model cnn's recipe does.
    expect(trainOptions('--lr-schedule', 'cosineDecay').lrSchedule).toEqual({ name: 'cosineDecay', args: {}, overRun: true });
    expect(trainOptions('--lr-schedule', 'polynomialDecay:power=2').lrSchedule).toEqual({ name: 'polynomialDecay', args: { power: 2 }, overRun: true });
    expect(trainOptions('--early-stopping', '3').earlyStopping).toBe(3);
    expect(trainOptions('--config', 'exp.json', '--json').config).toBe('exp.json');
    expect(trainOptions('--backup-dir', 'backup/run').backupDir).toBe('backup/run');
    expect(trainOptions('--config', 'exp.json', '--backup-dir', 'b').backupDir).toBe('b');
  });

  it('rejects bad values with what was received and what is expected', () => {
    expect(usage('--optimizer', 'adamm')).toBe("Invalid value for --optimizer: received 'adamm', expected one of adam, adamw, sgd, rmsprop, adagrad, adamax, nadam, adadelta, lion, ftrl, lamb, adafactor; did you mean 'adam'?");
    expect(usage('--optimizer', 'momentum')).toMatch(/expected one of adam, .*, adafactor\.$/);
    expect(usage('--lr-schedule', 'linear')).toMatch(/--lr-schedule: received 'linear', expected NAME\[:key=value,...\] with NAME one of exponentialDecay/);
    expect(usage('--lr-schedule', 'cosineDecay:decaySteps')).toMatch(/'decaySteps' is not one/);
    expect(usage('--lr-schedule', 'cosineDecay:decaySteps=ten')).toMatch(/'ten' is none of these/);
    // Decays without an end have no span to default to: the message shows how to pass theirs.
    expect(usage('--lr-schedule', 'exponentialDecay')).toBe(
      "Invalid value for --lr-schedule: received 'exponentialDecay', expected exponentialDecay with its decaySteps and decayRate, e.g. exponentialDecay:decaySteps=1000,decayRate=0.9.",
    );
    expect(usage('--lr-schedule', 'cosineDecayRestarts:alpha=0.1')).toMatch(/expected cosineDecayRestarts with its firstDecaySteps, e.g. cosineDecayRestarts:firstDecaySteps=1000\.$/);
    expect(usage('--early-stopping', '-1')).toMatch(/--early-stopping: received '-1', expected a patience in epochs/);
    expect(usage('--early-stopping', 'two')).toMatch(/received 'two'/);
    expect(usage('--config', 'exp.json', '--epochs', '3', '--optimizer', 'sgd')).toBe(
      '--config sets the data, model, compile and fit settings; --epochs, --optimizer cannot be given with it. Set them in the config file instead.',
    );
    expect(usage('--backup-dir', ' ')).toMatch(/--backup-dir: received ' ', expected a folder to keep the training backup in/);
    expect(usage('--config', ' ')).toMatch(/--config: received ' ', expected the path of an experiment JSON file/);
  });
});

describe('makeSchedule', () => {
  it('decays a schedule marked overRun over every step of the run: cosine from the rate to 0', () => {
    const schedule = makeSchedule({ name: 'cosineDecay', args: {}, overRun: true }, 0.003, '--lr-schedule', 5625);
    for (const step of [0, 1000, 2812, 5000, 5625]) {
      expect(schedule.at(step)).toBeCloseTo(0.003 * 0.5 * (1 + Math.cos((Math.PI * step) / 5625)), 10);
    }
  });

  it("builds the new optimizers through the SDK, and a bad option fails naming the config path", () => {
    expect(makeOptimizer('adadelta', { learningRate: 1, rho: 0.9 }, 'compile.optimizer').getConfig()).toEqual({ learningRate: 1, rho: 0.9, epsilon: 1e-7 });
    expect(makeOptimizer('lion', { learningRate: 1e-4 }, 'compile.optimizer').getConfig()).toEqual({ learningRate: 1e-4, beta1: 0.9, beta2: 0.99 });
    expect(makeOptimizer('ftrl', { l1RegularizationStrength: 0.01 }, 'compile.optimizer').getConfig()).toMatchObject({ learningRate: 0.001, l1RegularizationStrength: 0.01, learningRatePower: -0.5 });
    expect(makeOptimizer('lamb', { learningRate: 0.01 }, 'compile.optimizer').getConfig()).toEqual({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(makeOptimizer('adafactor', { clipThreshold: 0.5 }, 'compile.optimizer').getConfig()).toMatchObject({ learningRate: 0.001, beta2Decay: -0.8, clipThreshold: 0.5, relativeStep: true });
    expect(() => makeOptimizer('adafactor', { clipThreshold: -1 }, 'compile.optimizer')).toThrow(/compile.optimizer.*clipThreshold must be a positive finite number\. Received: clipThreshold=-1/);
    expect(() => makeOptimizer('adadelta', { rho: 1.5 }, 'compile.optimizer')).toThrow(/compile.optimizer.*rho must be in \[0, 1\)\. Received: rho=1.5/);
  });

  it('reports a schedule or optimizer option the SDK refuses as a usage error (exit 2), naming the flag', () => {
    const refused = (make: () => unknown) => {
      try {
        make();
      } catch (err) {
        return err;
      }
      throw new Error('expected an error');
    };
    const typo = refused(() => makeSchedule({ name: 'cosineDecay', args: { decaystep: 10 } }, 0.001, '--lr-schedule'));
    expect(typo).toBeInstanceOf(UsageError);
    expect((typo as UsageError).message).toMatch(/^--lr-schedule: .*has no option 'decaystep'; did you mean 'decaySteps'\?/);
    expect((typo as UsageError).helpCommand).toBe('kerasm train --help');
    expect(refused(() => makeOptimizer('adadelta', { rho: 1.5 }, 'exp.json: compile.optimizer'))).toBeInstanceOf(UsageError);
  });
});
