// A child's 903 episodes joined into periods of care, the portal's looked-after involvements.
// An episode ends with a reason (REC): X1 means a new episode follows the same day (a change of
// placement or legal status, care goes on); any other reason ends care. So a period runs from
// the first episode's start (DECOM) to the end (DEC) of the first episode whose reason ends
// care, or is open while its last episode is.
import { CONTINUES_CARE } from './codes.ts';

export interface Episode {
  file: string;
  line: number;
  decom: string;
  dec: string | null;
  rec: string | null;
}

export interface Period {
  /** The episode the period starts with: where the period is reported from. */
  first: Episode;
  start: string;
  end: string | null;
}

type Report = (episode: Episode, rule: string, dfeRule: string, field: string, value: string | null, message: string, outcome: 'rejected' | 'warning') => void;

export function periodsOfCare(episodes: readonly Episode[], report: Report): Period[] {
  // Overlaps first: the later of two overlapping episodes is rejected; the earlier stands.
  const kept: Episode[] = [];
  for (const episode of [...episodes].sort((a, b) => (a.decom < b.decom ? -1 : a.decom > b.decom ? 1 : a.line - b.line))) {
    const previous = kept.at(-1);
    if (previous && previous.dec === null) {
      report(episode, 'overlapping-episodes', '142', 'DECOM', episode.decom, `A new episode has started, but the previous episode (line ${previous.line}) has not ended`, 'rejected');
    } else if (previous && episode.decom < previous.dec!) {
      report(episode, 'overlapping-episodes', '501', 'DECOM', episode.decom, `A new episode has started before the end date of the previous episode (line ${previous.line})`, 'rejected');
    } else {
      kept.push(episode);
    }
  }

  const periods: Period[] = [];
  let current: Period | undefined;
  kept.forEach((episode, i) => {
    current ??= { first: episode, start: episode.decom, end: null };
    if (episode.dec === null) {
      periods.push(current);
      current = undefined;
      return;
    }
    if (episode.rec === CONTINUES_CARE) {
      const next = kept[i + 1];
      if (next && next.decom === episode.dec) return;
      // The file shows no care after this episode: the period ends with it, and the data team
      // is told why, rather than guessing that care went on.
      report(episode, 'no-continuation', '388', 'REC', episode.rec, 'Reason episode ceased is coded new episode begins, but there is no continuation episode: the period of care is taken to end here', 'warning');
    }
    current.end = episode.dec;
    periods.push(current);
    current = undefined;
  });
  return periods;
}
