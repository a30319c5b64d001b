// What StringLookup and TextVectorization share: reading and setting the vocabulary they map tokens through.
import type { IndexOutputMode } from './index_output.js';
import type { Tensor } from '../tensor.js';
import { StringLayer } from './string_layer.js';
import type { StringVocabulary } from './string_vocabulary.js';

/** A string layer that maps tokens to indices through a vocabulary, given or learned by `adapt`. */
export abstract class VocabularyLayer<Output = Tensor> extends StringLayer<Output> {
  /** The vocabulary, made by the layer's constructor. */
  protected abstract get vocabularyTable(): StringVocabulary;

  get maxTokens(): number | null {
    return this.vocabularyTable.maxTokens;
  }

  get outputMode(): IndexOutputMode {
    return this.vocabularyTable.outputMode;
  }

  get padToMaxTokens(): boolean {
    return this.vocabularyTable.padToMaxTokens;
  }

  /**
   * Replaces the vocabulary: the tokens in index order, without the special tokens or with them
   * first as {@link getVocabulary} lists them, or (in Node.js) the path of a text file with one
   * token a line; with outputMode 'tf_idf', `idfWeights` gives each token's weight. The layer then refuses `adapt`, so a vocabulary set on purpose is never
   * re-learned by mistake (Keras refuses `adapt` after the `vocabulary` option only).
   * @example `lookup.setVocabulary(['cat', 'dog']); // a StringLookup: '[UNK]' → 0, 'cat' → 1, 'dog' → 2`
   */
  setVocabulary(vocabulary: readonly string[] | string, idfWeights?: readonly number[]): void {
    this.vocabularyTable.set(vocabulary, idfWeights);
  }

  /**
   * Every token by its index: the special tokens first (the mask token in 'int' mode, which is
   * TextVectorization's padding '', then the out-of-vocabulary token, once per OOV index), then the vocabulary; only
   * the vocabulary with `includeSpecialTokens` false.
   */
  getVocabulary(includeSpecialTokens = true): string[] {
    return includeSpecialTokens ? this.vocabularyTable.all() : [...this.vocabularyTable.learned];
  }

  /** How many indices the layer outputs, special ones included (Keras' vocabulary_size): an Embedding's `inputDim`. */
  vocabularySize(): number {
    return this.vocabularyTable.all().length;
  }
}
