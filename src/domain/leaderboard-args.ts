// `/leaderboard [week|month|quarter|year] [team]`, parsed. Pure.
import type { PeriodKind } from './periods.js';
import { quoteInput } from './slack-text.js';

export type LeaderboardArgs = { ok: true; kind: PeriodKind; team: string | null } | { ok: false; error: string };

const KINDS: Record<string, PeriodKind> = { week: 'week', month: 'month', quarter: 'quarter', year: 'year' };
/** A team named as a Slack channel reference `<#C123|east>`, as `#east`, or as `east`. */
const CHANNEL_REFERENCE = /^<#[CG][A-Z0-9]+\|([^>]+)>$/;

export function parseLeaderboardArgs(text: string): LeaderboardArgs {
  let kind: PeriodKind | null = null;
  let team: string | null = null;
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const asKind = KINDS[word.toLowerCase()];
    if (asKind && kind === null) {
      kind = asKind;
      continue;
    }
    if (team !== null || asKind) return { ok: false, error: usage(`I couldn't read \`${quoteInput(word)}\`.`) };
    team = CHANNEL_REFERENCE.exec(word)?.[1] ?? word.replace(/^#/, '');
  }
  return { ok: true, kind: kind ?? 'month', team };
}

function usage(problem: string): string {
  return `${problem} Try \`/leaderboard\`, \`/leaderboard quarter\` or \`/leaderboard week east\` (a period, then a team).`;
}
