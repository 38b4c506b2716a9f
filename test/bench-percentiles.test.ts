// The benchmark's percentile maths and fixed-rate schedule (bench/percentiles.ts). The benchmark
// itself is not a test; these pure helpers are.
import { describe, expect, it } from 'vitest';
import { latencySummary, percentile, scheduledAt } from '../bench/percentiles.ts';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the value at the rank ceil(p × n)', () => {
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.9)).toBe(90);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 0.999)).toBe(100);
    expect(percentile(hundred, 1)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
  });

  it('is NaN for no values and the value itself for one', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(percentile([7], 0.999)).toBe(7);
  });
});

describe('latencySummary', () => {
  it('sorts first and reports the tail: one stall among a thousand fast answers is the p99.9 and the max', () => {
    const values = [...Array.from({ length: 999 }, () => 2), 500].reverse();
    expect(latencySummary(values)).toEqual({ count: 1000, p50: 2, p90: 2, p99: 2, p999: 2, max: 500 });
    const tenStalls = [...Array.from({ length: 990 }, () => 2), ...Array.from({ length: 10 }, () => 300)];
    expect(latencySummary(tenStalls)).toMatchObject({ p99: 2, p999: 300, max: 300 });
    const elevenStalls = [...Array.from({ length: 989 }, () => 2), ...Array.from({ length: 11 }, () => 300)];
    expect(latencySummary(elevenStalls).p99).toBe(300);
  });

  it('does not change the values it is given', () => {
    const values = [3, 1, 2];
    latencySummary(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('scheduledAt', () => {
  it('spaces requests evenly at the rate, whatever happens to earlier ones', () => {
    expect(scheduledAt(0, 200)).toBe(0);
    expect(scheduledAt(1, 200)).toBe(5);
    expect(scheduledAt(200, 200)).toBe(1000);
    expect(scheduledAt(12_000, 200)).toBe(60_000);
  });
});
