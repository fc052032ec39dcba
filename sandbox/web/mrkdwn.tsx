// Slack's mrkdwn as Slack renders it: *bold*, _italic_, ~strike~, `code`, ```blocks```,
// > quotes, <links|labels>, <@user> and <#channel> mentions shown by name, <!here>,
// :emoji: shortcodes, and the &amp; &lt; &gt; escapes.
import type { ComponentChildren, JSX } from 'preact';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { emoji } from './emoji.js';

export interface Directory {
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
}

export const DirectoryContext = createContext<Directory>({ userName: () => undefined, channelName: () => undefined });

const decode = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

// Order matters: code spans and <...> tokens first, so their insides stay as they are.
const INLINE = new RegExp(
  [
    '`([^`\\n]+)`',
    '<([^<>\\n]+)>',
    ':([a-z0-9_+-]+(?:::skin-tone-\\d)?):',
    '(?<![\\p{L}\\p{N}])\\*(?!\\s)([^*\\n]+?)(?<!\\s)\\*(?![\\p{L}\\p{N}])',
    '(?<![\\p{L}\\p{N}])_(?!\\s)([^_\\n]+?)(?<!\\s)_(?![\\p{L}\\p{N}])',
    '(?<![\\p{L}\\p{N}])~(?!\\s)([^~\\n]+?)(?<!\\s)~(?![\\p{L}\\p{N}])',
  ].join('|'),
  'gu',
);

function Inline({ text }: { text: string }): JSX.Element {
  const directory = useContext(DirectoryContext);
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const at = match.index ?? 0;
    if (at > last) parts.push(decode(text.slice(last, at)));
    const [whole, code, angle, shortcode, bold, italic, strike] = match;
    if (code !== undefined) parts.push(<code class="md-code">{decode(code)}</code>);
    else if (angle !== undefined) parts.push(angleToken(angle, directory));
    else if (shortcode !== undefined) parts.push(emoji(shortcode) ?? whole);
    else if (bold !== undefined)
      parts.push(
        <b>
          <Inline text={bold} />
        </b>,
      );
    else if (italic !== undefined)
      parts.push(
        <i>
          <Inline text={italic} />
        </i>,
      );
    else if (strike !== undefined)
      parts.push(
        <s>
          <Inline text={strike} />
        </s>,
      );
    last = at + whole.length;
  }
  if (last < text.length) parts.push(decode(text.slice(last)));
  return <>{parts}</>;
}

function angleToken(token: string, directory: Directory): ComponentChildren {
  const [target = '', label] = token.split('|', 2) as [string, string | undefined];
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return <span class="mention">@{directory.userName(id) ?? label ?? id}</span>;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return <span class="mention">#{directory.channelName(id) ?? label ?? id}</span>;
  }
  if (target.startsWith('!')) {
    const [special = ''] = target.slice(1).split('^');
    if (['here', 'channel', 'everyone'].includes(special)) return <span class="mention mention-broadcast">@{special}</span>;
    return label ?? special;
  }
  const href = decode(target);
  const safe = /^(https?:|mailto:)/i.test(href) ? href : undefined;
  return (
    <a href={safe} target="_blank" rel="noreferrer">
      {label === undefined ? href : <Inline text={label} />}
    </a>
  );
}

/** Renders a mrkdwn string. */
export function Mrkdwn({ text }: { text: string }): JSX.Element {
  const pieces = text.split(/```([\s\S]*?)```/g);
  return (
    <div class="md">
      {pieces.map((piece, index) =>
        index % 2 === 1 ? <pre class="md-pre">{decode(piece.replace(/^\n/, ''))}</pre> : <Lines key={index} text={piece} />,
      )}
    </div>
  );
}

function Lines({ text }: { text: string }): JSX.Element {
  const lines = text.split('\n');
  const groups: Array<{ quote: boolean; lines: string[] }> = [];
  for (const line of lines) {
    const quoted = /^(&gt;|>) ?/.exec(line);
    const quote = quoted !== null;
    const content = quote ? line.slice(quoted[0].length) : line;
    const lastGroup = groups.at(-1);
    if (lastGroup && lastGroup.quote === quote) lastGroup.lines.push(content);
    else groups.push({ quote, lines: [content] });
  }
  return (
    <>
      {groups.map((group, index) => {
        const body = group.lines.map((line, i) => (
          <>
            {i > 0 && <br />}
            <Inline text={line} />
          </>
        ));
        return group.quote ? (
          <blockquote key={index} class="md-quote">
            {body}
          </blockquote>
        ) : (
          <span key={index}>{body}</span>
        );
      })}
    </>
  );
}

/** A Block Kit text object: mrkdwn, or plain text with :emoji: shortcodes when emoji is on. */
export function TextObject({ text }: { text: { type: string; text: string; emoji?: boolean } | undefined }): JSX.Element | null {
  if (text === undefined) return null;
  if (text.type === 'mrkdwn') return <Mrkdwn text={text.text} />;
  return <span class="plain">{text.emoji === false ? text.text : plainWithEmoji(text.text)}</span>;
}

export function plainWithEmoji(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => emoji(name) ?? whole);
}
