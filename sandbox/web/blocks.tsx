// Block Kit, rendered as Slack renders it on its three surfaces: messages, modals and App Home.
// Interactive elements report what the person did through `onAction` (a block_actions element
// as Slack would report it); in modals, inputs keep their values in `values`.
import type { ComponentChildren, JSX } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { ElementState, InteractiveElement, OptionObject, ViewValues } from '../shared/view-state.js';
import { findOption, initialState } from '../shared/view-state.js';
import type { Block, ElementAction, TextObject as Text } from './api.js';
import { DirectoryContext, Mrkdwn, TextObject, plainWithEmoji } from './mrkdwn.js';

export interface ConfirmDialog {
  title?: Text;
  text?: Text;
  confirm?: Text;
  deny?: Text;
  style?: 'primary' | 'danger';
}

export interface SurfaceProps {
  surface: 'message' | 'modal' | 'home';
  /** The person clicked or picked something: Slack sends block_actions. */
  onAction(action: ElementAction): void;
  /** Asks the person to confirm (the element's confirm dialog); resolves true to go on. */
  confirm(dialog: ConfirmDialog): Promise<boolean>;
  /** Input values (modals). */
  values?: ViewValues;
  onValue?(blockId: string, actionId: string, state: ElementState): void;
  /** Field errors by block id (response_action: errors). */
  errors?: Record<string, string>;
  loadOptions?(blockId: string, actionId: string, query: string): Promise<OptionObject[]>;
  /** People to pick from in users_select. */
  users: Array<{ id: string; realName: string }>;
  channels: Array<{ id: string; name: string }>;
}

export function Blocks({ blocks, ...surface }: { blocks: Block[] } & SurfaceProps): JSX.Element {
  return (
    <div class={`blocks blocks-${surface.surface}`}>
      {blocks.map((block, index) => (
        <BlockView key={block.block_id ?? index} block={block} blockId={block.block_id ?? `b${index}`} surface={surface} />
      ))}
    </div>
  );
}

type AnyBlock = Block & {
  text?: Text;
  fields?: Text[];
  accessory?: InteractiveElement;
  elements?: Array<Record<string, unknown>>;
  element?: InteractiveElement;
  label?: Text;
  hint?: Text;
  optional?: boolean;
  dispatch_action?: boolean;
  image_url?: string;
  slack_file?: { id?: string; url?: string };
  alt_text?: string;
  title?: Text;
};

function BlockView({ block: raw, blockId, surface }: { block: Block; blockId: string; surface: SurfaceProps }): JSX.Element {
  const block = raw as AnyBlock;
  switch (block.type) {
    case 'header':
      return (
        <div class="bk-header">
          <TextObject text={block.text} />
        </div>
      );
    case 'divider':
      return <hr class="bk-divider" />;
    case 'section':
      return (
        <div class="bk-section">
          <div class="bk-section-body">
            {block.text && (
              <div class="bk-section-text">
                <TextObject text={block.text} />
              </div>
            )}
            {block.fields && (
              <div class="bk-fields">
                {block.fields.map((field, index) => (
                  <div key={index} class="bk-field">
                    <TextObject text={field} />
                  </div>
                ))}
              </div>
            )}
          </div>
          {block.accessory && (
            <div class="bk-accessory">
              <Element element={block.accessory} blockId={blockId} surface={surface} />
            </div>
          )}
        </div>
      );
    case 'context':
      return (
        <div class="bk-context">
          {(block.elements ?? []).map((element, index) =>
            element.type === 'image' ? (
              <img key={index} class="bk-context-image" src={imageSource(element)} alt={String(element.alt_text ?? '')} />
            ) : (
              <span key={index} class="bk-context-text">
                <TextObject text={element as unknown as Text} />
              </span>
            ),
          )}
        </div>
      );
    case 'actions':
      return (
        <div class="bk-actions">
          {(block.elements ?? []).map((element, index) => (
            <Element key={String(element.action_id ?? index)} element={element as InteractiveElement} blockId={blockId} surface={surface} />
          ))}
        </div>
      );
    case 'image':
      return (
        <figure class="bk-image">
          {block.title && (
            <figcaption class="bk-image-title">
              <TextObject text={block.title} />
            </figcaption>
          )}
          <img src={imageSource(block)} alt={block.alt_text ?? ''} loading="eager" />
        </figure>
      );
    case 'input':
      return <InputBlock block={block} blockId={blockId} surface={surface} />;
    case 'rich_text':
      return (
        <div class="bk-rich-text">
          {(block.elements ?? []).map((element, index) => (
            <RichTextElement key={index} element={element} />
          ))}
        </div>
      );
    default:
      return <div class="bk-unsupported">This block type ({block.type}) is not shown in the sandbox.</div>;
  }
}

function imageSource(image: Record<string, unknown>): string {
  if (typeof image.image_url === 'string') return image.image_url;
  const file = image.slack_file as { id?: string; url?: string } | undefined;
  if (file?.id) return `/files/${encodeURIComponent(file.id)}/image`;
  return file?.url ?? '';
}

function InputBlock({ block, blockId, surface }: { block: AnyBlock; blockId: string; surface: SurfaceProps }): JSX.Element {
  const element = block.element;
  const error = surface.errors?.[blockId];
  const inputId = `input-${blockId}`;
  return (
    <div class={`bk-input${error ? ' has-error' : ''}`}>
      <label class="bk-input-label" for={inputId}>
        {plainWithEmoji(block.label?.text ?? '')}
        {block.optional && <span class="bk-optional"> (optional)</span>}
      </label>
      {element && (
        <Element element={element} blockId={blockId} surface={surface} inputId={inputId} dispatch={block.dispatch_action === true} />
      )}
      {error && (
        <div class="bk-error" role="alert">
          {error}
        </div>
      )}
      {block.hint && <div class="bk-hint">{plainWithEmoji(block.hint.text)}</div>}
    </div>
  );
}

interface ElementProps {
  element: InteractiveElement;
  blockId: string;
  surface: SurfaceProps;
  inputId?: string;
  /** An input block with dispatch_action: changes are sent to the app as block_actions. */
  dispatch?: boolean;
}

const optionText = (option: OptionObject) => plainWithEmoji(option.text.text);

function Element(props: ElementProps): JSX.Element | null {
  const { element, blockId, surface } = props;
  const actionId = element.action_id ?? '';
  const inModalInput = props.inputId !== undefined;
  const [local, setLocal] = useState<ElementState>(() => initialState(element));
  const state = inModalInput ? (surface.values?.[blockId]?.[actionId] ?? initialState(element)) : local;

  /** A new value: kept (modal inputs) and, outside inputs or with dispatch_action, sent to the app. */
  const change = (next: ElementState) => {
    if (inModalInput) surface.onValue?.(blockId, actionId, next);
    else setLocal(next);
    if (!inModalInput || props.dispatch) surface.onAction({ ...next, type: element.type, action_id: actionId, block_id: blockId });
  };

  switch (element.type) {
    case 'button':
      return <Button element={element} blockId={blockId} surface={surface} />;
    case 'image':
      return <img class="bk-accessory-image" src={imageSource(element)} alt={String(element.alt_text ?? '')} />;
    case 'overflow':
      return (
        <Overflow
          element={element}
          onPick={(option) => surface.onAction({ type: 'overflow', action_id: actionId, block_id: blockId, selected_option: option })}
        />
      );
    case 'static_select':
    case 'external_select': {
      const options = [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((group) => group.options)];
      if (element.type === 'external_select') {
        return (
          <ExternalSelect
            {...props}
            selected={state.selected_option ?? null}
            onPick={(option) => change({ type: element.type, selected_option: option })}
          />
        );
      }
      return (
        <select
          id={props.inputId}
          class="bk-select"
          value={state.selected_option?.value ?? ''}
          onChange={(event) => {
            const value = (event.currentTarget as HTMLSelectElement).value;
            change({ type: element.type, selected_option: value === '' ? null : (findOption(element, value) ?? null) });
          }}
        >
          <option value="">{element.placeholder?.text ?? 'Select an item'}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {optionText(option)}
            </option>
          ))}
        </select>
      );
    }
    case 'users_select':
      return (
        <select
          id={props.inputId}
          class="bk-select"
          value={state.selected_user ?? ''}
          onChange={(event) => {
            const value = (event.currentTarget as HTMLSelectElement).value;
            change({ type: element.type, selected_user: value === '' ? null : value });
          }}
        >
          <option value="">{element.placeholder?.text ?? 'Select a person'}</option>
          {surface.users.map((user) => (
            <option key={user.id} value={user.id}>
              {user.realName}
            </option>
          ))}
        </select>
      );
    case 'conversations_select':
    case 'channels_select': {
      const key = element.type === 'channels_select' ? 'selected_channel' : 'selected_conversation';
      return (
        <select
          id={props.inputId}
          class="bk-select"
          value={(state[key] as string | null | undefined) ?? ''}
          onChange={(event) => {
            const value = (event.currentTarget as HTMLSelectElement).value;
            change({ type: element.type, [key]: value === '' ? null : value });
          }}
        >
          <option value="">{element.placeholder?.text ?? 'Select a channel'}</option>
          {surface.channels.map((channel) => (
            <option key={channel.id} value={channel.id}>
              #{channel.name}
            </option>
          ))}
        </select>
      );
    }
    case 'datepicker':
      return (
        <input
          id={props.inputId}
          class="bk-date"
          type="date"
          value={state.selected_date ?? ''}
          onChange={(event) => {
            const value = (event.currentTarget as HTMLInputElement).value;
            change({ type: 'datepicker', selected_date: value === '' ? null : value });
          }}
        />
      );
    case 'timepicker':
      return (
        <input
          id={props.inputId}
          class="bk-date"
          type="time"
          value={state.selected_time ?? ''}
          onChange={(event) => {
            const value = (event.currentTarget as HTMLInputElement).value;
            change({ type: 'timepicker', selected_time: value === '' ? null : value });
          }}
        />
      );
    case 'radio_buttons':
      return (
        <div class="bk-choices" id={props.inputId} role="radiogroup">
          {(element.options ?? []).map((option) => (
            <label key={option.value} class="bk-choice">
              <input
                type="radio"
                name={`${blockId}-${actionId}`}
                checked={state.selected_option?.value === option.value}
                onChange={() => change({ type: 'radio_buttons', selected_option: option })}
              />
              <span>
                <TextObject text={option.text} />
              </span>
            </label>
          ))}
        </div>
      );
    case 'checkboxes':
      return (
        <div class="bk-choices" id={props.inputId}>
          {(element.options ?? []).map((option) => {
            const selected = state.selected_options ?? [];
            const checked = selected.some((candidate) => candidate.value === option.value);
            return (
              <label key={option.value} class="bk-choice">
                <input
                  type="checkbox"
                  checked={checked}
                  onChange={() =>
                    change({
                      type: 'checkboxes',
                      selected_options: checked ? selected.filter((candidate) => candidate.value !== option.value) : [...selected, option],
                    })
                  }
                />
                <span>
                  <TextObject text={option.text} />
                </span>
              </label>
            );
          })}
        </div>
      );
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return (
        <TextInput
          {...props}
          value={state.value ?? ''}
          onChange={(value) => surface.onValue?.(blockId, actionId, { type: element.type, value: value === '' ? null : value })}
        />
      );
    default:
      return <span class="bk-unsupported">{element.type}</span>;
  }
}

function TextInput(props: ElementProps & { value: string; onChange(value: string): void }): JSX.Element {
  const { element, blockId, surface } = props;
  const common = {
    id: props.inputId,
    class: 'bk-text',
    value: props.value,
    placeholder: plainWithEmoji(element.placeholder?.text ?? ''),
    maxLength: typeof element.max_length === 'number' ? element.max_length : undefined,
    onInput: (event: Event) => props.onChange((event.currentTarget as HTMLInputElement).value),
  };
  // dispatch_action on a text input sends block_actions when Enter is pressed, as in Slack.
  const onKeyDown = (event: KeyboardEvent) => {
    if (props.dispatch && event.key === 'Enter' && !element.multiline) {
      event.preventDefault();
      surface.onAction({ type: element.type, action_id: element.action_id ?? '', block_id: blockId, value: props.value });
    }
  };
  if (element.multiline) return <textarea {...common} rows={3} />;
  if (element.type === 'email_text_input') return <input {...common} type="email" onKeyDown={onKeyDown} />;
  if (element.type === 'url_text_input') return <input {...common} type="url" onKeyDown={onKeyDown} />;
  return <input {...common} type="text" inputMode={element.type === 'number_input' ? 'decimal' : undefined} onKeyDown={onKeyDown} />;
}

function Button({ element, blockId, surface }: { element: InteractiveElement; blockId: string; surface: SurfaceProps }): JSX.Element {
  const style = typeof element.style === 'string' ? element.style : 'default';
  const text = element.text as Text | undefined;
  const onClick = async () => {
    if (element.confirm && !(await surface.confirm(element.confirm as ConfirmDialog))) return;
    if (typeof element.url === 'string') window.open(element.url, '_blank', 'noreferrer');
    surface.onAction({
      type: 'button',
      action_id: element.action_id ?? '',
      block_id: blockId,
      text: text ?? { type: 'plain_text', text: '' },
      ...(typeof element.value === 'string' ? { value: element.value } : {}),
      ...(style === 'default' ? {} : { style }),
    });
  };
  return (
    <button type="button" class={`bk-button bk-button-${style}`} onClick={() => void onClick()}>
      {plainWithEmoji(text?.text ?? '')}
    </button>
  );
}

function Overflow({ element, onPick }: { element: InteractiveElement; onPick(option: OptionObject): void }): JSX.Element {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div class="bk-overflow" ref={ref}>
      <button type="button" class="bk-overflow-button" aria-label="More actions" onClick={() => setOpen(!open)}>
        ⋮
      </button>
      {open && (
        <div class="bk-menu" role="menu">
          {(element.options ?? []).map((option) => (
            <button
              key={option.value}
              type="button"
              role="menuitem"
              class="bk-menu-item"
              onClick={() => {
                setOpen(false);
                onPick(option);
              }}
            >
              {optionText(option)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function ExternalSelect(props: ElementProps & { selected: OptionObject | null; onPick(option: OptionObject | null): void }): JSX.Element {
  const { element, blockId, surface } = props;
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<OptionObject[]>([]);
  const [open, setOpen] = useState(false);
  const minLength = typeof element.min_query_length === 'number' ? element.min_query_length : 3;
  useEffect(() => {
    if (!open || query.length < minLength || !surface.loadOptions) return;
    let current = true;
    void surface.loadOptions(blockId, element.action_id ?? '', query).then((found) => current && setOptions(found));
    return () => {
      current = false;
    };
  }, [query, open]);
  return (
    <div class="bk-external">
      <input
        id={props.inputId}
        class="bk-text"
        placeholder={props.selected ? optionText(props.selected) : (element.placeholder?.text ?? 'Type to search')}
        value={query}
        onFocus={() => setOpen(true)}
        onInput={(event) => setQuery((event.currentTarget as HTMLInputElement).value)}
      />
      {open && options.length > 0 && (
        <div class="bk-menu" role="listbox">
          {options.map((option) => (
            <button
              key={option.value}
              type="button"
              role="option"
              class="bk-menu-item"
              onClick={() => {
                props.onPick(option);
                setQuery('');
                setOpen(false);
              }}
            >
              {optionText(option)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

type RichElement = Record<string, unknown> & {
  type: string;
  elements?: RichElement[];
  style?: Record<string, boolean> | string;
  text?: string;
};

function RichTextElement({ element }: { element: Record<string, unknown> }): JSX.Element {
  const rich = element as RichElement;
  const children = (rich.elements ?? []).map((child, index) => <RichTextElement key={index} element={child} />);
  switch (rich.type) {
    case 'rich_text_section':
      return <div class="rt-section">{children}</div>;
    case 'rich_text_preformatted':
      return <pre class="md-pre">{children}</pre>;
    case 'rich_text_quote':
      return <blockquote class="md-quote">{children}</blockquote>;
    case 'rich_text_list': {
      const items = (rich.elements ?? []).map((child, index) => (
        <li key={index}>
          <RichTextElement element={{ ...child, type: 'rich_text_inline' }} />
        </li>
      ));
      return rich.style === 'ordered' ? <ol class="rt-list">{items}</ol> : <ul class="rt-list">{items}</ul>;
    }
    case 'rich_text_inline':
      return <>{children}</>;
    default:
      return <RichInline element={rich} />;
  }
}

function RichInline({ element }: { element: RichElement }): JSX.Element {
  const directory = useContext(DirectoryContext);
  const style = typeof element.style === 'object' ? element.style : {};
  let node: ComponentChildren;
  switch (element.type) {
    case 'text':
      node = element.text ?? '';
      break;
    case 'emoji':
      node = <Mrkdwn text={`:${String(element.name)}:`} />;
      break;
    case 'link':
      node = (
        <a href={String(element.url)} target="_blank" rel="noreferrer">
          {element.text ?? String(element.url)}
        </a>
      );
      break;
    case 'user':
      node = <span class="mention">@{directory.userName(String(element.user_id)) ?? String(element.user_id)}</span>;
      break;
    case 'channel':
      node = <span class="mention">#{directory.channelName(String(element.channel_id)) ?? String(element.channel_id)}</span>;
      break;
    case 'broadcast':
      node = <span class="mention mention-broadcast">@{String(element.range)}</span>;
      break;
    default:
      node = element.text ?? '';
  }
  if (style.code) node = <code class="md-code">{node}</code>;
  if (style.bold) node = <b>{node}</b>;
  if (style.italic) node = <i>{node}</i>;
  if (style.strike) node = <s>{node}</s>;
  return <>{node}</>;
}
