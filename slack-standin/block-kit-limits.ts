// The Block Kit limits Slack enforces on messages and views, as pure checks.
// Each check returns human-readable problems such as
// "blocks[2].text.text: must be at most 3000 characters, got 3120";
// an empty list means Slack would accept the payload.
// Numbers follow Slack's Block Kit reference (blocks, elements, composition objects, views).

export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  blockId: 255,
  actionId: 255,
  callbackId: 255,
  externalId: 255,
  privateMetadata: 3000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  textObject: 3000,
  modalTitle: 24,
  modalButton: 24,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  placeholder: 150,
  selectOptions: 100,
  choiceOptions: 10,
  overflowOptions: 5,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  inputLabel: 2000,
  inputHint: 2000,
  textInputLength: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
} as const;

const LIMIT = BLOCK_KIT_LIMITS;

type JsonObject = Record<string, unknown>;

/** Collects problems, each prefixed with the JSON path it concerns. */
class Report {
  readonly problems: string[] = [];

  add(path: string, problem: string): void {
    this.problems.push(`${path}: ${problem}`);
  }
}

interface TextRule {
  max: number;
  required?: boolean;
  plainOnly?: boolean;
}

interface StringRule {
  max: number;
  min?: number;
  required?: boolean;
}

export function validateMessageBlocks(blocks: unknown): string[] {
  const report = new Report();
  checkBlockList(report, blocks, 'blocks', LIMIT.messageBlocks);
  return report.problems;
}

export function validateView(view: unknown): string[] {
  const report = new Report();
  if (!isObject(view)) {
    report.add('view', 'must be an object');
    return report.problems;
  }
  checkViewSurface(report, view);
  checkBlockList(report, view.blocks, 'view.blocks', LIMIT.viewBlocks);
  return report.problems;
}

function checkViewSurface(report: Report, view: JsonObject): void {
  if (view.type === 'modal') checkModalChrome(report, view);
  else if (view.type !== 'home') report.add('view.type', `must be "modal" or "home", got ${describe(view.type)}`);
  checkString(report, view.private_metadata, 'view.private_metadata', { max: LIMIT.privateMetadata });
  checkString(report, view.callback_id, 'view.callback_id', { max: LIMIT.callbackId });
  checkString(report, view.external_id, 'view.external_id', { max: LIMIT.externalId });
}

function checkModalChrome(report: Report, view: JsonObject): void {
  checkText(report, view.title, 'view.title', { max: LIMIT.modalTitle, required: true, plainOnly: true });
  checkText(report, view.submit, 'view.submit', { max: LIMIT.modalButton, plainOnly: true });
  checkText(report, view.close, 'view.close', { max: LIMIT.modalButton, plainOnly: true });
  if (view.submit === undefined && hasInputBlock(view.blocks)) {
    report.add('view.submit', 'is required when the modal has input blocks');
  }
}

function hasInputBlock(blocks: unknown): boolean {
  return Array.isArray(blocks) && blocks.some((block) => isObject(block) && block.type === 'input');
}

function checkBlockList(report: Report, blocks: unknown, path: string, max: number): void {
  if (blocks === undefined) return;
  if (!Array.isArray(blocks)) {
    report.add(path, 'must be an array of blocks');
    return;
  }
  if (blocks.length > max) report.add(path, `must hold at most ${max} blocks, got ${blocks.length}`);
  for (const [index, block] of blocks.entries()) checkBlock(report, block, `${path}[${index}]`);
}

type BlockCheck = (report: Report, block: JsonObject, path: string) => void;

const ignoreContents: BlockCheck = () => {};

// Block types Slack knows; the ones mapped to ignoreContents are accepted without deeper checks.
const BLOCK_CHECKS: Record<string, BlockCheck> = {
  actions: checkActionsBlock,
  context: checkContextBlock,
  divider: ignoreContents,
  file: ignoreContents,
  header: checkHeaderBlock,
  image: checkImageBlock,
  input: checkInputBlock,
  markdown: ignoreContents,
  rich_text: ignoreContents,
  section: checkSectionBlock,
  table: ignoreContents,
  video: ignoreContents,
};

function checkBlock(report: Report, block: unknown, path: string): void {
  if (!isObject(block)) {
    report.add(path, 'must be a block object');
    return;
  }
  checkString(report, block.block_id, `${path}.block_id`, { max: LIMIT.blockId });
  const check = typeof block.type === 'string' ? BLOCK_CHECKS[block.type] : undefined;
  if (check === undefined) {
    report.add(`${path}.type`, `unknown block type ${describe(block.type)}`);
    return;
  }
  check(report, block, path);
}

function checkSectionBlock(report: Report, block: JsonObject, path: string): void {
  if (block.text === undefined && block.fields === undefined) {
    report.add(path, 'a section needs text or fields');
  }
  checkText(report, block.text, `${path}.text`, { max: LIMIT.sectionText });
  checkList(report, block.fields, `${path}.fields`, LIMIT.sectionFields, (field, fieldPath) =>
    checkText(report, field, fieldPath, { max: LIMIT.sectionFieldText, required: true }),
  );
  if (block.accessory !== undefined) checkElement(report, block.accessory, `${path}.accessory`);
}

function checkHeaderBlock(report: Report, block: JsonObject, path: string): void {
  checkText(report, block.text, `${path}.text`, { max: LIMIT.headerText, required: true, plainOnly: true });
}

function checkContextBlock(report: Report, block: JsonObject, path: string): void {
  checkRequiredList(report, block.elements, `${path}.elements`, LIMIT.contextElements, (element, elementPath) => {
    if (isObject(element) && element.type === 'image') checkImageFields(report, element, elementPath);
    else checkText(report, element, elementPath, { max: LIMIT.textObject, required: true });
  });
}

function checkActionsBlock(report: Report, block: JsonObject, path: string): void {
  checkRequiredList(report, block.elements, `${path}.elements`, LIMIT.actionsElements, (element, elementPath) =>
    checkElement(report, element, elementPath),
  );
}

function checkImageBlock(report: Report, block: JsonObject, path: string): void {
  checkImageFields(report, block, path);
  checkText(report, block.title, `${path}.title`, { max: LIMIT.imageTitle, plainOnly: true });
}

function checkImageFields(report: Report, image: JsonObject, path: string): void {
  if (image.image_url === undefined && image.slack_file === undefined) {
    report.add(path, 'an image needs image_url or slack_file');
  }
  checkString(report, image.image_url, `${path}.image_url`, { max: LIMIT.url });
  checkString(report, image.alt_text, `${path}.alt_text`, { max: LIMIT.imageAltText, min: 1, required: true });
}

function checkInputBlock(report: Report, block: JsonObject, path: string): void {
  checkText(report, block.label, `${path}.label`, { max: LIMIT.inputLabel, required: true, plainOnly: true });
  checkText(report, block.hint, `${path}.hint`, { max: LIMIT.inputHint, plainOnly: true });
  if (block.element === undefined) report.add(`${path}.element`, 'is required');
  else checkElement(report, block.element, `${path}.element`);
}

type ElementCheck = (report: Report, element: JsonObject, path: string) => void;

// Elements not listed here get only the checks every element shares (action_id).
const ELEMENT_CHECKS: Record<string, ElementCheck> = {
  button: checkButton,
  checkboxes: (report, element, path) => checkChoices(report, element, path, LIMIT.choiceOptions),
  radio_buttons: (report, element, path) => checkChoices(report, element, path, LIMIT.choiceOptions),
  overflow: (report, element, path) => checkChoices(report, element, path, LIMIT.overflowOptions),
  static_select: checkStaticSelect,
  multi_static_select: checkStaticSelect,
  external_select: checkPlaceholder,
  multi_external_select: checkPlaceholder,
  users_select: checkPlaceholder,
  multi_users_select: checkPlaceholder,
  conversations_select: checkPlaceholder,
  multi_conversations_select: checkPlaceholder,
  channels_select: checkPlaceholder,
  multi_channels_select: checkPlaceholder,
  datepicker: checkDatepicker,
  plain_text_input: checkPlainTextInput,
  number_input: checkPlaceholder,
  email_text_input: checkPlaceholder,
  url_text_input: checkPlaceholder,
  image: checkImageFields,
};

function checkElement(report: Report, element: unknown, path: string): void {
  if (!isObject(element)) {
    report.add(path, 'must be an element object');
    return;
  }
  checkString(report, element.action_id, `${path}.action_id`, { max: LIMIT.actionId });
  const check = typeof element.type === 'string' ? ELEMENT_CHECKS[element.type] : undefined;
  check?.(report, element, path);
}

function checkButton(report: Report, button: JsonObject, path: string): void {
  checkText(report, button.text, `${path}.text`, { max: LIMIT.buttonText, required: true, plainOnly: true });
  checkString(report, button.value, `${path}.value`, { max: LIMIT.buttonValue });
  checkString(report, button.url, `${path}.url`, { max: LIMIT.url });
}

function checkPlaceholder(report: Report, element: JsonObject, path: string): void {
  checkText(report, element.placeholder, `${path}.placeholder`, { max: LIMIT.placeholder, plainOnly: true });
}

function checkStaticSelect(report: Report, select: JsonObject, path: string): void {
  checkPlaceholder(report, select, path);
  if (select.options === undefined && select.option_groups === undefined) {
    report.add(path, 'a static select needs options or option_groups');
  }
  checkOptionList(report, select.options, `${path}.options`, LIMIT.selectOptions, true);
  checkList(report, select.option_groups, `${path}.option_groups`, LIMIT.selectOptions, (group, groupPath) => {
    if (isObject(group)) checkOptionList(report, group.options, `${groupPath}.options`, LIMIT.selectOptions, true);
    else report.add(groupPath, 'must be an option group object');
  });
}

function checkChoices(report: Report, element: JsonObject, path: string, max: number): void {
  if (element.options === undefined) report.add(`${path}.options`, 'is required');
  checkOptionList(report, element.options, `${path}.options`, max, element.type === 'overflow');
}

function checkOptionList(report: Report, options: unknown, path: string, max: number, plainOnly: boolean): void {
  checkList(report, options, path, max, (option, optionPath) => checkOption(report, option, optionPath, plainOnly));
}

function checkOption(report: Report, option: unknown, path: string, plainOnly: boolean): void {
  if (!isObject(option)) {
    report.add(path, 'must be an option object');
    return;
  }
  checkText(report, option.text, `${path}.text`, { max: LIMIT.optionText, required: true, plainOnly });
  checkString(report, option.value, `${path}.value`, { max: LIMIT.optionValue, required: true });
  checkText(report, option.description, `${path}.description`, { max: LIMIT.optionDescription, plainOnly: true });
  checkString(report, option.url, `${path}.url`, { max: LIMIT.url });
}

function checkDatepicker(report: Report, picker: JsonObject, path: string): void {
  checkPlaceholder(report, picker, path);
  const date = picker.initial_date;
  if (date !== undefined && !(typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date))) {
    report.add(`${path}.initial_date`, `must be YYYY-MM-DD, got ${describe(date)}`);
  }
}

function checkPlainTextInput(report: Report, input: JsonObject, path: string): void {
  checkPlaceholder(report, input, path);
  checkNumberInRange(report, input.min_length, `${path}.min_length`, 0, LIMIT.textInputLength);
  checkNumberInRange(report, input.max_length, `${path}.max_length`, 1, LIMIT.textInputLength);
  const maxLength = typeof input.max_length === 'number' ? input.max_length : LIMIT.textInputLength;
  checkString(report, input.initial_value, `${path}.initial_value`, { max: maxLength });
}

function checkText(report: Report, text: unknown, path: string, rule: TextRule): void {
  if (text === undefined) {
    if (rule.required) report.add(path, 'is required');
    return;
  }
  if (!isObject(text)) {
    report.add(path, 'must be a text object');
    return;
  }
  if (rule.plainOnly && text.type !== 'plain_text') {
    report.add(`${path}.type`, `must be "plain_text", got ${describe(text.type)}`);
  } else if (text.type !== 'plain_text' && text.type !== 'mrkdwn') {
    report.add(`${path}.type`, `must be "plain_text" or "mrkdwn", got ${describe(text.type)}`);
  }
  checkString(report, text.text, `${path}.text`, { max: rule.max, min: 1, required: true });
}

function checkString(report: Report, value: unknown, path: string, rule: StringRule): void {
  if (value === undefined) {
    if (rule.required) report.add(path, 'is required');
    return;
  }
  if (typeof value !== 'string') {
    report.add(path, `must be a string, got ${describe(value)}`);
    return;
  }
  const min = rule.min ?? 0;
  if (value.length < min) report.add(path, `must be at least ${min} characters, got ${value.length}`);
  if (value.length > rule.max) report.add(path, `must be at most ${rule.max} characters, got ${value.length}`);
}

function checkNumberInRange(report: Report, value: unknown, path: string, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || value < min || value > max) {
    report.add(path, `must be a number from ${min} to ${max}, got ${describe(value)}`);
  }
}

function checkRequiredList(
  report: Report,
  items: unknown,
  path: string,
  max: number,
  checkItem: (item: unknown, itemPath: string) => void,
): void {
  if (Array.isArray(items) && items.length === 0) report.add(path, 'must not be empty');
  if (items === undefined) report.add(path, 'is required');
  else checkList(report, items, path, max, checkItem);
}

function checkList(report: Report, items: unknown, path: string, max: number, checkItem: (item: unknown, itemPath: string) => void): void {
  if (items === undefined) return;
  if (!Array.isArray(items)) {
    report.add(path, 'must be an array');
    return;
  }
  if (items.length > max) report.add(path, `must hold at most ${max} items, got ${items.length}`);
  for (const [index, item] of items.entries()) checkItem(item, `${path}[${index}]`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}
