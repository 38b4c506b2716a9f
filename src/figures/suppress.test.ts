// Small numbers protected (./suppress.ts): primary, secondary and derived suppression on cells
// small enough to check by hand.
import { describe, expect, it } from 'vitest';
import { count, suppress, type Derived } from './suppress.ts';

const hidden = (...cells: Array<{ suppressed?: boolean }>) => cells.map((c) => Boolean(c.suppressed));

describe('suppress', () => {
  it('hides counts under the threshold, and the smallest other part beside a lone hidden one', () => {
    const [a, b, c, total] = [count(3), count(40), count(12), count(55)];
    suppress([a, b, c, total], [{ parts: [a, b, c], total }], [], 5);
    // 3 alone would be 55 - 40 - 12: 12 is hidden with it.
    expect(hidden(a, b, c, total)).toEqual([true, false, true, false]);
  });

  it('leaves two hidden parts as they are, and hides every part of a hidden total', () => {
    const [a, b, c, total] = [count(2), count(4), count(30), count(36)];
    suppress([a, b, c, total], [{ parts: [a, b, c], total }], [], 5);
    expect(hidden(a, b, c, total)).toEqual([true, true, false, false]);
    const [d, e, t] = [count(0), count(3), count(3)];
    suppress([d, e, t], [{ parts: [d, e], total: t }], [], 5);
    expect(hidden(d, e, t)).toEqual([true, true, true]);
  });

  it('follows one group into another until nothing changes', () => {
    // Secondary suppression in the first month's row hides 7, which is also part of a school's total.
    const [m1a, m1b, m2a, m2b] = [count(2), count(7), count(9), count(20)];
    const schoolTotal = count(m1b.value + m2b.value);
    suppress([m1a, m1b, m2a, m2b, schoolTotal], [{ parts: [m1a, m1b] }, { parts: [m1b, m2b], total: schoolTotal }], [], 5);
    expect(hidden(m1a, m1b, m2a, m2b)).toEqual([true, true, false, true]);
  });

  it('hides a share made from a hidden count, and keeps one made from shown counts', () => {
    const [inTime, late, due] = [count(98), count(2), count(100)];
    const share: Derived = { value: 98, from: [inTime, due] };
    suppress([inTime, late, due], [{ parts: [inTime, late], total: due }], [share], 5);
    expect(hidden(inTime, late, due, share)).toEqual([true, true, false, true]);
    const [x, y, z] = [count(60), count(40), count(100)];
    const shown: Derived = { value: 60, from: [x, z] };
    suppress([x, y, z], [{ parts: [x, y], total: z }], [shown], 5);
    expect(shown.suppressed).toBe(false);
  });
});
