// Small numbers protected (issue 17, point 3; docs/figures.md "Suppression"). In figures marked
// for sharing — they leave the council — a count under the threshold is not shown ("fewer than
// 5"), as official statistics do, so that no child or family can be picked out. Then:
//   - secondary suppression: where counts add up to a total that is shown (or shown in another
//     figure), one hidden count could be worked out from the total and the others. So in every
//     such group, when exactly one count is hidden, the smallest other count is hidden too; when
//     the total itself is hidden, so is every part. Repeated until nothing changes.
//   - a derived figure (a percentage, a rate, a median) is hidden when any count it is made
//     from is hidden.
// The internal view suppresses nothing and says so. Pure: cells in, cells marked out.

export interface Count {
  value: number;
  /** Set by suppress(): not to be shown. */
  suppressed?: boolean;
}

/** Counts that add up to `total` (shown, or shown elsewhere): a hidden part must not be recoverable. */
export interface Group {
  parts: Count[];
  total?: Count;
}

export interface Derived {
  /** Null where there is nothing to derive (no concerns due, say). */
  value: number | null;
  from: Count[];
  suppressed?: boolean;
}

export const count = (value: number): Count => ({ value });

/** Marks what must not be shown in a shared figure. Primary (under `threshold`), then secondary, then derived. */
export function suppress(counts: Count[], groups: Group[], derived: Derived[], threshold: number): void {
  for (const c of counts) if (c.value < threshold) c.suppressed = true;
  for (const g of groups) if (g.total && g.total.value < threshold) g.total.suppressed = true;
  let changed = true;
  while (changed) {
    changed = false;
    for (const { parts, total } of groups) {
      if (total?.suppressed) {
        for (const part of parts) if (!part.suppressed) { part.suppressed = true; changed = true; }
        continue;
      }
      const hidden = parts.filter((p) => p.suppressed).length;
      if (hidden !== 1) continue;
      const next = parts.filter((p) => !p.suppressed).sort((a, b) => a.value - b.value)[0];
      if (next) { next.suppressed = true; changed = true; }
    }
  }
  for (const d of derived) d.suppressed = d.from.some((c) => c.suppressed);
}
