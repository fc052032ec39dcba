// The Monday digest's chart: cumulative sales against the target pace line for the month,
// one colour per team, rendered on the server as a PNG for Slack. Titled in words; the days
// up to today take most of the width and set the vertical scale, the rest of the month is a
// light band with the pace drawn faintly (so early in the month it is not mostly empty).
//
// Vega-Lite describes the chart, Vega lays it out into an SVG (no canvas, no DOM), and resvg
// rasterizes the SVG with the DejaVu fonts shipped in the `dejavu-fonts-ttf` package only:
// no system font and no network, so the image is the same on every machine and in Docker.
import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import { Error as VEGA_LOG_ERROR, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { dayjs } from '../../domain/dayjs.js';
import type { Period } from '../../domain/periods.js';
import { clipText } from '../../domain/slack-text.js';

export interface MonthChartInput {
  /** In words: "December 2026", or with the sales team: "East · December 2026" (see chartTitle). */
  title: string;
  /** ISO 4217 code, for the axis labels. */
  currency: string;
  /** The period's local dates 'YYYY-MM-DD', in order. */
  days: string[];
  series: Array<{
    /** User text: only drawn into the image, so it needs no escaping. */
    team: string;
    /** Per day: cumulative sales so far in minor units; null for days after today. */
    cumulativeMinor: Array<bigint | null>;
    /** The team's target for the period (null: no pace line). */
    targetMinor: bigint | null;
  }>;
  /** The currency's minor digits (2 for USD, 0 for JPY). */
  minorDigits: number;
}

/** The chart's size in CSS pixels; the PNG has PIXEL_RATIO times as many for crisp text. */
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;
export const PIXEL_RATIO = 2;

/**
 * The share of the plot's width the days so far take at least, when days are left: early in
 * the period the days so far are readable and the rest is a light strip, not most of the chart.
 */
export const ELAPSED_SHARE = 0.75;

export const CHART_FONT_FAMILY = 'DejaVu Sans';
const require = createRequire(import.meta.url);
// Resolved through node_modules, so this works from src/ (tsx) and from dist/ alike.
const FONT_FILES = [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')];

const ACTUAL = 'Actual';
const PACE = 'Target pace';
const INK = '#1f2933';
const MUTED = '#52606d';
/** The rest of the period: a light band, and the pace lines in it drawn faintly. */
export const AHEAD_FILL = '#eef1f4';
export const AHEAD_OPACITY = 0.35;
// Text sizes in CSS pixels: on a phone Slack shows the image about as wide as the screen,
// well under half of 800 px; these stay legible there.
const TITLE_SIZE = 26;
const TEXT_SIZE = 19;
/** A team name in the title is cut to this many characters (names may have 40), so the title fits. */
const TITLE_TEAM_MAX = 24;
/** Axis labels closer than this share of the width would touch. */
const MIN_LABEL_GAP = 0.09;

// Solid for actual, dashed for pace: one legend, above the plot, explains the two styles.
const LINE_STYLE = {
  field: 'kind',
  type: 'nominal',
  title: null,
  scale: {
    domain: [ACTUAL, PACE],
    range: [
      [1, 0],
      [6, 4],
    ],
  },
  legend: {
    orient: 'top',
    direction: 'horizontal',
    symbolType: 'stroke',
    symbolStrokeColor: MUTED,
    symbolStrokeWidth: 3,
    labelLimit: 200,
    values: [ACTUAL, PACE],
  },
} as const;

interface ChartRow {
  team: string;
  kind: typeof ACTUAL | typeof PACE;
  /** Start: the zero the lines start from; past: up to today, drawn fully; ahead: the rest of the period, drawn lightly. */
  part: 'start' | 'past' | 'ahead';
  /** Across the plot, 0 (the period's start) to 1 (its end); a day's total sits at its end: see boundaryPositions. */
  x: number;
  amount: number;
}

/** "December 2026", "Q4 2026" (or "Q1 FY2027" when the fiscal year starts in another month), "East · December 2026". */
export function chartTitle(period: Pick<Period, 'kind' | 'key' | 'startDate'>, fyStartMonth: number, team?: string | null): string {
  const start = dayjs.utc(period.startDate);
  const words = (() => {
    switch (period.kind) {
      case 'month':
        return start.format('MMMM YYYY');
      case 'week':
        return `Week of ${start.format('MMMM D, YYYY')}`;
      case 'quarter': {
        const [year = '', quarter = ''] = period.key.split('-');
        return fyStartMonth === 1 ? `${quarter} ${year.replace(/^FY/, '')}` : `${quarter} ${year}`;
      }
      case 'year':
        return fyStartMonth === 1 ? period.key.replace(/^FY/, '') : `Fiscal year ${period.key.replace(/^FY/, '')}`;
    }
  })();
  return team ? `${clipText(team, TITLE_TEAM_MAX)} · ${words}` : words;
}

/** Renders the chart as a PNG of CHART_WIDTH x CHART_HEIGHT at PIXEL_RATIO. */
export async function renderMonthChart(input: MonthChartInput): Promise<Buffer> {
  const svg = await renderMonthChartSvg(input);
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: PIXEL_RATIO },
    background: 'white',
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    logLevel: 'off',
  });
  return image.asPng();
}

/** The SVG step on its own: what resvg rasterizes. */
export async function renderMonthChartSvg(input: MonthChartInput): Promise<string> {
  const { spec } = compile(monthChartSpec(input));
  // Both legends above the plot: side by side with space between for a few teams, the line
  // styles on their own row under many. A Vega setting Vega-Lite does not carry.
  const few = new Set(input.series.map((s) => s.team)).size <= 3;
  const layout = few
    ? ({ anchor: 'start', direction: 'horizontal', margin: 40 } as const)
    : ({ anchor: 'start', direction: 'vertical', margin: 8 } as const);
  spec.config = { ...spec.config, legend: { ...spec.config?.legend, layout: { top: layout } } };
  const view = new View(parse(spec), { renderer: 'none', logLevel: VEGA_LOG_ERROR });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The Vega-Lite spec: data inlined, so rendering reads nothing from disk or network. */
export function monthChartSpec(input: MonthChartInput): TopLevelSpec {
  input.days.forEach(utcDay); // each a 'YYYY-MM-DD'
  const todayIndex = lastDayWithData(input);
  const positions = boundaryPositions(input.days.length, todayIndex);
  const split = positions[todayIndex + 1] ?? 1;
  const hasAhead = split < 1;
  const teams = [...new Set(input.series.map((s) => s.team))];
  const rows = chartRows(input, positions, todayIndex);
  const top = Math.max(0, ...rows.filter((row) => row.part === 'past').map((row) => row.amount));
  const ticks = axisDays(positions, todayIndex);

  return {
    // No limit: Vega measures text by estimate here and would cut it short; chartTitle keeps titles short.
    title: { text: input.title, subtitle: subtitle(input.days, todayIndex, hasAhead) },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    padding: { top: 16, right: 28, bottom: 12, left: 16 },
    background: 'white',
    data: { values: rows },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: null,
        scale: { domain: [0, 1], nice: false, zero: false },
        axis: {
          values: ticks.map((index) => positions[index + 1] ?? 0),
          labelExpr: dayLabelExpr(input.days, positions, ticks),
          labelOverlap: 'greedy',
          labelSeparation: 10,
          labelFlush: true,
          grid: false,
          tickSize: 5,
        },
      },
      y: {
        field: 'amount',
        type: 'quantitative',
        title: null,
        // Fitted to the days so far: the pace ahead may leave the top of the plot. Without any
        // amount yet, a fixed frame keeps the axis readable.
        scale: top > 0 ? { domain: [0, top * 1.1], nice: 4 } : { domain: [0, 1000] },
        axis: {
          labelExpr: moneyLabelExpr(input.currency),
          tickCount: 4,
          tickMinStep: 1,
          domain: false,
          ticks: false,
          labelPadding: 8,
        },
      },
      color: {
        field: 'team',
        type: 'nominal',
        title: null,
        scale: { domain: teams, scheme: 'tableau10' },
        // One team is named in the title; several get their colours explained above the plot.
        // Three a row (the digest draws up to 8 teams), each name cut to fit.
        legend:
          teams.length > 1
            ? {
                orient: 'top',
                direction: 'horizontal',
                columns: Math.min(teams.length, 3),
                labelLimit: teams.length <= 3 ? 320 : 160,
                symbolType: 'stroke',
                symbolStrokeWidth: 3,
              }
            : null,
      },
    },
    layer: [
      ...(hasAhead
        ? [
            {
              data: { values: [{ from: split, to: 1 }] },
              mark: { type: 'rect' as const, color: AHEAD_FILL },
              encoding: {
                x: { field: 'from', type: 'quantitative' as const },
                x2: { field: 'to' },
                y: { value: 0 },
                y2: { value: 'height' as const },
                color: { value: AHEAD_FILL },
              },
            },
            {
              transform: [
                {
                  filter: {
                    and: [
                      { field: 'kind', equal: PACE },
                      { field: 'part', equal: 'ahead' },
                    ],
                  },
                },
              ],
              mark: { type: 'line' as const, strokeWidth: 2, opacity: AHEAD_OPACITY, clip: true },
              encoding: { strokeDash: LINE_STYLE },
            },
          ]
        : []),
      {
        transform: [
          {
            filter: {
              and: [
                { field: 'kind', equal: PACE },
                { field: 'part', oneOf: ['start', 'past'] },
              ],
            },
          },
        ],
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { strokeDash: LINE_STYLE },
      },
      {
        transform: [{ filter: { field: 'kind', equal: ACTUAL } }],
        mark: { type: 'line', strokeWidth: 3.5 },
        encoding: { strokeDash: LINE_STYLE },
      },
      {
        transform: [
          {
            filter: {
              and: [
                { field: 'kind', equal: ACTUAL },
                { field: 'part', equal: 'past' },
              ],
            },
          },
        ],
        mark: { type: 'point', filled: true, size: 50, opacity: 1 },
      },
    ],
    config: {
      font: CHART_FONT_FAMILY,
      title: {
        anchor: 'start',
        fontSize: TITLE_SIZE,
        fontWeight: 'bold',
        color: INK,
        subtitleFontSize: TEXT_SIZE,
        subtitleColor: MUTED,
        subtitlePadding: 6,
        offset: 10,
      },
      axis: {
        labelFont: CHART_FONT_FAMILY,
        labelFontSize: TEXT_SIZE,
        labelColor: MUTED,
        gridColor: '#e4e7eb',
        domainColor: '#9aa5b1',
        tickColor: '#9aa5b1',
      },
      legend: {
        labelFont: CHART_FONT_FAMILY,
        labelFontSize: TEXT_SIZE,
        labelColor: INK,
        symbolSize: 400,
        symbolOpacity: 1,
        columnPadding: 20,
        padding: 0,
        offset: 12,
      },
      view: { stroke: null },
    },
  };
}

/**
 * Where the period's day boundaries sit across the plot, 0 to 1: boundary 0 is the start of
 * the first day, boundary i the end of day i (where its running total is drawn). Up to the end
 * of today the days take ELAPSED_SHARE of the width at least (their own share when larger);
 * the days after today share the rest. A whole period spreads evenly.
 */
export function boundaryPositions(dayCount: number, todayIndex: number): number[] {
  if (dayCount === 0) return [0];
  const split = Math.min(todayIndex + 1, dayCount);
  const evenly = (boundary: number) => boundary / dayCount;
  if (split >= dayCount) return Array.from({ length: dayCount + 1 }, (_, boundary) => evenly(boundary));
  const share = Math.max(ELAPSED_SHARE, evenly(split));
  return Array.from({ length: dayCount + 1 }, (_, boundary) =>
    boundary <= split ? (boundary / split) * share : share + ((boundary - split) / (dayCount - split)) * (1 - share),
  );
}

/** "Cumulative sales to Dec 6 · rest of the period shaded", or for a whole period its dates. */
function subtitle(days: string[], todayIndex: number, hasAhead: boolean): string {
  const label = (date: string | undefined) => (date === undefined ? '' : dayjs.utc(date).format('MMM D'));
  if (!hasAhead) return `Cumulative sales, ${label(days[0])} – ${label(days.at(-1))}`;
  return `Cumulative sales to ${label(days[todayIndex])} · rest of the period shaded`;
}

/** The index of the last day any series has a cumulative for (0 when none has one yet). */
function lastDayWithData(input: MonthChartInput): number {
  let last = 0;
  for (const { cumulativeMinor } of input.series) {
    cumulativeMinor.forEach((minor, index) => {
      if (minor !== null && index > last) last = index;
    });
  }
  return Math.min(last, Math.max(0, input.days.length - 1));
}

function chartRows(input: MonthChartInput, positions: number[], todayIndex: number): ChartRow[] {
  const dayCount = input.days.length;
  const at = (boundary: number) => positions[boundary] ?? 0;
  const rows: ChartRow[] = [];
  for (const { team, cumulativeMinor, targetMinor } of input.series) {
    // Every line starts from nothing at the start of the period.
    rows.push({ team, kind: ACTUAL, part: 'start', x: 0, amount: 0 });
    cumulativeMinor.forEach((minor, index) => {
      if (minor === null || index >= dayCount) return;
      rows.push({ team, kind: ACTUAL, part: 'past', x: at(index + 1), amount: toMajorNumber(minor, input.minorDigits) });
    });
    // The pace runs straight from 0 at the start to the target at the end: drawn fully to the
    // end of today, lightly after it.
    if (targetMinor !== null && dayCount > 0) {
      const target = toMajorNumber(targetMinor, input.minorDigits);
      const split = Math.min(todayIndex + 1, dayCount);
      const atSplit = (target * split) / dayCount;
      rows.push({ team, kind: PACE, part: 'start', x: 0, amount: 0 }, { team, kind: PACE, part: 'past', x: at(split), amount: atSplit });
      if (split < dayCount)
        rows.push(
          { team, kind: PACE, part: 'ahead', x: at(split), amount: atSplit },
          { team, kind: PACE, part: 'ahead', x: 1, amount: target },
        );
    }
  }
  return rows;
}

/**
 * Minor units as a float of major units. Display only: a pixel position needs no exact
 * cents, and the money maths stays in bigint everywhere else.
 */
function toMajorNumber(minor: bigint, minorDigits: number): number {
  return Number(minor) / 10 ** minorDigits;
}

function utcDay(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`Expected a date 'YYYY-MM-DD', got "${date}"`);
  const [, year = '', month = '', day = ''] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day));
}

/**
 * The axis's labelled days, as indexes: the first and every 7th after it up to today, today,
 * and the last day of the period (Dec 1, Dec 8, Dec 10, Dec 31), each at its end. A weekly
 * label too close to today's or the last day's is left out.
 */
function axisDays(positions: number[], todayIndex: number): number[] {
  const dayCount = positions.length - 1;
  if (dayCount <= 0) return [];
  const fixed = [...new Set([todayIndex, dayCount - 1])];
  const near = (index: number) =>
    fixed.some((other) => Math.abs((positions[index + 1] ?? 0) - (positions[other + 1] ?? 0)) < MIN_LABEL_GAP);
  const weekly = Array.from({ length: todayIndex + 1 }, (_, index) => index).filter(
    (index) => index % 7 === 0 && !fixed.includes(index) && !near(index),
  );
  return [...weekly, ...fixed].sort((a, b) => a - b);
}

/** Vega's label for a tick at a position: the day's 'Dec 6', looked up (the positions are exact). */
function dayLabelExpr(days: string[], positions: number[], ticks: number[]): string {
  const labels = Object.fromEntries(ticks.map((index) => [String(positions[index + 1]), dayjs.utc(days[index]).format('MMM D')]));
  return `${JSON.stringify(labels)}[toString(datum.value)] || ''`;
}

/** '$12k', '€1.5M', '¥300k': the currency's symbol and a compact amount in major units. */
function moneyLabelExpr(currency: string): string {
  const symbol =
    new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
      .formatToParts(0)
      .find((part) => part.type === 'currency')?.value ?? currency;
  const prefix = /^[A-Z]{2,}$/.test(symbol) ? `${symbol} ` : symbol;
  // d3's SI prefixes, with billions as B rather than G.
  return `${JSON.stringify(prefix)} + replace(format(datum.value, '.3~s'), 'G', 'B')`;
}

/** The PNG file signature: \x89 P N G \r \n \x1a \n. */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(buffer: Buffer): boolean {
  return buffer.length >= PNG_SIGNATURE.length && buffer.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
}

/** Width and height from the IHDR chunk, which a PNG must start with. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (!isPng(png) || png.length < 24 || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new RangeError('Not a PNG: no signature and IHDR chunk');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
