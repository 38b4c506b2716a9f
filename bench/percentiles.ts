// Percentiles for the benchmark's reports. Pure, so test/bench-percentiles.test.ts checks it.

/** Nearest-rank percentile of ascending `sorted` values (fraction 0.999 for p99.9); NaN when empty. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export function latencySummary(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    p999: percentile(sorted, 0.999),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

/**
 * When request `index` (from 0) is due, in ms after the start, at `rate` requests a second: a
 * fixed schedule, whatever the server does (an open loop).
 */
export function scheduledAt(index: number, rate: number): number {
  return (index * 1000) / rate;
}
