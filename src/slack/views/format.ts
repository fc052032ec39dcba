// How numbers read in Tally's messages. Pure.
import type { TargetMetric } from '../../db/schema.js';
import { formatMoney } from '../../domain/money.js';
import { forecastRangeText, type Forecast } from '../../domain/forecast.js';
import type { Measure } from '../../domain/pace.js';
import type { Period } from '../../domain/periods.js';

/** A target's amount: money for revenue, a count for deals won. */
export function formatAmount(amount: bigint, metric: TargetMetric, currency: string): string {
  return metric === 'revenue' ? formatMoney(amount, currency) : `${amount} ${amount === 1n ? 'deal' : 'deals'}`;
}

export function formatPercent(percent: number | null): string {
  return percent === null ? '–' : `${percent.toFixed(1)}%`;
}

const KIND_LABEL: Record<Period['kind'], string> = { week: 'Week', month: 'Month', quarter: 'Quarter', year: 'Year' };

const SHORT_DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "Month 2026-11 (Nov 1 – Nov 30)" */
export function describePeriod(period: Period): string {
  const last = new Date(`${period.endDate}T00:00:00Z`);
  last.setUTCDate(last.getUTCDate() - 1);
  const day = (d: Date) => SHORT_DAY.format(d);
  return `${KIND_LABEL[period.kind]} ${period.key} (${day(new Date(`${period.startDate}T00:00:00Z`))} – ${day(last)})`;
}

/**
 * One line about a target: `▓▓▓▓░░░░░░ *45.0%* of $10,000.00 · :red_circle: behind · $5,500.00 to go
 * ($275.00/day) · likely $9.1K–$9.9K` (the forecast's range: the one projection every surface shows).
 * The bar is plain text, not inline code (Slack draws code red whatever the pace), so the
 * pace mark is the line's only colour.
 */
export function progressLine(m: Measure, metric: TargetMetric, currency: string, forecast: Forecast): string {
  if (m.final) {
    const result = m.stillNeeded > 0n ? `${formatAmount(m.stillNeeded, metric, currency)} short` : 'target reached :tada:';
    return `${m.bar} *${formatPercent(m.percent)}* of ${formatAmount(m.target, metric, currency)} · final · ${result}`;
  }
  const parts = [`${m.bar} *${formatPercent(m.percent)}* of ${formatAmount(m.target, metric, currency)}`, `${m.mark} ${m.label}`];
  if (m.stillNeeded > 0n) {
    const perDay = m.neededPerDay === null ? '' : ` (${formatAmount(m.neededPerDay, metric, currency)}/day)`;
    parts.push(`${formatAmount(m.stillNeeded, metric, currency)} to go${perDay}`);
  } else {
    parts.push('target reached :tada:');
  }
  parts.push(forecastRangeText(forecast, currency, metric));
  return parts.join(' · ');
}
