import { describe, expect, it } from 'vitest';
import * as schedules from './index.js';

// Values worked out by hand from Keras' documented formulas.
describe('learning-rate schedules', () => {
  it('exponentialDecay: smooth and staircase', () => {
    const smooth = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect(smooth.at(0)).toBe(0.1);
    expect(smooth.at(10)).toBeCloseTo(0.05, 15);
    expect(smooth.at(5)).toBeCloseTo(0.1 / Math.SQRT2, 15);
    const stairs = schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect(stairs.at(19)).toBeCloseTo(0.05, 15);
    expect(stairs.at(20)).toBeCloseTo(0.025, 15);
  });

  it('inverseTimeDecay', () => {
    const s = schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    expect(s.at(2)).toBeCloseTo(0.05, 15);
    const stairs = schedules.inverseTimeDecay({ initialLearningRate: 1, decaySteps: 4, decayRate: 1, staircase: true });
    expect(stairs.at(3)).toBe(1);
    expect(stairs.at(4)).toBe(0.5);
  });

  it('piecewiseConstantDecay: a boundary step keeps the earlier value', () => {
    const s = schedules.piecewiseConstantDecay({ boundaries: [100, 200], values: [1, 0.5, 0.1] });
    expect([0, 100, 101, 200, 201, 1e6].map((t) => s.at(t))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
  });

  it('polynomialDecay: linear, squared, held at the end, and cycling', () => {
    const linear = schedules.polynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0 });
    expect(linear.at(5)).toBe(0.5);
    expect(linear.at(50)).toBe(0);
    const squared = schedules.polynomialDecay({ initialLearningRate: 1.1, decaySteps: 10, endLearningRate: 0.1, power: 2 });
    expect(squared.at(5)).toBeCloseTo(0.35, 15);
    const cycling = schedules.polynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0, cycle: true });
    expect(cycling.at(15)).toBeCloseTo(0.25, 15); // second period is 20 steps long
  });

  it('cosineDecay: halfway, alpha floor, and linear warmup', () => {
    const s = schedules.cosineDecay({ initialLearningRate: 0.2, decaySteps: 100 });
    expect(s.at(50)).toBeCloseTo(0.1, 15);
    expect(s.at(100)).toBeCloseTo(0, 15);
    expect(schedules.cosineDecay({ initialLearningRate: 0.2, decaySteps: 100, alpha: 0.1 }).at(500)).toBeCloseTo(0.02, 15);
    const warm = schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 1, warmupSteps: 10 });
    expect(warm.at(5)).toBe(0.5);
    expect(warm.at(10)).toBe(1);
    expect(warm.at(60)).toBeCloseTo(0.5, 15);
  });

  it('cosineDecayRestarts: restarts with longer periods and lower peaks', () => {
    const s = schedules.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 2, mMul: 0.5 });
    expect(s.at(5)).toBeCloseTo(0.5, 12);
    expect(s.at(10)).toBeCloseTo(0.5, 12); // restart: peak halved
    expect(s.at(20)).toBeCloseTo(0.25, 12); // halfway through the 20-step second period
    expect(s.at(30)).toBeCloseTo(0.25, 12); // third period starts, peak 0.25
    const even = schedules.cosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 1 });
    expect(even.at(15)).toBeCloseTo(0.5, 12);
  });

  it('bad options name what was received and what is expected', () => {
    expect(() => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 })).toThrow(/ExponentialDecay: decaySteps must be a positive number of steps. Received: decaySteps=0/);
    expect(() => schedules.piecewiseConstantDecay({ boundaries: [10], values: [1] })).toThrow(/values must have one more entry than boundaries. Received: boundaries=\[10\], values=\[1\]/);
    expect(() => schedules.piecewiseConstantDecay({ boundaries: [10, 5], values: [1, 2, 3] })).toThrow(/strictly increasing. Received: boundaries=\[10, 5\]/);
    expect(() => schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 2 })).toThrow(/CosineDecay: alpha must be in \[0, 1\]. Received: alpha=2/);
    expect(() => schedules.cosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: -1 })).toThrow(/tMul must be a positive number. Received: tMul=-1/);
    expect(() => schedules.polynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, power: 0 })).toThrow(/power must be a positive number. Received: power=0/);
  });
});
