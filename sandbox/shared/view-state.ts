// The values of a view's inputs as Slack reports them in `view.state.values`: built from the
// elements' initial values, changed as the person types and picks, and kept across a
// views.update for every input whose block_id and action_id stay the same (as Slack keeps them).
// Pure; used by the page (what the person enters) and by the seed (what a manager would enter).

export interface OptionObject {
  text: { type: string; text: string; emoji?: boolean };
  value: string;
  description?: { type: string; text: string };
}

export interface ElementState {
  type: string;
  value?: string | null;
  selected_option?: OptionObject | null;
  selected_options?: OptionObject[];
  selected_user?: string | null;
  selected_users?: string[];
  selected_date?: string | null;
  selected_time?: string | null;
  selected_conversation?: string | null;
  selected_channel?: string | null;
}

export type ViewValues = Record<string, Record<string, ElementState>>;

export interface InteractiveElement {
  type: string;
  action_id?: string;
  options?: OptionObject[];
  option_groups?: Array<{ options: OptionObject[] }>;
  initial_option?: OptionObject;
  initial_options?: OptionObject[];
  initial_value?: string;
  initial_user?: string;
  initial_users?: string[];
  initial_date?: string;
  initial_time?: string;
  initial_conversation?: string;
  initial_channel?: string;
  multiline?: boolean;
  placeholder?: { text: string };
  [field: string]: unknown;
}

interface Block {
  type: string;
  block_id?: string;
  element?: InteractiveElement;
  elements?: InteractiveElement[];
  accessory?: InteractiveElement;
}

/** Elements that hold a value (buttons and overflow menus do not). */
const STATEFUL = new Set([
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'datepicker',
  'timepicker',
  'radio_buttons',
  'checkboxes',
]);

export function isStateful(element: InteractiveElement | undefined): element is InteractiveElement & { action_id: string } {
  return element !== undefined && STATEFUL.has(element.type) && typeof element.action_id === 'string';
}

/** An element's state before the person touches it. */
export function initialState(element: InteractiveElement): ElementState {
  const type = element.type;
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type, value: element.initial_value ?? null };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: element.initial_option ?? null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: element.initial_options ?? [] };
    case 'users_select':
      return { type, selected_user: element.initial_user ?? null };
    case 'multi_users_select':
      return { type, selected_users: element.initial_users ?? [] };
    case 'conversations_select':
      return { type, selected_conversation: element.initial_conversation ?? null };
    case 'channels_select':
      return { type, selected_channel: element.initial_channel ?? null };
    case 'datepicker':
      return { type, selected_date: element.initial_date ?? null };
    case 'timepicker':
      return { type, selected_time: element.initial_time ?? null };
    default:
      return { type };
  }
}

/** Every stateful element of a view's blocks, with its block id. */
export function statefulElements(
  blocks: readonly unknown[],
): Array<{ blockId: string; element: InteractiveElement & { action_id: string } }> {
  const found: Array<{ blockId: string; element: InteractiveElement & { action_id: string } }> = [];
  for (const raw of blocks) {
    const block = raw as Block;
    const blockId = block.block_id ?? '';
    const candidates = [block.element, block.accessory, ...(block.elements ?? [])];
    for (const element of candidates) if (isStateful(element)) found.push({ blockId, element });
  }
  return found;
}

/**
 * The values of a view: `previous` values for inputs that are still there (same block id and
 * action id), initial values for the rest.
 */
export function viewValues(blocks: readonly unknown[], previous: ViewValues = {}): ViewValues {
  const values: ViewValues = {};
  for (const { blockId, element } of statefulElements(blocks)) {
    const kept = previous[blockId]?.[element.action_id];
    const state = kept !== undefined && kept.type === element.type ? kept : initialState(element);
    values[blockId] = { ...values[blockId], [element.action_id]: state };
  }
  return values;
}

/** The option of an element whose value or text is `answer`. */
export function findOption(element: InteractiveElement, answer: string): OptionObject | undefined {
  const options = [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((group) => group.options)];
  return options.find((option) => option.value === answer || option.text.text === answer);
}

/** The state a simple answer gives an element: text, an option's value or text, a user id, a date. */
export function answerState(element: InteractiveElement, answer: string | string[] | null): ElementState {
  const type = element.type;
  const one = Array.isArray(answer) ? (answer[0] ?? null) : answer;
  const many = Array.isArray(answer) ? answer : answer === null ? [] : [answer];
  const option = (value: string) => {
    const found = findOption(element, value);
    if (found === undefined) throw new Error(`${element.action_id ?? type} has no option ${value}`);
    return found;
  };
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: one === null ? null : option(one) };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: many.map(option) };
    case 'users_select':
      return { type, selected_user: one };
    case 'multi_users_select':
      return { type, selected_users: many };
    case 'datepicker':
      return { type, selected_date: one };
    case 'timepicker':
      return { type, selected_time: one };
    case 'conversations_select':
      return { type, selected_conversation: one };
    case 'channels_select':
      return { type, selected_channel: one };
    default:
      return { type, value: one };
  }
}

/** A view's values with some inputs answered (by block id); an unknown block id is an error. */
export function answeredValues(blocks: readonly unknown[], answers: Record<string, string | string[] | null>): ViewValues {
  const values = viewValues(blocks);
  const elements = statefulElements(blocks);
  for (const [blockId, answer] of Object.entries(answers)) {
    const found = elements.find((candidate) => candidate.blockId === blockId);
    if (found === undefined) throw new Error(`the view has no input block ${blockId}`);
    values[blockId] = { ...values[blockId], [found.element.action_id]: answerState(found.element, answer) };
  }
  return values;
}
