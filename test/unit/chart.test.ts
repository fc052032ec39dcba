import { describe, expect, it } from 'vitest';
import {
  CHART_FONT_FAMILY,
  isPng,
  pngSize,
  renderMonthChart,
  renderMonthChartSvg,
  type MonthChartInput,
} from '../../src/digest/chart.js';

const DAYS = Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
const TODAY = 26; // November 26: the days after it have no cumulative yet

/** Cumulative minor units of `daily(i)` up to TODAY, null after. */
function cumulative(daily: (day: number) => bigint): Array<bigint | null> {
  let sum = 0n;
  return DAYS.map((_, i) => (i < TODAY ? (sum += daily(i)) : null));
}

const TWO_TEAMS: MonthChartInput = {
  title: 'November 2026 · cumulative sales vs target pace',
  currency: 'USD',
  minorDigits: 2,
  days: DAYS,
  series: [
    { team: 'Enterprise', cumulativeMinor: cumulative(() => 150_000n), targetMinor: 4_500_000n }, // $1,500 a day, $45k target
    { team: 'Inside Sales', cumulativeMinor: cumulative((i) => (i % 3 === 0 ? 120_000n : 0n)), targetMinor: null },
  ],
};

const EMPTY_MONTH: MonthChartInput = {
  ...TWO_TEAMS,
  series: TWO_TEAMS.series.map((s) => ({ ...s, cumulativeMinor: DAYS.map(() => null) })),
};

// 800 x 400 CSS pixels at a pixel ratio of 2.
const EXPECTED_SIZE = { width: 1600, height: 800 };

describe('renderMonthChart', () => {
  it.each([
    ['two teams, one without a target', TWO_TEAMS],
    ['an empty month', EMPTY_MONTH],
  ])('renders %s as a 1600x800 PNG, the same bytes every time', async (_, input) => {
    const png = await renderMonthChart(input);

    expect(isPng(png)).toBe(true);
    expect(pngSize(png)).toEqual(EXPECTED_SIZE);
    expect(png.length).toBeGreaterThan(5 * 1024);
    expect((await renderMonthChart(input)).equals(png)).toBe(true);
  });

  it('draws text with the bundled font: another title of the same length changes the pixels', async () => {
    // Same length, so the same layout: without a font resvg draws no glyph and both are equal.
    const november = await renderMonthChart({ ...TWO_TEAMS, title: 'November 2026' });
    const december = await renderMonthChart({ ...TWO_TEAMS, title: 'December 2026' });

    expect(pngSize(december)).toEqual(EXPECTED_SIZE);
    expect(december.equals(november)).toBe(false);
  });

  it('names the bundled font, the title, the teams and compact money labels in the SVG', async () => {
    const svg = await renderMonthChartSvg(TWO_TEAMS);

    expect(svg).toContain(`font-family="${CHART_FONT_FAMILY}"`);
    expect(svg).toContain('November 2026 · cumulative sales vs target pace');
    expect(svg).toContain('>Enterprise<');
    expect(svg).toContain('>Inside Sales<');
    expect(svg).toContain('>Target pace<');
    expect(svg).toContain('>$40k<');
    expect(svg).toContain('>Nov 8<');
  });

  it('draws a pace line only for a team with a target', async () => {
    const svg = await renderMonthChartSvg(TWO_TEAMS);

    expect(svg).toContain('Team: Enterprise; kind: Target pace');
    expect(svg).not.toContain('Team: Inside Sales; kind: Target pace');
    expect(svg).toContain('Team: Inside Sales; kind: Actual');
  });

  it('labels yen in whole units', async () => {
    const yen: MonthChartInput = {
      ...TWO_TEAMS,
      currency: 'JPY',
      minorDigits: 0,
      series: [{ team: 'Tokyo', cumulativeMinor: cumulative(() => 1_000_000n), targetMinor: 30_000_000n }],
    };
    expect(await renderMonthChartSvg(yen)).toContain('>¥30M<');
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
