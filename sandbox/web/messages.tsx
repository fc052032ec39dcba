// The message pane: messages as Slack lays them out (avatar, name, APP badge, time; one header
// for a run of messages from the same author), ephemerals marked "Only visible to you",
// day dividers in the viewer's time zone, and files shared with a message.
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { Message, User } from './api.js';
import { Blocks, type SurfaceProps } from './blocks.js';
import { Mrkdwn } from './mrkdwn.js';

export interface Author {
  name: string;
  isApp: boolean;
  initials: string;
  color: string;
}

export function Avatar({ author, size = 36 }: { author: Author; size?: number }): JSX.Element {
  if (author.isApp) {
    return (
      <span class="avatar avatar-app" style={{ width: `${size}px`, height: `${size}px`, background: author.color }} aria-hidden="true">
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          width={size * 0.62}
          height={size * 0.62}
          fill="none"
          stroke="white"
          stroke-width="2.4"
          stroke-linecap="round"
        >
          <path d="M5 19V12M10 19V7M15 19v-5M20 19V4" />
        </svg>
      </span>
    );
  }
  return (
    <span
      class="avatar"
      style={{ width: `${size}px`, height: `${size}px`, background: author.color, fontSize: `${Math.round(size * 0.4)}px` }}
      aria-hidden="true"
    >
      {author.initials}
    </span>
  );
}

const tsDate = (ts: string) => new Date(Number(ts.split('.')[0]) * 1000);

interface MessageListProps {
  messages: Message[];
  viewer: User;
  authorOf(userId: string): Author;
  surfaceFor(message: Message): Omit<SurfaceProps, 'surface'>;
  emptyText: string;
}

export function MessageList({ messages, viewer, authorOf, surfaceFor, emptyText }: MessageListProps): JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const seen = useRef<Set<string> | null>(null);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
    // Messages go by their time: after the sandbox clock was set back, a new one lands above
    // those posted "later". Show it where it landed.
    const fresh = seen.current === null ? [] : messages.filter((message) => !seen.current!.has(message.ts));
    seen.current = new Set(messages.map((message) => message.ts));
    const landed = fresh.at(-1);
    if (element && landed !== undefined && landed !== messages.at(-1)) {
      element.querySelector(`[data-ts="${CSS.escape(landed.ts)}"]`)?.scrollIntoView({ block: 'nearest' });
      // Away from the bottom on purpose: an image loading below must not scroll back down
      // before the scroll event says so.
      atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
    }
  }, [messages]);
  useEffect(() => {
    // Images load after layout: keep the newest message in view while they do.
    const element = scroller.current;
    if (!element) return;
    const onLoad = () => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
    };
    element.addEventListener('load', onLoad, true);
    return () => element.removeEventListener('load', onLoad, true);
  }, []);

  const day = new Intl.DateTimeFormat('en-US', { timeZone: viewer.tz, weekday: 'long', month: 'long', day: 'numeric' });
  const time = new Intl.DateTimeFormat('en-US', { timeZone: viewer.tz, hour: 'numeric', minute: '2-digit' });
  let lastDay = '';
  let lastAuthor = '';
  let lastAt = 0;
  return (
    <div
      class="messages"
      ref={scroller}
      onScroll={(event) => {
        const element = event.currentTarget as HTMLDivElement;
        atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
      }}
    >
      {messages.length === 0 && <div class="messages-empty">{emptyText}</div>}
      {messages.map((message) => {
        const at = tsDate(message.ts);
        const thisDay = day.format(at);
        const divider = thisDay !== lastDay;
        const continued = !divider && !message.ephemeral && lastAuthor === message.user && at.getTime() - lastAt < 5 * 60_000;
        lastDay = thisDay;
        lastAuthor = message.ephemeral ? '' : message.user;
        lastAt = at.getTime();
        const author = authorOf(message.user);
        return (
          <>
            {divider && (
              <div class="day-divider" key={`day-${thisDay}`}>
                <span>{thisDay}</span>
              </div>
            )}
            <article
              key={`${message.source}-${message.ts}`}
              class={`message${message.ephemeral ? ' message-ephemeral' : ''}${continued ? ' message-continued' : ''}`}
              data-ts={message.ts}
            >
              {message.ephemeral && (
                <div class="ephemeral-label">
                  <svg viewBox="0 0 24 24" width="14" height="14" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
                    <path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z" />
                    <circle cx="12" cy="12" r="3" />
                  </svg>
                  Only visible to you
                </div>
              )}
              <div class="message-row">
                <div class="message-gutter">
                  {continued ? (
                    <span class="message-hover-time">{time.format(at).replace(/ [AP]M$/, '')}</span>
                  ) : (
                    <Avatar author={author} />
                  )}
                </div>
                <div class="message-main">
                  {!continued && (
                    <div class="message-meta">
                      <span class="message-author">{author.name}</span>
                      {author.isApp && <span class="app-badge">APP</span>}
                      <time class="message-time">{time.format(at)}</time>
                    </div>
                  )}
                  <MessageBody message={message} surface={surfaceFor(message)} />
                </div>
              </div>
            </article>
          </>
        );
      })}
    </div>
  );
}

function MessageBody({ message, surface }: { message: Message; surface: Omit<SurfaceProps, 'surface'> }): JSX.Element {
  return (
    <div class="message-body">
      {message.blocks && message.blocks.length > 0 ? (
        <Blocks blocks={message.blocks} surface="message" {...surface} />
      ) : (
        <Mrkdwn text={message.text} />
      )}
      {message.edited && !message.ephemeral && <span class="message-edited">(edited)</span>}
      {message.files?.map((file) =>
        file.mimetype.startsWith('image/') ? (
          <figure key={file.id} class="bk-image">
            <figcaption class="bk-image-title">{file.title}</figcaption>
            <img src={file.url_private} alt={file.title} />
          </figure>
        ) : (
          <a key={file.id} class="file-chip" href={file.url_private} target="_blank" rel="noreferrer">
            <span class="file-icon">📄</span>
            <span>
              <b>{file.title}</b>
              <br />
              <small>{file.name}</small>
            </span>
          </a>
        ),
      )}
    </div>
  );
}
