// `/leaderboard [period] [team]`, parsed. The period is any that period-arg.ts reads
// (`quarter`, `last month`, `2026-10`, `FY2026`…), default the current month. Pure.
import { periodFromWords, periodPhraseLength, quoted } from './period-arg.js';
import type { Period } from './periods.js';

export type LeaderboardArgs = { ok: true; period: Period; team: string | null } | { ok: false; error: string };

/** A team named as a Slack channel reference `<#C123|east>`, as `#east`, or as `east`. */
const CHANNEL_REFERENCE = /^<#[CG][A-Z0-9]+\|([^>]+)>$/;

export function parseLeaderboardArgs(text: string, ctx: { now: Date; tz: string; fyStartMonth: number }): LeaderboardArgs {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let periodWords: string[] | null = null;
  let team: string | null = null;
  for (let i = 0; i < words.length; ) {
    const length = periodPhraseLength(words, i);
    const phrase = words.slice(i, i + Math.max(length, 1));
    i += phrase.length;
    if (length > 0 && periodWords === null) {
      periodWords = phrase;
      continue;
    }
    if (team !== null || length > 0) return { ok: false, error: usage(`I couldn't read \`${quoted(phrase.join(' '))}\`.`) };
    team = CHANNEL_REFERENCE.exec(phrase[0]!)?.[1] ?? phrase[0]!.replace(/^#/, '');
  }
  const read = periodFromWords(periodWords ?? [], ctx.now, ctx.tz, ctx.fyStartMonth);
  if (!read.ok) return { ok: false, error: usage(read.error) };
  return { ok: true, period: read.period, team };
}

function usage(problem: string): string {
  return `${problem} Try \`/leaderboard\`, \`/leaderboard last month\` or \`/leaderboard week east\` (a period, then a team).`;
}
