// An SSDA903 header and episodes file from the demo data: every demo child with a looked-after
// involvement, keyed by demoCaseSystemId. Each involvement is one period of care; a closed
// period longer than four months is written as two episodes joined by a change of placement
// (REC X1, then RNE P), as real returns are, so reading it back exercises the joining.
import { join } from 'node:path';
import type { ChildRow, DemoData, InvolvementRow } from '../../../seed/generate.ts';
import { demoCaseSystemId } from '../../values.ts';
import { writeLines } from '../cin-census/output.ts';
import { TABLES } from './codes.ts';

export const SSDA903_FILES = { header: 'header.csv', episodes: 'episodes.csv' } as const;

/** dd/mm/yyyy, as the 903 writes dates. */
const ukDate = (iso: string | null) => (iso === null ? '' : `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`);
const csvLine = (cells: readonly string[]) => `${cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\n`;
const SEX = { male: 'M', female: 'F', other: 'U', not_known: 'U' } as const;
const DAY = 86_400_000;
const isoPlusDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY;

interface Looked {
  n: number;
  child: ChildRow;
  periods: InvolvementRow[];
}

function lookedAfter(demo: DemoData): Looked[] {
  const byChild = new Map<string, InvolvementRow[]>();
  for (const involvement of demo.involvements) {
    if (involvement.kind !== 'looked_after') continue;
    const list = byChild.get(involvement.child_id);
    if (list) list.push(involvement);
    else byChild.set(involvement.child_id, [involvement]);
  }
  const out: Looked[] = [];
  demo.children.forEach((child, i) => {
    const periods = byChild.get(child.id);
    if (periods) out.push({ n: i + 1, child, periods: periods.sort((a, b) => (a.start_date < b.start_date ? -1 : 1)) });
  });
  return out;
}

function* headerLines(children: readonly Looked[]): Iterable<string> {
  yield csvLine(TABLES.Header);
  for (const { n, child } of children) {
    // UN1: under six and not yet in school, the demo's only children without a UPN.
    yield csvLine([demoCaseSystemId(n), SEX[child.gender], ukDate(child.date_of_birth), 'NOBT', child.upn ?? 'UN1', child.gender === 'female' ? '0' : '', '']);
  }
}

function* episodeLines(children: readonly Looked[]): Iterable<string> {
  yield csvLine(TABLES.Episodes);
  for (const { n, child, periods } of children) {
    // The 903 gives postcodes to the sector: NB3 4AB is written NB3 4.
    const home = child.postcode ? child.postcode.slice(0, -2) : '';
    const legalStatus = n % 2 === 0 ? 'C2' : 'V2';
    const ended = child.sealed ? 'E11' : 'E4A';
    for (const period of periods) {
      const episode = (decom: string, rne: string, dec: string | null, rec: string) =>
        csvLine([demoCaseSystemId(n), ukDate(decom), rne, legalStatus, 'N1', 'U4', 'PR1', ukDate(dec), dec === null ? '' : rec, rne === 'P' ? 'CARPL' : '', home, 'NB1 1', 'XXXXXXX']);
      const end = period.end_date;
      if (end !== null && daysBetween(period.start_date, end) > 120) {
        const change = isoPlusDays(period.start_date, Math.floor(daysBetween(period.start_date, end) / 2));
        yield episode(period.start_date, 'S', change, 'X1');
        yield episode(change, 'P', end, ended);
      } else {
        yield episode(period.start_date, 'S', end, ended);
      }
    }
  }
}

export async function writeSsda903(demo: DemoData, dir: string): Promise<string[]> {
  const children = lookedAfter(demo);
  const header = join(dir, SSDA903_FILES.header);
  const episodes = join(dir, SSDA903_FILES.episodes);
  await writeLines(header, headerLines(children));
  await writeLines(episodes, episodeLines(children));
  return [header, episodes];
}
