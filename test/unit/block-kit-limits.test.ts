import { describe, expect, it } from 'vitest';
import { validateMessageBlocks, validateView } from '../../slack-standin/block-kit-limits.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const chars = (count: number) => 'x'.repeat(count);
const section = (text = 'hi') => ({ type: 'section', text: mrkdwn(text) });
const sections = (count: number) => Array.from({ length: count }, () => section());
const button = (overrides: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'go',
  text: plain('Go'),
  value: 'v',
  ...overrides,
});
const option = (text: string, value = 'v') => ({ text: plain(text), value });
const modal = (overrides: Record<string, unknown> = {}) => ({
  type: 'modal',
  callback_id: 'log_sale',
  title: plain('Log a sale'),
  submit: plain('Save'),
  close: plain('Cancel'),
  blocks: [],
  ...overrides,
});

describe('validateMessageBlocks', () => {
  it('accepts a message using the common blocks at their limits', () => {
    const blocks = [
      { type: 'header', text: plain(chars(150)) },
      section(chars(3000)),
      { type: 'section', fields: Array.from({ length: 10 }, () => mrkdwn(chars(2000))) },
      { type: 'context', elements: Array.from({ length: 10 }, () => mrkdwn('note')) },
      { type: 'actions', block_id: chars(255), elements: Array.from({ length: 25 }, () => button()) },
      { type: 'divider' },
      { type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'chart' },
      ...sections(43),
    ];
    expect(blocks).toHaveLength(50);
    expect(validateMessageBlocks(blocks)).toEqual([]);
  });

  it('accepts a message without blocks', () => {
    expect(validateMessageBlocks(undefined)).toEqual([]);
  });

  it.each([
    ['51 blocks', sections(51), 'blocks: must hold at most 50 blocks, got 51'],
    ['section text over 3000', [section(chars(3001))], 'blocks[0].text.text: must be at most 3000 characters'],
    ['empty section text', [section('')], 'blocks[0].text.text: must be at least 1 characters'],
    ['section without text or fields', [{ type: 'section' }], 'blocks[0]: a section needs text or fields'],
    [
      '11 section fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }],
      'blocks[0].fields: must hold at most 10 items, got 11',
    ],
    [
      'section field over 2000',
      [{ type: 'section', fields: [mrkdwn(chars(2001))] }],
      'blocks[0].fields[0].text: must be at most 2000 characters',
    ],
    ['header over 150', [{ type: 'header', text: plain(chars(151)) }], 'blocks[0].text.text: must be at most 150'],
    ['mrkdwn header', [{ type: 'header', text: mrkdwn('Hi') }], 'blocks[0].text.type: must be "plain_text"'],
    [
      '11 context elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }],
      'blocks[0].elements: must hold at most 10 items, got 11',
    ],
    [
      '26 action elements',
      [{ type: 'actions', elements: Array.from({ length: 26 }, () => button()) }],
      'blocks[0].elements: must hold at most 25 items, got 26',
    ],
    [
      'button text over 75',
      [{ type: 'actions', elements: [button({ text: plain(chars(76)) })] }],
      'blocks[0].elements[0].text.text: must be at most 75 characters',
    ],
    [
      'button value over 2000',
      [{ type: 'actions', elements: [button({ value: chars(2001) })] }],
      'blocks[0].elements[0].value: must be at most 2000 characters',
    ],
    [
      'action_id over 255',
      [{ type: 'actions', elements: [button({ action_id: chars(256) })] }],
      'blocks[0].elements[0].action_id: must be at most 255 characters',
    ],
    ['block_id over 255', [{ ...section(), block_id: chars(256) }], 'blocks[0].block_id: must be at most 255'],
    [
      'select with 101 options',
      [
        {
          ...section(),
          accessory: {
            type: 'static_select',
            action_id: 'pick',
            options: Array.from({ length: 101 }, (_, index) => option(`o${index}`)),
          },
        },
      ],
      'blocks[0].accessory.options: must hold at most 100 items, got 101',
    ],
    [
      'option text over 75',
      [{ ...section(), accessory: { type: 'static_select', action_id: 'pick', options: [option(chars(76))] } }],
      'blocks[0].accessory.options[0].text.text: must be at most 75 characters',
    ],
    ['unknown block type', [{ type: 'sectoin', text: mrkdwn('typo') }], 'blocks[0].type: unknown block type "sectoin"'],
    ['blocks that are not an array', { type: 'section' }, 'blocks: must be an array of blocks'],
  ])('reports %s', (_name, blocks, expected) => {
    const problems = validateMessageBlocks(blocks);
    expect(
      problems.some((problem) => problem.startsWith(expected)),
      problems.join('\n'),
    ).toBe(true);
  });
});

describe('validateView', () => {
  it('accepts a modal with an input form and 100 blocks', () => {
    const input = {
      type: 'input',
      block_id: 'amount',
      label: plain('Amount'),
      element: { type: 'plain_text_input', action_id: 'amount', max_length: 20, initial_value: '1200' },
    };
    const view = modal({ title: plain(chars(24)), blocks: [input, ...sections(99)] });
    expect(validateView(view)).toEqual([]);
  });

  it('accepts an App Home view of 100 blocks', () => {
    expect(validateView({ type: 'home', blocks: sections(100) })).toEqual([]);
  });

  it.each([
    ['101 blocks in a modal', modal({ blocks: sections(101) }), 'view.blocks: must hold at most 100 blocks, got 101'],
    ['101 blocks in App Home', { type: 'home', blocks: sections(101) }, 'view.blocks: must hold at most 100 blocks'],
    ['title over 24', modal({ title: plain(chars(25)) }), 'view.title.text: must be at most 24 characters'],
    ['missing title', modal({ title: undefined }), 'view.title: is required'],
    ['submit over 24', modal({ submit: plain(chars(25)) }), 'view.submit.text: must be at most 24 characters'],
    ['close over 24', modal({ close: plain(chars(25)) }), 'view.close.text: must be at most 24 characters'],
    [
      'input blocks without submit',
      modal({
        submit: undefined,
        blocks: [{ type: 'input', label: plain('Note'), element: { type: 'plain_text_input', action_id: 'note' } }],
      }),
      'view.submit: is required when the modal has input blocks',
    ],
    ['private_metadata over 3000', modal({ private_metadata: chars(3001) }), 'view.private_metadata: must be at most 3000 characters'],
    [
      'initial_value longer than max_length',
      modal({
        blocks: [
          {
            type: 'input',
            label: plain('Customer'),
            element: { type: 'plain_text_input', action_id: 'customer', max_length: 5, initial_value: 'Acme Corp' },
          },
        ],
      }),
      'view.blocks[0].element.initial_value: must be at most 5 characters',
    ],
    [
      'malformed initial_date',
      modal({
        blocks: [
          {
            type: 'input',
            label: plain('Closed on'),
            element: { type: 'datepicker', action_id: 'closed_on', initial_date: '01/02/2025' },
          },
        ],
      }),
      'view.blocks[0].element.initial_date: must be YYYY-MM-DD',
    ],
    ['unknown view type', { type: 'dialog', blocks: [] }, 'view.type: must be "modal" or "home"'],
  ])('reports %s', (_name, view, expected) => {
    const problems = validateView(view);
    expect(
      problems.some((problem) => problem.startsWith(expected)),
      problems.join('\n'),
    ).toBe(true);
  });
});
