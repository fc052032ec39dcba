// The message box. A leading "/" lists the app's slash commands with their usage hints from
// manifest.yml, as Slack's autocomplete does; Tab or a click completes one; Enter sends.
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Command } from './api.js';

interface ComposerProps {
  placeholder: string;
  commands: Command[];
  appName: string;
  disabled?: boolean;
  onSend(text: string): Promise<void>;
}

export function Composer({ placeholder, commands, appName, disabled, onSend }: ComposerProps): JSX.Element {
  const [text, setText] = useState('');
  const [selected, setSelected] = useState(0);
  const [sending, setSending] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);

  const typedCommand = /^(\/\S*)(\s|$)/.exec(text);
  const naming = typedCommand !== null && typedCommand[2] === '';
  const matches = naming ? commands.filter((command) => command.command.startsWith(typedCommand[1]!)) : [];
  const current = typedCommand && !naming ? commands.find((command) => command.command === typedCommand[1]) : undefined;

  const complete = (command: Command) => {
    setText(`${command.command} `);
    setSelected(0);
    box.current?.focus();
  };

  const send = async () => {
    const message = text.trim();
    if (message === '' || sending) return;
    setSending(true);
    try {
      await onSend(message);
      setText('');
    } finally {
      setSending(false);
      box.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setSelected((index) => (index + (event.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      const choice = matches[Math.min(selected, matches.length - 1)];
      if (event.key === 'Tab' && choice) {
        event.preventDefault();
        complete(choice);
        return;
      }
      if (event.key === 'Enter' && !event.shiftKey && choice && choice.command !== typedCommand?.[1]) {
        event.preventDefault();
        complete(choice);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <div class="composer-wrap">
      {matches.length > 0 && (
        <div class="autocomplete" role="listbox" aria-label="Slash commands">
          <div class="autocomplete-title">Commands matching “{typedCommand?.[1]}”</div>
          {matches.map((command, index) => (
            <button
              key={command.command}
              type="button"
              role="option"
              aria-selected={index === selected}
              class={`autocomplete-item${index === selected ? ' is-selected' : ''}`}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => complete(command)}
            >
              <span class="autocomplete-command">
                <b>{command.command}</b> <span class="autocomplete-hint">{command.usage_hint}</span>
              </span>
              <span class="autocomplete-description">{command.description}</span>
              <span class="autocomplete-app">{appName}</span>
            </button>
          ))}
        </div>
      )}
      <div class={`composer${disabled ? ' is-disabled' : ''}`}>
        <textarea
          ref={box}
          class="composer-input"
          aria-label="Message"
          rows={1}
          placeholder={placeholder}
          value={text}
          disabled={disabled}
          onInput={(event) => {
            setText((event.currentTarget as HTMLTextAreaElement).value);
            setSelected(0);
          }}
          onKeyDown={onKeyDown}
        />
        <div class="composer-bar">
          <span class="composer-usage">
            {current ? (
              <>
                <b>{current.command}</b> {current.usage_hint}
              </>
            ) : (
              <>
                Type <b>/</b> for Tally’s commands
              </>
            )}
          </span>
          <button
            type="button"
            class="composer-send"
            aria-label="Send"
            disabled={text.trim() === '' || sending}
            onClick={() => void send()}
          >
            <svg viewBox="0 0 20 20" width="16" height="16" fill="currentColor" aria-hidden="true">
              <path d="M2.5 2.8 18 10 2.5 17.2l1.8-6.2L12 10 4.3 9z" />
            </svg>
          </button>
        </div>
      </div>
    </div>
  );
}
