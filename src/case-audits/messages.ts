// The e-mails about actions agreed in a case-file audit (./reminders.ts sends them). Like every
// e-mail the portal sends (src/notifications/messages.ts), they say only that something is
// waiting and where to sign in: not the concern, the child, the action's words or the people.
import type { MessageText } from '../notifications/messages.ts';

function actionsPage(publicUrl: string): string {
  const base = new URL(publicUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('Notification links must be http(s)');
  return new URL('/case-audits', base.origin).toString();
}

/** To the person responsible: an action agreed in a case-file audit is due soon. */
export function actionDueSoon({ publicUrl }: { publicUrl: string }): MessageText {
  return {
    subject: 'An action from a case-file audit is due soon',
    body: `An action agreed in a case-file audit is yours to do and is due soon.\n\nSign in to see it and mark it done: ${actionsPage(publicUrl)}\n`,
  };
}

/** To the person responsible and the auditor: an action agreed in a case-file audit is overdue. */
export function actionOverdue({ publicUrl }: { publicUrl: string }): MessageText {
  return {
    subject: 'An action from a case-file audit is overdue',
    body: `An action agreed in a case-file audit has passed its due date and is not marked done.\n\nSign in to see it: ${actionsPage(publicUrl)}\n`,
  };
}
