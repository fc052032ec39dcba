// The Monday digest's chart: cumulative sales against the target pace line for the month,
// one colour per team, rendered on the server as a PNG for Slack.
//
// Vega-Lite describes the chart, Vega lays it out into an SVG (no canvas, no DOM), and resvg
// rasterizes the SVG with the DejaVu fonts shipped in the `dejavu-fonts-ttf` package only:
// no system font and no network, so the image is the same on every machine and in Docker.
import { createRequire } from 'node:module';
import { renderAsync } from '@resvg/resvg-js';
import { Error as VEGA_LOG_ERROR, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface MonthChartInput {
  /** e.g. "November 2026 · cumulative sales vs target pace" */
  title: string;
  /** ISO 4217 code, for the axis labels. */
  currency: string;
  /** The month's local dates 'YYYY-MM-DD', in order. */
  days: string[];
  series: Array<{
    /** User text: only drawn into the image, so it needs no escaping. */
    team: string;
    /** Per day: cumulative sales so far in minor units; null for days after today. */
    cumulativeMinor: Array<bigint | null>;
    /** The team's month target (null: no pace line). */
    targetMinor: bigint | null;
  }>;
  /** The currency's minor digits (2 for USD, 0 for JPY). */
  minorDigits: number;
}

/** The chart's size in CSS pixels; the PNG has PIXEL_RATIO times as many for crisp text. */
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;
export const PIXEL_RATIO = 2;

export const CHART_FONT_FAMILY = 'DejaVu Sans';
const require = createRequire(import.meta.url);
// Resolved through node_modules, so this works from src/ (tsx) and from dist/ alike.
const FONT_FILES = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

const ACTUAL = 'Actual';
const PACE = 'Target pace';
const INK = '#1f2933';
const MUTED = '#52606d';

// Solid for actual, dashed for pace: one legend explains the two styles for every team.
const LINE_STYLE = {
  field: 'kind',
  type: 'nominal',
  title: null,
  scale: { domain: [ACTUAL, PACE], range: [[1, 0], [6, 4]] },
  legend: { orient: 'right', symbolType: 'stroke', symbolStrokeColor: MUTED, symbolStrokeWidth: 2.5 },
} as const;

interface ChartRow {
  team: string;
  kind: typeof ACTUAL | typeof PACE;
  /** Midnight UTC of the local date: the x scale is UTC, so no timezone moves a day. */
  day: number;
  amount: number;
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
  const view = new View(parse(spec), { renderer: 'none', logLevel: VEGA_LOG_ERROR });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The Vega-Lite spec: data inlined, so rendering reads nothing from disk or network. */
export function monthChartSpec(input: MonthChartInput): TopLevelSpec {
  const days = input.days.map(utcDay);
  const first = days[0];
  const last = days.at(-1);
  const teams = [...new Set(input.series.map((s) => s.team))];
  const rows = chartRows(input, days);
  const hasAmounts = rows.some((row) => row.amount > 0);

  return {
    title: { text: input.title },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    padding: { top: 16, right: 16, bottom: 12, left: 16 },
    background: 'white',
    data: { values: rows },
    encoding: {
      x: {
        field: 'day',
        type: 'temporal',
        title: null,
        scale: {
          type: 'utc',
          ...(first !== undefined && last !== undefined ? { domain: [first, last] } : {}),
        },
        axis: {
          format: '%b %-d',
          values: weekStarts(days),
          grid: false,
          tickSize: 4,
        },
      },
      y: {
        field: 'amount',
        type: 'quantitative',
        title: null,
        // Without any amount yet, a fixed frame keeps the axis readable.
        scale: hasAmounts ? { zero: true, nice: 5 } : { domain: [0, 1000] },
        axis: {
          labelExpr: moneyLabelExpr(input.currency),
          tickCount: 5,
          tickMinStep: 1,
          domain: false,
          ticks: false,
          labelPadding: 8,
        },
      },
      color: {
        field: 'team',
        type: 'nominal',
        title: 'Team',
        scale: { domain: teams, scheme: 'tableau10' },
        legend: { orient: 'right', labelLimit: 180, symbolType: 'stroke', symbolStrokeWidth: 2.5 },
      },
    },
    layer: [
      {
        transform: [{ filter: { field: 'kind', equal: PACE } }],
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: { strokeDash: LINE_STYLE },
      },
      {
        transform: [{ filter: { field: 'kind', equal: ACTUAL } }],
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: { strokeDash: LINE_STYLE },
      },
      {
        transform: [{ filter: { field: 'kind', equal: ACTUAL } }],
        mark: { type: 'point', filled: true, size: 28, opacity: 1 },
      },
    ],
    config: {
      font: CHART_FONT_FAMILY,
      title: { anchor: 'start', fontSize: 15, fontWeight: 'bold', color: INK, offset: 14 },
      axis: {
        labelFont: CHART_FONT_FAMILY,
        labelFontSize: 11,
        labelColor: MUTED,
        gridColor: '#e4e7eb',
        domainColor: '#9aa5b1',
        tickColor: '#9aa5b1',
      },
      legend: {
        labelFont: CHART_FONT_FAMILY,
        labelFontSize: 11,
        labelColor: INK,
        titleFont: CHART_FONT_FAMILY,
        titleFontSize: 11,
        titleColor: MUTED,
        symbolSize: 220,
        rowPadding: 5,
        padding: 0,
        offset: 16,
      },
      view: { stroke: null },
    },
  };
}

function chartRows(input: MonthChartInput, days: number[]): ChartRow[] {
  const first = days[0];
  const last = days.at(-1);
  const rows: ChartRow[] = [];
  for (const { team, cumulativeMinor, targetMinor } of input.series) {
    cumulativeMinor.forEach((minor, index) => {
      const day = days[index];
      if (minor === null || day === undefined) return;
      rows.push({ team, kind: ACTUAL, day, amount: toMajorNumber(minor, input.minorDigits) });
    });
    // The pace runs straight from 0 on the first day to the target on the last day.
    if (targetMinor !== null && first !== undefined && last !== undefined) {
      const target = toMajorNumber(targetMinor, input.minorDigits);
      rows.push({ team, kind: PACE, day: first, amount: 0 }, { team, kind: PACE, day: last, amount: target });
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

/** The first day and every 7th after it: Nov 1, Nov 8, ... (the axis's tick marks). */
function weekStarts(days: number[]): number[] {
  return days.filter((_, index) => index % 7 === 0);
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
