// The home page's view models, one per panel. Which panels a signed-in person sees is the
// policy's answer (src/start/routes.ts asks `access.can` for each); these only shape what the
// access module (or the access log's unusual activity) released.
import type { AlertRecord, ConcernCounts, ReleasedConcern } from '../access/index.ts';
import type { UnusualActivity, UnusualActivitySettings } from '../audit/unusual-activity.ts';
import { presentSubmissions, type SubmissionView } from '../concerns/presenter.ts';
import { presentUnusualActivityKinds } from '../governance/presenter.ts';
import { presentLookupForm, type LookupFormView } from '../lookup/presenter.ts';
import { formatDateTime } from '../web/format.ts';

/** An alert as the home page shows it. */
export function presentAlert(alert: AlertRecord, showWorker: boolean) {
  return {
    id: alert.id,
    childHref: `/children/${alert.childId}`,
    createdAt: formatDateTime(alert.createdAt),
    message: alert.message,
    // A team manager sees whose alert it is.
    worker: showWorker ? alert.workerName : null,
  };
}

export type AlertView = ReturnType<typeof presentAlert>;

/** A submission on the home page: as the submissions page shows it, with the way to its receipt. */
export interface HomeSubmissionView extends SubmissionView {
  href: string;
  decidedAt: string | null;
}

function homeSubmissions(concerns: ReleasedConcern[], now: Date): HomeSubmissionView[] {
  const { submissions } = presentSubmissions(concerns, now);
  return submissions.map((submission, index) => ({
    ...submission,
    href: `/concerns/${encodeURIComponent(submission.reference)}`,
    decidedAt: formatDateTime(concerns[index]!.decidedAt),
  }));
}

/** A partner's panel: their organisation's new decisions and latest submissions. */
export function presentPartnerPanels(newDecisions: ReleasedConcern[], recent: ReleasedConcern[], days: number, now: Date) {
  return {
    decisions: { days, items: homeSubmissions(newDecisions, now) },
    submissions: { items: homeSubmissions(recent, now) },
  };
}

/** The front door's counts, each with the way to the queue. */
export function presentFrontDoorCounts(counts: ConcernCounts) {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return {
    items: [
      { key: 'waiting', count: counts.waiting, text: plural(counts.waiting, 'concern waiting for a decision', 'concerns waiting for a decision'), href: '/front-door?status=open' },
      { key: 'overdue', count: counts.overdue, text: `${counts.overdue} overdue`, href: '/front-door?status=open' },
      { key: 'immediate-risk', count: counts.immediateRisk, text: `${counts.immediateRisk} at immediate risk of harm`, href: '/front-door?status=open' },
    ],
  };
}

/** The lookup form, empty, as the lookup page shows it. */
export function presentLookupPanel(): LookupFormView {
  return presentLookupForm({ method: '', nhsNumber: '', surname: '', day: '', month: '', year: '', postcode: '', reason: '' });
}

/**
 * Information governance's panel: the latest unusual activity of every kind (bursts of
 * summaries, lookups out of hours, repeated lookups that found no child, hours of many or refused
 * lookups), newest first, the top few.
 */
export function presentUnusualActivityPanel(activity: UnusualActivity, settings: UnusualActivitySettings, days: number, top: number) {
  const kinds = presentUnusualActivityKinds(activity, settings);
  const all = [...kinds.summaries, ...kinds.outOfHours, ...kinds.noMatch, ...kinds.lookups].sort((a, b) => b.at.getTime() - a.at.getTime());
  return {
    days,
    items: all.slice(0, top).map((item) => ({ when: formatDateTime(item.at), who: item.who, role: item.role, organisation: item.organisation, what: item.what })),
    more: all.length > top,
    counts: {
      summaries: kinds.summaries.length, outOfHours: kinds.outOfHours.length, noMatch: kinds.noMatch.length, lookups: kinds.lookups.length,
    },
  };
}

/** Information governance's line about e-mails that failed (issue 18): the count, and where to see them. */
export function presentFailedMessages(failed: number) {
  return {
    failed,
    text: failed === 0 ? 'No e-mails have failed to send.' : failed === 1 ? '1 e-mail could not be sent' : `${failed} e-mails could not be sent`,
    href: '/governance/messages?status=failed',
  };
}
