// Slack reads `&`, `<` and `>` as control characters in message text and sends them to
// apps as the entities `&amp;`, `&lt;`, `&gt;`
// (https://api.slack.com/reference/surfaces/formatting#escaping). Text typed by a user is
// unescaped once on the way in, stored as typed, and escaped on the way out, so a
// customer called `<!channel>` pings nobody (docs/rules.md#security).

export function escapeSlackText(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function unescapeSlackText(s: string): string {
  return s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** How much of what a person typed a reply shows back (a name or word, not a whole text). */
export const QUOTE_MAX = 80;

/**
 * Text a person typed, shown back in a reply: cut to `max` characters with "…" (whole code
 * points, before escaping, so no entity is cut in two), then escaped.
 */
export function quoteInput(text: string, max = QUOTE_MAX): string {
  const chars = Array.from(text);
  return escapeSlackText(chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text);
}

/** Cuts a finished text to `max` characters with "…" at the end (a last resort for Slack's limits). */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text.slice(0, max - 1));
  // A surrogate pair cut in two by slice leaves half a character: drop it.
  if (/[\uD800-\uDBFF]$/.test(chars.at(-1) ?? '')) chars.pop();
  return `${chars.join('')}…`;
}
