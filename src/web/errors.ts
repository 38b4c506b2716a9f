// The 404 and error pages, in the same style as the rest of the portal. Errors are logged with
// their request id (shown to the user as a reference) but never with the request's content.
import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../log.ts';
import type { Views } from './views.ts';

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
    log.error('unhandled error', {
      requestId: c.get('requestId'),
      route: c.req.routePath,
      error: error.message,
      stack: error.stack,
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
