// Whether the browser journeys (test/browser/) can run here. They drive Debian's chromium; on a
// machine without it they are skipped, so `npm test` still passes, and the run says so once
// (global-setup.ts). In CI (CI=true), which installs Chromium, a missing one is a fault: there
// the journeys are not skipped, and fail with the reason.
import { accessSync, constants } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const inCI = (): boolean => !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

export function chromiumMissing(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return false;
  } catch {
    return true;
  }
}

/** True where the journeys are to be skipped: no Chromium, and not in CI. */
export const skipBrowserJourneys = chromiumMissing() && !inCI();

/** What to tell the person running the tests, or null when the journeys will run (or fail, in CI). */
export function browserJourneysSkippedMessage(): string | null {
  if (!skipBrowserJourneys) return null;
  return `Browser journeys skipped: no Chromium at ${CHROMIUM}. Install it with \`apt-get install chromium\` (or set CHROMIUM_PATH) to run them.`;
}

/** Stops a journey at once with the reason, rather than with playwright's launch error. */
export function requireChromium(): void {
  if (chromiumMissing()) {
    throw new Error(`Browser journeys need Chromium, and there is none at ${CHROMIUM}${inCI() ? ' (CI=true: CI installs it, so this is a fault, not a skip)' : ''}. Install it with \`apt-get install chromium\` or set CHROMIUM_PATH.`);
  }
}
