import { describe, expect, it } from 'vitest';
import { clipText, escapeSlackText, quoteInput, unescapeSlackText } from '../../src/domain/slack-text.js';

describe('escapeSlackText', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['a & b', 'a &amp; b'],
    ['<@U123ABC>', '&lt;@U123ABC&gt;'],
    ['&lt;', '&amp;lt;'],
    ['Acme Corp', 'Acme Corp'],
    ['', ''],
  ])('%j -> %j', (text, escaped) => {
    expect(escapeSlackText(text)).toBe(escaped);
  });
});

describe('unescapeSlackText', () => {
  it.each([
    ['&lt;!channel&gt;', '<!channel>'],
    ['AT&amp;T', 'AT&T'],
    ['&amp;lt;', '&lt;'],
    ['Acme Corp', 'Acme Corp'],
  ])('%j -> %j', (text, unescaped) => {
    expect(unescapeSlackText(text)).toBe(unescaped);
  });

  it.each(['<!channel>', 'a & b', '&lt; &amp;gt;'])('undoes escapeSlackText for %j', (text) => {
    expect(unescapeSlackText(escapeSlackText(text))).toBe(text);
  });
});

describe('quoteInput', () => {
  it.each([
    ['east', 10, 'east'],
    ['0123456789', 10, '0123456789'],
    ['0123456789a', 10, '012345678…'],
    ['<!channel>', 80, '&lt;!channel&gt;'],
    // Cut before escaping: no entity is cut in two.
    ['a<b<c<d', 4, 'a&lt;b…'],
    ['&&&&&&', 3, '&amp;&amp;…'],
    // Whole characters: an emoji is not cut in half.
    ['😀😀😀😀', 3, '😀😀…'],
    ['x'.repeat(10_000), 80, `${'x'.repeat(79)}…`],
  ])('%j cut at %i -> %j', (text, max, quoted) => {
    expect(quoteInput(text, max)).toBe(quoted);
  });
});

describe('clipText', () => {
  it.each([
    ['short', 10, 'short'],
    ['abcdef', 6, 'abcdef'],
    ['abcdefg', 6, 'abcde…'],
    // A surrogate pair the cut would split is dropped whole.
    ['abcd😀xyz', 6, 'abcd…'],
    ['x'.repeat(3_500), 3_000, `${'x'.repeat(2_999)}…`],
  ])('%j cut at %i -> %j', (text, max, clipped) => {
    expect(clipText(text, max)).toBe(clipped);
    expect(clipText(text, max).length).toBeLessThanOrEqual(max);
  });
});
