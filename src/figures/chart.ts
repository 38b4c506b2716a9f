// A figure's chart as server-rendered SVG (issue 17, point 2): the geometry is worked out here
// and views/figures/_chart.eta only writes it out. No client-side library, no inline style: each
// series has a class (colour and dash pattern in assets/portal.scss), so lines are told apart
// without colour too. The SVG scales to its box (viewBox), so it fits a 390 px screen.
// A value not shown (suppressed, or nothing to derive) leaves a gap in a line, or no bar.

export interface ChartValue { value: number | null; hidden: boolean }

const WIDTH = 640;
const LEFT = 56;
const RIGHT = 16;
const TOP = 16;
const PLOT_HEIGHT = 240;
const BOTTOM = 40;
const SERIES_CLASSES = 8;

const monthShort = new Intl.DateTimeFormat('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' });
const shortMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return monthShort.format(new Date(Date.UTC(y, m - 1, 1)));
};

/** A round maximum for the axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

const round = (n: number) => Math.round(n * 10) / 10;
const numberLabel = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-GB') : n.toLocaleString('en-GB', { maximumFractionDigits: 1 }));

export interface LineChart {
  kind: 'line';
  width: number; height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  yTicks: Array<{ y: number; label: string }>;
  xTicks: Array<{ x: number; label: string }>;
  series: Array<{ label: string; className: string; paths: string[]; points: Array<{ x: number; y: number }> }>;
}

export function lineChart(months: string[], series: Array<{ label: string; values: ChartValue[] }>, fixedMax?: number): LineChart {
  const shown = series.flatMap((s) => s.values.filter((v) => !v.hidden && v.value !== null).map((v) => v.value!));
  const max = fixedMax ?? niceMax(Math.max(0, ...shown));
  const bottom = TOP + PLOT_HEIGHT;
  const right = WIDTH - RIGHT;
  const step = months.length > 1 ? (right - LEFT) / (months.length - 1) : 0;
  const x = (i: number) => round(months.length > 1 ? LEFT + i * step : (LEFT + right) / 2);
  const y = (v: number) => round(bottom - (v / max) * PLOT_HEIGHT);
  // At most about 12 month labels, so they never overlap.
  const every = Math.max(1, Math.ceil(months.length / 12));
  return {
    kind: 'line', width: WIDTH, height: bottom + BOTTOM,
    plot: { left: LEFT, right, top: TOP, bottom },
    yTicks: [0, 0.25, 0.5, 0.75, 1].map((f) => ({ y: y(max * f), label: numberLabel(max * f) })),
    xTicks: months.flatMap((m, i) => (i % every === 0 ? [{ x: x(i), label: shortMonth(m) }] : [])),
    series: series.map((s, index) => {
      const paths: string[] = [];
      const points: Array<{ x: number; y: number }> = [];
      let run: string[] = [];
      s.values.forEach((v, i) => {
        if (v.hidden || v.value === null) {
          if (run.length) paths.push(run.join(' '));
          run = [];
          return;
        }
        const point = { x: x(i), y: y(v.value) };
        points.push(point);
        run.push(`${run.length ? 'L' : 'M'}${point.x} ${point.y}`);
      });
      if (run.length) paths.push(run.join(' '));
      return { label: s.label, className: `app-chart__series--${index % SERIES_CLASSES}`, paths: paths.filter((p) => p.includes('L')), points };
    }),
  };
}

export interface BarChart {
  kind: 'bar';
  width: number; height: number;
  labelWidth: number;
  xTicks: Array<{ x: number; label: string }>;
  bars: Array<{ label: string; y: number; textY: number; width: number; valueLabel: string; valueX: number }>;
  plot: { left: number; right: number; top: number; bottom: number };
}

const BAR = 20;
const BAR_GAP = 8;
const LABEL_WIDTH = 240;

export function barChart(bars: Array<{ label: string; value: ChartValue }>, hiddenLabel: string): BarChart {
  const shown = bars.filter((b) => !b.value.hidden && b.value.value !== null).map((b) => b.value.value!);
  const max = niceMax(Math.max(0, ...shown));
  const left = LABEL_WIDTH;
  const right = WIDTH - RIGHT - 48;
  const bottom = TOP + bars.length * (BAR + BAR_GAP);
  const scale = (v: number) => round(((right - left) * v) / max);
  return {
    kind: 'bar', width: WIDTH, height: bottom + BOTTOM, labelWidth: LABEL_WIDTH - 8,
    plot: { left, right, top: TOP, bottom },
    xTicks: [0, 0.5, 1].map((f) => ({ x: round(left + (right - left) * f), label: numberLabel(max * f) })),
    bars: bars.map((b, i) => {
      const y = TOP + i * (BAR + BAR_GAP);
      const visible = !b.value.hidden && b.value.value !== null;
      const width = visible ? scale(b.value.value!) : 0;
      return {
        label: b.label.length > 32 ? `${b.label.slice(0, 31)}…` : b.label,
        y, textY: y + BAR - 5, width,
        valueLabel: visible ? numberLabel(round(b.value.value!)) : b.value.hidden ? hiddenLabel : 'none',
        valueX: round(left + width + 4),
      };
    }),
  };
}
