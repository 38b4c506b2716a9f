// The 404 and error pages, in the same style as the rest of the portal. Errors are logged with
// their request id (shown to the user as a reference) but never with the request's content:
// by name, code and database object names (src/log.ts errorFields) and the stack's frames
// without its message, which for a database error can repeat the values sent.
//
// When the database is away (connection refused or closed, connect or statement timeout, the
// server shutting down), the answer is 503 with "try again": nothing is wrong with the request.
import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { errorFields, stackFrames, type Logger } from '../log.ts';
import type { Views } from './views.ts';

/** Seconds a client is asked to wait before trying again while the database is away. */
export const RETRY_AFTER_S = 5;

export function notFoundPage(views: Views): NotFoundHandler {
  return (c) => views.render(c, 'errors/not-found', {}, 404);
}

export function errorPage(views: Views, log: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      // Bad requests (malformed or oversized bodies) are the client's problem: say so plainly.
      const status = error.status;
      const heading = status === 413 ? 'What you sent is too large' : 'Sorry, there is a problem with that request';
      return views.render(c, 'errors/error', { heading, message: 'Go back and try again.' }, status);
    }
    if (isDatabaseUnavailable(error)) {
      log.warn('database unavailable', { requestId: c.get('requestId'), route: c.req.routePath, ...errorFields(error) });
      c.header('Retry-After', String(RETRY_AFTER_S));
      c.header('Cache-Control', 'no-store');
      return views.render(c, 'errors/error', unavailablePage(c.get('requestId')), 503);
    }
    log.error('unhandled error', {
      requestId: c.get('requestId'),
      route: c.req.routePath,
      ...errorFields(error),
      stack: stackFrames(error),
    });
    return views.render(
      c,
      'errors/error',
      {
        heading: 'Sorry, there is a problem with the service',
        message: 'Try again later. What you were doing has not been lost if it was saved before this happened.',
        requestId: c.get('requestId'),
      },
      500,
    );
  };
}

function unavailablePage(requestId: string | undefined) {
  return {
    heading: 'Sorry, the service is unavailable',
    message: 'Try again in a few minutes. Anything you sent has not been saved unless you saw a confirmation with a reference.',
    requestId,
  };
}

/**
 * The same "try again" page without a request context, for a request that ran past its time
 * limit (src/server.ts answers it while the app is still waiting). Static: it cannot depend on
 * anything that may be what is slow.
 */
export function unavailableHtml(): string {
  const { heading, message } = unavailablePage(undefined);
  return `<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head>
  <meta charset="utf-8">
  <title>${heading} – Safeguarding Partner Portal</title>
  <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
  <link rel="stylesheet" href="/assets/portal.css">
</head>
<body class="govuk-template__body">
  <div class="govuk-width-container">
    <main class="govuk-main-wrapper" id="main-content">
      <h1 class="govuk-heading-l">${heading}</h1>
      <p class="govuk-body">${message}</p>
      <p class="govuk-body">If a child is in immediate danger, call 999.</p>
    </main>
  </div>
</body>
</html>
`;
}
