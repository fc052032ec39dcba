import { describe, expect, it } from 'vitest';
import { escapeSlackText, unescapeSlackText } from '../../src/domain/slack-text.js';

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
