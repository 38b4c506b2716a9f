// Browser security policy for every response. The Content-Security-Policy allows scripts,
// styles and everything else only from this origin: no inline script or style, no eval
// (htmx is configured to match in views/layouts/main.eta).
import { secureHeaders } from 'hono/secure-headers';

export const contentSecurityPolicy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

/**
 * `formAction` adds origins a form may end up at: signing out redirects to the identity
 * provider's end-session endpoint, and browsers apply form-action to that redirect.
 */
export const securityHeaders = (formAction: string[] = []) =>
  secureHeaders({
    contentSecurityPolicy: { ...contentSecurityPolicy, formAction: ["'self'", ...formAction] },
    xFrameOptions: 'DENY',
    // same-origin: no address (which may hold a child's record id) ever goes to another site,
    // while our own form posts keep a real Origin header for the CSRF check (no-referrer
    // makes browsers send "Origin: null").
    referrerPolicy: 'same-origin',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
  });
