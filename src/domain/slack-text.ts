// Slack reads `&`, `<` and `>` as control characters in message text and sends them to
// apps as the entities `&amp;`, `&lt;`, `&gt;`
// (https://api.slack.com/reference/surfaces/formatting#escaping). Text typed by a user is
// unescaped once on the way in, stored as typed, and escaped on the way out, so a
// customer called `<!channel>` pings nobody (SPEC 6).

export function escapeSlackText(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function unescapeSlackText(s: string): string {
  return s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}
