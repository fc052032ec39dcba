// Shared by /target, the Set target submission and its "who changed" action: a readable
// label for the subject, and the current selection.
import { escapeSlackText } from '../../domain/slack-text.js';
import type { TargetSelection } from '../../services/targets.js';
import { TARGET_FIELDS as F } from '../ids.js';

export function subjectLabel(
  selection: Pick<TargetSelection, 'subjectType' | 'subjectId'>,
  choices: { teams: ReadonlyArray<{ id: bigint; name: string }>; products: ReadonlyArray<{ id: bigint; name: string }> },
): string {
  const { subjectType, subjectId } = selection;
  if (subjectType === 'company') return 'the whole company';
  if (subjectId === null) return `a ${subjectType}`;
  if (subjectType === 'rep') return `<@${subjectId}>`;
  const list = subjectType === 'team' ? choices.teams : choices.products;
  const name = list.find((item) => String(item.id) === subjectId)?.name ?? subjectId;
  return `${subjectType} *${escapeSlackText(name)}*`;
}

type State = Record<string, Record<string, { selected_option?: { value?: string } | null; selected_user?: string | null }>>;

/** What is picked so far in the modal (every field may still be empty). */
export function selectionFromState(values: State): TargetSelection {
  const first = (blockId: string) => Object.values(values[blockId] ?? {})[0];
  const subjectType = (first(F.subject)?.selected_option?.value ?? 'rep') as TargetSelection['subjectType'];
  const picked = {
    rep: first(F.rep)?.selected_user ?? null,
    team: first(F.team)?.selected_option?.value ?? null,
    product: first(F.product)?.selected_option?.value ?? null,
    company: '',
  }[subjectType];
  const metric = first(F.metric)?.selected_option?.value === 'deals' ? 'deals' : 'revenue';
  const period = first(F.period)?.selected_option?.value;
  const periodKind = period === 'week' || period === 'quarter' || period === 'year' ? period : 'month';
  return {
    subjectType: ['rep', 'team', 'product', 'company'].includes(subjectType) ? subjectType : 'rep',
    subjectId: picked ?? null,
    metric,
    periodKind,
  };
}
