// The portal's only script of its own, loaded as a module (no inline script: the
// Content-Security-Policy forbids it). It marks the page as having JavaScript and starts the
// GOV.UK Frontend components; pages work without it.
import { initAll } from '/assets/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
