import { describe, expect, it } from 'vitest';
import { didYouMean, likelyMeant } from './did_you_mean.js';

describe('likelyMeant', () => {
  it('guesses a near spelling, a unique prefix, or another case, and nothing when far', () => {
    expect(likelyMeant('trian', ['train', 'evaluate', 'predict', 'summary'])).toBe('train');
    expect(likelyMeant('epoch', ['epochs', 'batch-size', 'units'])).toBe('epochs');
    expect(likelyMeant('expand', ['json', 'expand-nested', 'show-trainable'])).toBe('expand-nested');
    expect(likelyMeant('batch_size', ['epochs', 'batch-size'])).toBe('batch-size');
    expect(likelyMeant('dnese', ['dense', 'dropout'])).toBe('dense');
    expect(likelyMeant('fit', ['train', 'evaluate', 'predict', 'summary'])).toBeUndefined();
  });

  it('ends the sentence with the guess, or a period', () => {
    expect(didYouMean('trian', ['train'])).toBe("; did you mean 'train'?");
    expect(didYouMean('epoch', ['epochs'], (n) => `'--${n}'`)).toBe("; did you mean '--epochs'?");
    expect(didYouMean('zzz', ['train'])).toBe('.');
  });
});
