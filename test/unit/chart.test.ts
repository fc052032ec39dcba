import { describe, expect, it } from 'vitest';
import {
  AHEAD_FILL,
  AHEAD_OPACITY,
  CHART_FONT_FAMILY,
  boundaryPositions,
  chartTitle,
  isPng,
  pngSize,
  renderMonthChart,
  renderMonthChartSvg,
  type MonthChartInput,
} from '../../src/slack/views/digest-chart.js';
import type { Period } from '../../src/domain/periods.js';

const DECEMBER = Array.from({ length: 31 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}`);

/** Cumulative minor units of `daily(i)` for the first `days` days, null after. */
function cumulative(days: number, daily: (day: number) => bigint): Array<bigint | null> {
  let sum = 0n;
  return DECEMBER.map((_, i) => {
    if (i >= days) return null;
    sum += daily(i);
    return sum;
  });
}

/** Early in the month: December 6 is the last day with sales (a digest on Monday the 7th). */
const EARLY: MonthChartInput = {
  title: 'December 2026',
  currency: 'USD',
  minorDigits: 2,
  days: DECEMBER,
  series: [
    { team: 'Enterprise', cumulativeMinor: cumulative(6, () => 500_000n), targetMinor: 15_000_000n }, // $5,000 a day, $150k target
    { team: 'Inside Sales', cumulativeMinor: cumulative(6, (i) => (i % 3 === 0 ? 300_000n : 0n)), targetMinor: null },
  ],
};

/** The whole month, as the digest on January 1 shows it. */
const WHOLE: MonthChartInput = {
  ...EARLY,
  series: EARLY.series.map((s, n) => ({ ...s, cumulativeMinor: cumulative(31, () => (n === 0 ? 500_000n : 100_000n)) })),
};

const EMPTY_MONTH: MonthChartInput = {
  ...EARLY,
  series: EARLY.series.map((s) => ({ ...s, cumulativeMinor: DECEMBER.map(() => null) })),
};

// 800 x 400 CSS pixels at a pixel ratio of 2.
const EXPECTED_SIZE = { width: 1600, height: 800 };

/** Every text the SVG draws, in order. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]!);
}
const xLabels = (svg: string) => texts(svg).filter((text) => /^[A-Z][a-z]{2} \d{1,2}$/.test(text));
const yLabels = (svg: string) => texts(svg).filter((text) => text.startsWith('$'));
/** The plot's width in the SVG: its background rect. */
const plotWidth = (svg: string) => Number(/class="background" aria-hidden="true" d="M0,0h(\d+(?:\.\d+)?)v/.exec(svg)?.[1]);
/** The drawn lines, by their Vega aria-label, with their opacity (1 when none is set). */
function lines(svg: string): Array<{ label: string; opacity: number }> {
  return [...svg.matchAll(/<path aria-label="([^"]*)"[^>]*aria-roledescription="line mark"[^>]*?(?: opacity="([\d.]+)")?\/>/g)].map(
    (match) => ({
      label: match[1]!,
      opacity: match[2] === undefined ? 1 : Number(match[2]),
    }),
  );
}

describe('chartTitle', () => {
  const period = (kind: Period['kind'], key: string, startDate: string) => ({ kind, key, startDate });
  it.each([
    ['a month', period('month', '2026-12', '2026-12-01'), 1, null, 'December 2026'],
    ['a month of a sales team', period('month', '2026-12', '2026-12-01'), 1, 'East', 'East · December 2026'],
    ['a calendar quarter', period('quarter', 'FY2026-Q4', '2026-10-01'), 1, null, 'Q4 2026'],
    ['a fiscal quarter', period('quarter', 'FY2027-Q1', '2026-04-01'), 4, null, 'Q1 FY2027'],
    ['a calendar year', period('year', 'FY2026', '2026-01-01'), 1, null, '2026'],
    ['a fiscal year', period('year', 'FY2027', '2026-04-01'), 4, null, 'Fiscal year 2027'],
    ['a week', period('week', '2026-W48', '2026-11-23'), 1, null, 'Week of November 23, 2026'],
    // Team names may have 40 characters: the title keeps 23 and an ellipsis, so it fits the image.
    [
      'a month of a team with a long name',
      period('month', '2026-12', '2026-12-01'),
      1,
      'public_sector_and_education_emea',
      'public_sector_and_educa… · December 2026',
    ],
  ])('names %s in words', (_, p, fyStartMonth, team, expected) => {
    expect(chartTitle(p, fyStartMonth, team)).toBe(expected);
  });
});

describe('boundaryPositions', () => {
  it.each([
    // 31 days, today is day 6 (index 5): the first 6 days take 3/4 of the width, 25 days the last 1/4.
    [31, 5, { 0: 0, 3: 0.375, 6: 0.75, 7: 0.76, 31: 1 }],
    // The first day so far still gets the 3/4.
    [31, 0, { 0: 0, 1: 0.75, 31: 1 }],
    // Past 3/4 of the period, the days so far keep their own share: 27 of 30 days.
    [30, 26, { 0: 0, 27: 0.9, 30: 1 }],
    // A whole period spreads evenly.
    [30, 29, { 0: 0, 15: 0.5, 30: 1 }],
  ])('%i days, today at index %i', (dayCount, todayIndex, expected) => {
    const positions = boundaryPositions(dayCount, todayIndex);
    expect(positions).toHaveLength(dayCount + 1);
    for (const [boundary, position] of Object.entries(expected)) expect(positions[Number(boundary)]).toBeCloseTo(position, 10);
    // Always increasing: no two days on one spot.
    expect(positions.every((position, i) => i === 0 || position > positions[i - 1]!)).toBe(true);
  });
});

describe('the chart early in the month', () => {
  it('says the month and what it shows in words, and keeps the team names and the line styles apart', async () => {
    const svg = await renderMonthChartSvg(EARLY);
    const drawn = texts(svg);

    expect(drawn).toContain('December 2026');
    expect(drawn).toContain('Cumulative sales to Dec 6 · rest of the period shaded');
    // One legend for the teams, one for the line styles, neither under a "Team" heading.
    expect(drawn.filter((text) => ['Enterprise', 'Inside Sales', 'Actual', 'Target pace', 'Team'].includes(text))).toEqual([
      'Enterprise',
      'Inside Sales',
      'Actual',
      'Target pace',
    ]);
    expect(svg).toContain(`font-family="${CHART_FONT_FAMILY}"`);
  });

  it('runs the x axis from the start to today over 3/4 of the width, then to the month end', async () => {
    const svg = await renderMonthChartSvg(EARLY);
    const width = plotWidth(svg);

    expect(xLabels(svg)).toEqual(['Dec 1', 'Dec 6', 'Dec 31']);
    // The rest of the month is a light band from 3/4 of the width to the end.
    const band = new RegExp(`d="M${width * 0.75},0h${width * 0.25}v\\d+h-${width * 0.25}Z" fill="${AHEAD_FILL}"`);
    expect(svg).toMatch(band);
  });

  it('draws the pace ahead lighter than the pace so far and the sales, and only for a team with a target', async () => {
    const drawn = lines(await renderMonthChartSvg(EARLY)).map(({ label, opacity }) => [
      label.replace(/^x: [\d.]+; amount: [\d.]+; /, ''),
      opacity,
    ]);

    expect(drawn).toEqual([
      ['team: Enterprise; kind: Target pace', AHEAD_OPACITY], // from today to the month end
      ['team: Enterprise; kind: Target pace', 1], // from the start to today
      ['team: Enterprise; kind: Actual', 1],
      ['team: Inside Sales; kind: Actual', 1],
    ]);
  });

  it('fits the y axis to the days so far, not to the month target', async () => {
    // Enterprise: $30k by Dec 6, pace $29k; the $150k target is off the top.
    expect(yLabels(await renderMonthChartSvg(EARLY))).toEqual(['$0', '$10k', '$20k', '$30k', '$40k']);
  });
});

describe('the chart of a whole month', () => {
  it('spreads the days evenly without a band, labelling weeks and the last day', async () => {
    const svg = await renderMonthChartSvg(WHOLE);

    expect(texts(svg)).toContain('Cumulative sales, Dec 1 – Dec 31');
    expect(xLabels(svg)).toEqual(['Dec 1', 'Dec 8', 'Dec 15', 'Dec 22', 'Dec 31']);
    expect(svg).not.toContain(AHEAD_FILL);
    expect(lines(svg).every((line) => line.opacity === 1)).toBe(true);
    expect(yLabels(svg)).toEqual(['$0', '$50k', '$100k', '$150k', '$200k']);
  });

  it('draws one team without a team legend: the title names it', async () => {
    const svg = await renderMonthChartSvg({ ...WHOLE, title: 'East · December 2026', series: [{ ...WHOLE.series[0]!, team: 'East' }] });

    expect(texts(svg)).toContain('East · December 2026');
    expect(texts(svg).filter((text) => ['East', 'Actual', 'Target pace'].includes(text))).toEqual(['Actual', 'Target pace']);
  });
});

describe('the chart of eight teams (the most a digest draws)', () => {
  it('names every team and still explains the line styles in a legend of their own', async () => {
    const names = ['north', 'south', 'east', 'west', 'partners', 'smb', 'emea', 'apac'];
    const svg = await renderMonthChartSvg({ ...EARLY, series: names.map((team) => ({ ...EARLY.series[0]!, team })) });
    const legends = [...svg.matchAll(/aria-label="(Symbol legend for [^"]*)"/g)].map((match) => match[1]);

    expect(legends).toEqual([
      'Symbol legend for fill color and stroke color with 8 values: north, south, east, west, partners, ending with apac',
      'Symbol legend for strokeDash with 2 values: Actual, Target pace',
    ]);
    expect(texts(svg).filter((text) => [...names, 'Actual', 'Target pace'].includes(text))).toEqual([...names, 'Actual', 'Target pace']);
  });
});

describe('renderMonthChart', () => {
  it.each([
    ['two teams early in the month, one without a target', EARLY],
    ['a whole month', WHOLE],
    ['a month without sales yet', EMPTY_MONTH],
  ])('renders %s as a 1600x800 PNG, the same bytes every time', async (_, input) => {
    const png = await renderMonthChart(input);

    expect(isPng(png)).toBe(true);
    expect(pngSize(png)).toEqual(EXPECTED_SIZE);
    expect(png.length).toBeGreaterThan(5 * 1024);
    expect((await renderMonthChart(input)).equals(png)).toBe(true);
  });

  it('draws text with the bundled font: another title of the same length changes the pixels', async () => {
    // Same length, so the same layout: without a font resvg draws no glyph and both are equal.
    const november = await renderMonthChart({ ...EARLY, title: 'November 2026' });
    const december = await renderMonthChart({ ...EARLY, title: 'December 2026' });

    expect(pngSize(december)).toEqual(EXPECTED_SIZE);
    expect(december.equals(november)).toBe(false);
  });

  it('on a month without sales yet, shows the pace of its first day; without a target either, a fixed frame', async () => {
    // $150k over 31 days: $4.8k by the end of Dec 1.
    expect(yLabels(await renderMonthChartSvg(EMPTY_MONTH))).toEqual(['$0', '$2k', '$4k', '$6k']);
    const nothing = { ...EMPTY_MONTH, series: EMPTY_MONTH.series.map((s) => ({ ...s, targetMinor: null })) };
    expect(yLabels(await renderMonthChartSvg(nothing))).toEqual(['$0', '$200', '$400', '$600', '$800', '$1k']);
  });

  it('labels yen in whole units', async () => {
    const yen: MonthChartInput = {
      ...WHOLE,
      currency: 'JPY',
      minorDigits: 0,
      series: [{ team: 'Tokyo', cumulativeMinor: cumulative(31, () => 1_000_000n), targetMinor: 30_000_000n }],
    };
    expect(texts(await renderMonthChartSvg(yen)).filter((text) => text.startsWith('¥'))).toEqual(['¥0', '¥10M', '¥20M', '¥30M', '¥40M']);
  });

  it('refuses a day that is not YYYY-MM-DD', async () => {
    await expect(renderMonthChartSvg({ ...EARLY, days: ['2026-12-1', ...DECEMBER.slice(1)] })).rejects.toThrow(RangeError);
  });
});

describe('isPng and pngSize', () => {
  it('reads the IHDR width and height', () => {
    const header = Buffer.from('89504e470d0a1a0a0000000d49484452000003200000019008060000', 'hex');
    expect(isPng(header)).toBe(true);
    expect(pngSize(header)).toEqual({ width: 800, height: 400 });
  });

  it('rejects what is not a PNG', () => {
    const jpeg = Buffer.from('ffd8ffe000104a464946', 'hex');
    expect(isPng(jpeg)).toBe(false);
    expect(isPng(Buffer.alloc(0))).toBe(false);
    expect(() => pngSize(jpeg)).toThrow(RangeError);
  });
});
