// The sandbox page: a Slack workspace with Tally installed. Sidebar (workspace, who you are,
// channels, the app), channel header, messages, the message box, modals, App Home, and the
// sandbox's own controls (the clock, "Run the digest tick now"). Live through server-sent events.
import type { JSX } from 'preact';
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { viewValues, type ElementState, type OptionObject, type ViewValues } from '../shared/view-state.js';
import { api, type ElementAction, type Message, type View, type Workspace } from './api.js';
import { Blocks, type ConfirmDialog, type SurfaceProps } from './blocks.js';
import { Composer } from './composer.js';
import { Avatar, MessageList, type Author } from './messages.js';
import { DirectoryContext, Mrkdwn, TextObject, plainWithEmoji, type Directory } from './mrkdwn.js';

type Place = { kind: 'channel'; id: string } | { kind: 'app'; tab: 'home' | 'messages' | 'about' };

interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

const COLORS = ['#e01e5a', '#2eb67d', '#ecb22e', '#36c5f0', '#9b59b6', '#e67e22', '#1264a3', '#007a5a', '#c0392b', '#5b4fc4', '#d35400'];

function readPlace(): { user?: string; place?: Place } {
  const params = new URLSearchParams(location.hash.slice(1));
  const user = params.get('user') ?? undefined;
  const channel = params.get('channel');
  const app = params.get('app');
  const place: Place | undefined = channel
    ? { kind: 'channel', id: channel }
    : app === 'home' || app === 'messages' || app === 'about'
      ? { kind: 'app', tab: app }
      : undefined;
  return { ...(user ? { user } : {}), ...(place ? { place } : {}) };
}

function writePlace(user: string, place: Place): void {
  const params = new URLSearchParams({ user, ...(place.kind === 'channel' ? { channel: place.id } : { app: place.tab }) });
  history.replaceState(null, '', `#${params.toString()}`);
}

function App(): JSX.Element {
  const [workspace, setWorkspace] = useState<Workspace | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    api.workspace().then(setWorkspace, (error: unknown) => setLoadError(String(error)));
  }, []);
  if (loadError) return <div class="loading">The sandbox is not answering: {loadError}</div>;
  if (!workspace) return <div class="loading">Loading the sandbox…</div>;
  return <Sandbox workspace={workspace} />;
}

function Sandbox({ workspace }: { workspace: Workspace }): JSX.Element {
  useEffect(() => document.documentElement.style.setProperty('--app-color', workspace.app.color), [workspace]);
  const initial = readPlace();
  const [userId, setUserId] = useState(() => {
    const wanted = initial.user ?? localStorage.getItem('sandbox.user');
    return workspace.users.find((user) => user.id === wanted)?.id ?? workspace.users[0]!.id;
  });
  const [place, setPlace] = useState<Place>(initial.place ?? { kind: 'channel', id: workspace.channels[0]!.id });
  const [messages, setMessages] = useState<Message[]>([]);
  const [modals, setModals] = useState<View[]>([]);
  const [home, setHome] = useState<View | null>(null);
  const [homeLoaded, setHomeLoaded] = useState(false);
  const [clock, setClock] = useState(workspace.clock);
  const clockOffset = useSandboxOffset(clock);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [notices, setNotices] = useState<Message[]>([]);
  const [confirmation, setConfirmation] = useState<{ dialog: ConfirmDialog; resolve(ok: boolean): void } | null>(null);
  const modalValues = useRef<Record<string, ViewValues>>({});
  const [modalErrors, setModalErrors] = useState<Record<string, Record<string, string>>>({});
  const [, setValuesVersion] = useState(0);
  const [submitting, setSubmitting] = useState(false);

  const user = workspace.users.find((candidate) => candidate.id === userId)!;
  const channelId = place.kind === 'channel' ? place.id : user.dm;
  const showsConversation = place.kind === 'channel' || place.tab === 'messages';

  useEffect(() => {
    localStorage.setItem('sandbox.user', userId);
    writePlace(userId, place);
  }, [userId, place]);
  // A link such as #user=U0RITA&channel=C0SALES switches person and place.
  useEffect(() => {
    const follow = () => {
      const wanted = readPlace();
      if (wanted.user && workspace.users.some((person) => person.id === wanted.user)) setUserId(wanted.user);
      if (wanted.place) setPlace(wanted.place);
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [workspace]);

  const toast = useCallback((text: string, tone: Toast['tone'] = 'info') => {
    const id = Date.now() + Math.random();
    setToasts((all) => [...all, { id, text, tone }]);
    setTimeout(() => setToasts((all) => all.filter((item) => item.id !== id)), tone === 'error' ? 9000 : 5000);
  }, []);

  // What this person sees now; refreshed on every change the stand-in reports.
  const refresh = useCallback(async () => {
    const [conversation, surfaces] = await Promise.all([api.conversation(userId, channelId), api.surfaces(userId)]);
    setMessages(conversation.messages);
    setModals(surfaces.modals);
    setHome(surfaces.home);
    setHomeLoaded(true);
    for (const view of surfaces.modals) modalValues.current[view.id] = viewValues(view.blocks, modalValues.current[view.id]);
    setValuesVersion((version) => version + 1);
  }, [userId, channelId]);

  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | undefined;
    const events = new EventSource('/sandbox/api/events');
    events.onmessage = (event: MessageEvent<string>) => {
      const change = JSON.parse(event.data) as { kind: string };
      if (change.kind === 'clock') void api.workspace().then((fresh) => setClock(fresh.clock));
      clearTimeout(pending);
      pending = setTimeout(() => void refreshRef.current(), 30);
    };
    return () => events.close();
  }, []);

  // Opening the app's Home or Messages tab tells the app (app_home_opened), as Slack does.
  useEffect(() => {
    if (place.kind !== 'app' || place.tab === 'about') return;
    setHomeLoaded(false);
    api.homeOpened(userId, place.tab).then(
      (outcome) => outcome.ok || toast(`Slack could not reach Tally: ${outcome.error}`, 'error'),
      (error: unknown) => toast(String(error), 'error'),
    );
  }, [userId, place.kind === 'app' ? place.tab : '']);

  const directory = useMemo<Directory>(
    () => ({
      userName: (id) =>
        id === workspace.app.botUserId ? workspace.app.botName : workspace.users.find((candidate) => candidate.id === id)?.realName,
      channelName: (id) =>
        workspace.channels.find((candidate) => candidate.id === id)?.name ??
        (workspace.users.some((candidate) => candidate.dm === id) ? 'direct message' : undefined),
    }),
    [workspace],
  );

  const authorOf = useCallback(
    (id: string): Author => {
      if (id === workspace.app.botUserId || id === 'USLACKBOT') {
        return {
          name: id === 'USLACKBOT' ? 'Slackbot' : workspace.app.botName,
          isApp: id !== 'USLACKBOT',
          initials: 'S',
          color: id === 'USLACKBOT' ? '#4a154b' : workspace.app.color,
        };
      }
      const index = workspace.users.findIndex((candidate) => candidate.id === id);
      const person = workspace.users[index];
      const name = person?.realName ?? id;
      const initials = name
        .split(/\s+/)
        .map((part) => part[0])
        .join('')
        .slice(0, 2)
        .toUpperCase();
      return { name, isApp: false, initials, color: COLORS[Math.max(0, index) % COLORS.length]! };
    },
    [workspace],
  );

  const confirm = useCallback((dialog: ConfirmDialog) => new Promise<boolean>((resolve) => setConfirmation({ dialog, resolve })), []);

  /** Slack shows a failed command or click as a message from Slackbot only you can see. */
  const slackbotSays = useCallback(
    (text: string) => {
      // Stamped on the sandbox clock, as the stand-in stamps every other message.
      const ts = ((Date.now() + clockOffset) / 1000).toFixed(6);
      setNotices((all) => [...all, { ts, channel: channelId, user: 'USLACKBOT', ephemeral: true, source: 'local', text, edited: false }]);
    },
    [channelId, clockOffset],
  );

  const common: Omit<SurfaceProps, 'surface' | 'onAction'> = {
    confirm,
    users: workspace.users.map(({ id, realName }) => ({ id, realName })),
    channels: workspace.channels.map(({ id, name }) => ({ id, name })),
  };

  const sendAction = useCallback(
    async (placeOfAction: Parameters<typeof api.action>[1], action: ElementAction) => {
      const outcome = await api.action(userId, placeOfAction, action);
      if (!outcome.ok) toast(`Tally didn’t answer that click: ${outcome.error}`, 'error');
    },
    [userId],
  );

  const onSend = async (text: string) => {
    if (!text.startsWith('/')) {
      slackbotSays(`The sandbox only sends slash commands to Tally. Try \`/tally help\` or \`/logsale 1200 Acme\`.`);
      return;
    }
    const outcome = await api.command(userId, channelId, text);
    if (!outcome.ok) slackbotSays(outcome.error ?? 'That command failed.');
  };

  const setModalValue = (viewId: string) => (blockId: string, actionId: string, state: ElementState) => {
    const values = modalValues.current[viewId] ?? {};
    modalValues.current[viewId] = { ...values, [blockId]: { ...values[blockId], [actionId]: state } };
    setValuesVersion((version) => version + 1);
  };

  const topModal = modals.at(-1);
  const submitModal = async () => {
    if (!topModal || submitting) return;
    setSubmitting(true);
    try {
      const outcome = await api.submit(userId, topModal.id, modalValues.current[topModal.id] ?? {});
      if (!outcome.ok) toast(`We had some trouble connecting to Tally: ${outcome.error}`, 'error');
      setModalErrors((all) => ({ ...all, [topModal.id]: outcome.errors ?? {} }));
    } finally {
      setSubmitting(false);
    }
  };
  const closeModal = async () => {
    if (!topModal) return;
    setModals((all) => all.slice(0, -1));
    await api.close(userId, topModal.id, modalValues.current[topModal.id] ?? {});
  };

  const visible = [...messages, ...notices.filter((notice) => notice.channel === channelId)].sort((a, b) => Number(a.ts) - Number(b.ts));
  const channel = place.kind === 'channel' ? workspace.channels.find((candidate) => candidate.id === place.id) : undefined;
  const myChannels = workspace.channels.filter((candidate) => candidate.members.includes(userId));

  return (
    <DirectoryContext.Provider value={directory}>
      <div class="app">
        <TopBar workspace={workspace} clock={clock} setClock={setClock} toast={toast} />
        <div class="workspace">
          <aside class="sidebar">
            <div class="sidebar-header">
              <div class="workspace-name">{workspace.team.name}</div>
              <label class="user-switch">
                <span class="user-switch-label">Signed in as</span>
                <select
                  aria-label="Signed in as"
                  value={userId}
                  onChange={(event) => {
                    setUserId((event.currentTarget as HTMLSelectElement).value);
                    setNotices([]);
                  }}
                >
                  {workspace.users.map((person) => (
                    <option key={person.id} value={person.id}>
                      {person.realName} · {person.role}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <nav class="sidebar-nav">
              <div class="nav-section">Channels</div>
              {myChannels.map((item) => (
                <button
                  key={item.id}
                  type="button"
                  class={`nav-item${place.kind === 'channel' && place.id === item.id ? ' is-active' : ''}`}
                  onClick={() => setPlace({ kind: 'channel', id: item.id })}
                >
                  <span class="nav-hash">#</span> {item.name}
                </button>
              ))}
              <div class="nav-section">Apps</div>
              <button
                type="button"
                class={`nav-item${place.kind === 'app' ? ' is-active' : ''}`}
                onClick={() => setPlace({ kind: 'app', tab: workspace.app.homeTabEnabled ? 'home' : 'messages' })}
              >
                <Avatar author={authorOf(workspace.app.botUserId)} size={20} /> {workspace.app.name}
              </button>
            </nav>
            <div class="sidebar-me">
              <Avatar author={authorOf(userId)} size={32} />
              <div>
                <div class="me-name">{user.realName}</div>
                <div class="me-title">
                  {user.title} · {user.tz}
                </div>
              </div>
            </div>
          </aside>
          <main class="pane">
            {place.kind === 'channel' ? (
              <header class="pane-header">
                <div class="pane-title"># {channel?.name ?? place.id}</div>
                <div class="pane-topic">{channel?.topic}</div>
                <div class="pane-members" title="Members">
                  👥 {channel?.members.length ?? 0}
                </div>
              </header>
            ) : (
              <header class="pane-header pane-header-app">
                <div class="pane-title">
                  <Avatar author={authorOf(workspace.app.botUserId)} size={24} /> {workspace.app.name}
                </div>
                <div class="tabs" role="tablist">
                  {(['home', 'messages', 'about'] as const)
                    .filter((tab) =>
                      tab === 'home' ? workspace.app.homeTabEnabled : tab === 'messages' ? workspace.app.messagesTabEnabled : true,
                    )
                    .map((tab) => (
                      <button
                        key={tab}
                        type="button"
                        role="tab"
                        aria-selected={place.tab === tab}
                        class={`tab${place.tab === tab ? ' is-active' : ''}`}
                        onClick={() => setPlace({ kind: 'app', tab })}
                      >
                        {tab === 'home' ? 'Home' : tab === 'messages' ? 'Messages' : 'About'}
                      </button>
                    ))}
                </div>
              </header>
            )}
            {showsConversation && (
              <>
                <MessageList
                  messages={visible}
                  viewer={user}
                  authorOf={authorOf}
                  emptyText={
                    place.kind === 'channel'
                      ? `This is the very beginning of #${channel?.name ?? ''}.`
                      : `This is your direct message history with ${workspace.app.name}.`
                  }
                  surfaceFor={(message) => ({
                    ...common,
                    onAction: (action) => void sendAction({ kind: 'message', channelId, ts: message.ts }, action),
                  })}
                />
                <Composer
                  placeholder={place.kind === 'channel' ? `Message #${channel?.name ?? ''}` : `Message ${workspace.app.name}`}
                  commands={workspace.commands}
                  appName={workspace.app.name}
                  onSend={onSend}
                />
              </>
            )}
            {place.kind === 'app' && place.tab === 'home' && (
              <section class="home" aria-label="App Home">
                {home ? (
                  <Blocks
                    blocks={home.blocks}
                    surface="home"
                    {...common}
                    onAction={(action) => void sendAction({ kind: 'view', viewId: home.id, values: {} }, action)}
                  />
                ) : (
                  <div class="home-empty">
                    {homeLoaded ? `${workspace.app.name} has not published a Home tab for you yet.` : 'Loading…'}
                  </div>
                )}
              </section>
            )}
            {place.kind === 'app' && place.tab === 'about' && <About workspace={workspace} />}
          </main>
        </div>
        {topModal && (
          <Modal
            view={topModal}
            depth={modals.length}
            values={modalValues.current[topModal.id] ?? {}}
            errors={modalErrors[topModal.id] ?? {}}
            submitting={submitting}
            onSubmit={() => void submitModal()}
            onClose={() => void closeModal()}
            surface={{
              ...common,
              surface: 'modal',
              onAction: (action) =>
                void sendAction({ kind: 'view', viewId: topModal.id, values: modalValues.current[topModal.id] ?? {} }, action),
              values: modalValues.current[topModal.id] ?? {},
              onValue: setModalValue(topModal.id),
              errors: modalErrors[topModal.id] ?? {},
              loadOptions: async (blockId: string, actionId: string, query: string): Promise<OptionObject[]> => {
                const answer = await api.options(userId, topModal.id, blockId, actionId, query);
                return answer.options as OptionObject[];
              },
            }}
          />
        )}
        {confirmation && (
          <Confirm
            dialog={confirmation.dialog}
            onAnswer={(ok) => {
              confirmation.resolve(ok);
              setConfirmation(null);
            }}
          />
        )}
        <div class="toasts" aria-live="polite">
          {toasts.map((item) => (
            <div key={item.id} class={`toast toast-${item.tone}`} role="status">
              {item.text}
            </div>
          ))}
        </div>
      </div>
    </DirectoryContext.Provider>
  );
}

function TopBar({
  workspace,
  clock,
  setClock,
  toast,
}: {
  workspace: Workspace;
  clock: Workspace['clock'];
  setClock(clock: Workspace['clock']): void;
  toast(text: string, tone?: Toast['tone']): void;
}): JSX.Element {
  const zone = workspace.timezone;
  // The sandbox clock runs on from where it was set: keep the offset, show it ticking.
  const offset = useSandboxOffset(clock);
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((value) => value + 1), 15_000);
    return () => clearInterval(timer);
  }, []);
  const now = new Date(Date.now() + offset);
  const shown = shortDateTime(now, zone);
  const [local, setLocal] = useState(() => localInput(now, zone));
  const [running, setRunning] = useState(false);

  const setTime = async (value: string | null) => {
    try {
      const state = await api.setClock(value);
      setClock(state);
      setLocal(localInput(new Date(state.now), zone));
      toast(
        value === null ? 'The sandbox clock follows real time again.' : `The sandbox clock now reads ${value.replace('T', ' ')} (${zone}).`,
      );
    } catch (error) {
      toast(String(error), 'error');
    }
  };
  const runTick = async () => {
    setRunning(true);
    try {
      const result = await api.digestTick();
      const when = shortDateTime(new Date(result.at), zone);
      const parts = [
        `${result.posted} posted`,
        result.recovered ? `${result.recovered} recovered` : '',
        result.skipped ? `${result.skipped} skipped` : '',
        result.failed ? `${result.failed} failed` : '',
        result.not_claimed ? `${result.not_claimed} already claimed` : '',
      ];
      toast(
        `Digest tick at ${when}: ${parts.filter(Boolean).join(', ')}.${result.posted === 0 ? ' Nothing was due: digests post at their slot (default Monday 09:00) and once per slot.' : ''}`,
      );
    } catch (error) {
      toast(String(error), 'error');
    } finally {
      setRunning(false);
    }
  };

  return (
    <header class="topbar">
      <div class="topbar-brand">
        <span class="sandbox-badge">Sandbox</span>
        <span class="topbar-note">{workspace.app.name} with a local Slack stand-in</span>
      </div>
      <form
        class="clock"
        onSubmit={(event) => {
          event.preventDefault();
          void setTime(local);
        }}
      >
        <span class={`clock-now${clock.shifted ? ' is-shifted' : ''}`} title={`Sandbox time in ${zone}`}>
          🕘 {shown}
        </span>
        <input
          aria-label="Sandbox time"
          type="datetime-local"
          value={local}
          onInput={(event) => setLocal((event.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" class="topbar-button">
          Set time
        </button>
        <button type="button" class="topbar-button" disabled={!clock.shifted} onClick={() => void setTime(null)}>
          Real time
        </button>
      </form>
      <button type="button" class="topbar-button topbar-primary" disabled={running} onClick={() => void runTick()}>
        {running ? 'Running…' : 'Run the digest tick now'}
      </button>
    </header>
  );
}

/**
 * How far the sandbox clock is from this browser's, in ms. On real time, none when the two
 * agree within a few seconds (the server's "now" arrives a moment late); a server whose clock
 * reads another time is followed, as the stand-in stamps every message on it.
 */
function useSandboxOffset(clock: Workspace['clock']): number {
  return useMemo(() => {
    const offset = new Date(clock.now).getTime() - Date.now();
    return clock.shifted || Math.abs(offset) > SAME_CLOCK_MS ? offset : 0;
  }, [clock.now, clock.shifted]);
}

/** Clocks this close are the same clock seen across a request. */
const SAME_CLOCK_MS = 5_000;

/** A datetime-local value for an instant, on the wall clock of `zone`. */
/** A moment as the top bar shows it in the workspace's timezone: "Thu, Dec 3, 9:00 AM". */
function shortDateTime(at: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(at);
}

function localInput(at: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

interface ModalProps {
  view: View;
  depth: number;
  values: ViewValues;
  errors: Record<string, string>;
  submitting: boolean;
  surface: SurfaceProps;
  onSubmit(): void;
  onClose(): void;
}

function Modal({ view, depth, submitting, surface, onSubmit, onClose }: ModalProps): JSX.Element {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div
      class="overlay"
      role="dialog"
      aria-modal="true"
      aria-label={view.title?.text ?? 'Modal'}
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <form
        class="modal"
        aria-label={view.title?.text ?? 'Modal'}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <header class="modal-header">
          {depth > 1 && (
            <button type="button" class="modal-back" aria-label="Back" onClick={onClose}>
              ‹
            </button>
          )}
          <Avatar author={{ name: '', isApp: true, initials: '', color: 'var(--app-color)' }} size={28} />
          <h2 class="modal-title">{plainWithEmoji(view.title?.text ?? '')}</h2>
          <button type="button" class="modal-x" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div class="modal-body">
          <Blocks blocks={view.blocks} {...surface} />
        </div>
        <footer class="modal-footer">
          <button type="button" class="button" onClick={onClose}>
            {plainWithEmoji(view.close?.text ?? 'Cancel')}
          </button>
          {view.submit && (
            <button type="submit" class="button button-primary" disabled={submitting}>
              {plainWithEmoji(view.submit.text)}
            </button>
          )}
        </footer>
      </form>
    </div>
  );
}

function Confirm({ dialog, onAnswer }: { dialog: ConfirmDialog; onAnswer(ok: boolean): void }): JSX.Element {
  return (
    <div class="overlay overlay-confirm">
      <div class="modal modal-confirm" role="alertdialog" aria-label={dialog.title?.text ?? 'Are you sure?'}>
        <header class="modal-header">
          <h2 class="modal-title">{plainWithEmoji(dialog.title?.text ?? 'Are you sure?')}</h2>
        </header>
        <div class="modal-body">
          <TextObject text={dialog.text} />
        </div>
        <footer class="modal-footer">
          <button type="button" class="button" onClick={() => onAnswer(false)}>
            {plainWithEmoji(dialog.deny?.text ?? 'Cancel')}
          </button>
          <button
            type="button"
            class={`button ${dialog.style === 'danger' ? 'button-danger' : 'button-primary'}`}
            onClick={() => onAnswer(true)}
          >
            {plainWithEmoji(dialog.confirm?.text ?? 'Yes')}
          </button>
        </footer>
      </div>
    </div>
  );
}

function About({ workspace }: { workspace: Workspace }): JSX.Element {
  return (
    <section class="about">
      <h2>{workspace.app.name}</h2>
      <p>{workspace.app.description}</p>
      <h3>Slash commands</h3>
      <ul class="about-commands">
        {workspace.commands.map((command) => (
          <li key={command.command}>
            <code>{command.command}</code> <span class="autocomplete-hint">{command.usage_hint}</span>
            <div>{command.description}</div>
          </li>
        ))}
      </ul>
      <h3>This sandbox</h3>
      <Mrkdwn
        text={`Workspace *${workspace.team.name}* · timezone *${workspace.timezone}* · currency *${workspace.currency}*. Every request to ${workspace.app.name} is signed as Slack signs it, and the stand-in enforces Slack's Block Kit limits, trigger expiry and rate limits.`}
      />
    </section>
  );
}

render(<App />, document.getElementById('root')!);
