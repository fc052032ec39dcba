// Fills a modal the way a person would: from the blocks the app actually sent. A static select
// can only take one of its own options (an external select, the value its options gave), untouched fields keep their initial values, and a block
// id that is not in the modal is an error, so tests break when the modal changes shape.
import type { ViewStateValues } from '../../slack-standin/slack-signer.js';

type Element = {
  type: string;
  action_id: string;
  options?: Array<{ text: { text: string }; value: string }>;
  initial_option?: { value: string; text: { text: string } };
  initial_options?: Array<{ value: string; text: { text: string } }>;
  initial_user?: string;
  initial_date?: string;
  initial_value?: string;
};
type InputBlock = { type: 'input'; block_id: string; element: Element };

/** An answer: text for inputs, an option's text or value for selects, a user id, a date, or option texts for checkboxes. */
export type Answer = string | string[] | null;

export function fillModal(view: { blocks?: unknown[] }, answers: Record<string, Answer>): ViewStateValues {
  const inputs = (view.blocks ?? []).filter((b): b is InputBlock => (b as { type?: string }).type === 'input');
  for (const blockId of Object.keys(answers)) {
    if (!inputs.some((b) => b.block_id === blockId)) throw new Error(`the modal has no input block ${blockId}`);
  }
  const values: ViewStateValues = {};
  for (const block of inputs) {
    const answer = blockId(answers, block.block_id);
    values[block.block_id] = { [block.element.action_id]: elementState(block.element, answer) as never };
  }
  return values;
}

function blockId(answers: Record<string, Answer>, id: string): Answer | undefined {
  return Object.hasOwn(answers, id) ? answers[id] : undefined;
}

function pickOption(element: Element, answer: string) {
  const option = element.options?.find((o) => o.value === answer || o.text.text === answer);
  if (!option)
    throw new Error(`${element.action_id} has no option ${answer}; it has ${element.options?.map((o) => o.text.text).join(', ')}`);
  return { text: { type: 'plain_text', text: option.text.text }, value: option.value };
}

function elementState(element: Element, answer: Answer | undefined): Record<string, unknown> {
  const type = element.type;
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
      return { type, value: answer === undefined ? (element.initial_value ?? null) : answer };
    case 'static_select':
    case 'radio_buttons':
      if (answer === undefined) return { type, selected_option: element.initial_option ?? null };
      return { type, selected_option: answer === null ? null : pickOption(element, answer as string) };
    case 'conversations_select':
      return { type, selected_conversation: answer ?? null };
    case 'external_select':
      // Its options come from the app as the person types (loadOptions): the answer is the value picked.
      if (answer === undefined) return { type, selected_option: element.initial_option ?? null };
      return {
        type,
        selected_option: answer === null ? null : { text: { type: 'plain_text', text: answer as string }, value: answer as string },
      };
    case 'users_select':
      return { type, selected_user: answer === undefined ? (element.initial_user ?? null) : answer };
    case 'datepicker':
      return { type, selected_date: answer === undefined ? (element.initial_date ?? null) : answer };
    case 'checkboxes':
      if (answer === undefined) return { type, selected_options: element.initial_options ?? [] };
      return { type, selected_options: ((answer as string[] | null) ?? []).map((a) => pickOption(element, a)) };
    default:
      throw new Error(`fillModal does not know ${type}`);
  }
}

/**
 * A crafted submission: the block's select set to `value`, an option the form may never have
 * offered (under the block's own action id, or `actionId` for a block the form does not have).
 */
export function craftChoice(values: ViewStateValues, blockId: string, value: string, actionId?: string): ViewStateValues {
  const id = actionId ?? Object.keys(values[blockId] ?? {})[0] ?? blockId;
  return {
    ...values,
    [blockId]: { [id]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: value }, value } } as never },
  };
}
