// The portal's only script of its own, loaded as a module (no inline script: the
// Content-Security-Policy forbids it). It marks the page as having JavaScript, starts the
// GOV.UK Frontend components and the time-out warning; pages work without it.
import { initAll } from '/assets/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
startTimeoutWarning()

/**
 * GOV.UK's time-out warning. <body> gives the session's idle limit (data-session-idle) and how
 * long before the end to warn (data-session-warning), in seconds; loading the page was activity,
 * so the end is that long after it. Then a modal dialog says "You'll be signed out in 2 minutes"
 * and counts down; "Stay signed in" (or Escape) sends the dialog's form, the server starts the
 * idle time again and says how long there is now; at the end the page goes to "You have been
 * signed out". An htmx request is activity too (its answer's X-Session-Expires-In). The tabs
 * of one browser share one session, so they share the latest end through localStorage: a tab
 * left open does not time out a person busy in another.
 */
function startTimeoutWarning () {
  const dialog = document.getElementById('timeout-warning')
  const idleSeconds = Number(document.body.dataset.sessionIdle)
  const warnSeconds = Number(document.body.dataset.sessionWarning)
  if (!dialog || typeof dialog.showModal !== 'function' || !(idleSeconds > 0) || !(warnSeconds > 0)) return

  const form = dialog.querySelector('form[data-keep-alive]')
  const countdown = dialog.querySelector('[data-countdown]')
  const status = dialog.querySelector('[data-countdown-status]')
  const SHARED = 'portal-session-ends-at'
  let deadline = 0
  let warnTimer
  let ticker
  let returnFocus = null
  let lastSpoken = null
  let sending = false

  /** A new end for the session, from activity here; shared with the other tabs. */
  function activity (seconds) {
    deadline = Date.now() + seconds * 1000
    try { window.localStorage.setItem(SHARED, String(deadline)) } catch {}
  }
  /** The latest end any tab knows of (activity in another tab moves it later). */
  function latest () {
    let shared = 0
    try { shared = Number(window.localStorage.getItem(SHARED)) || 0 } catch {}
    if (shared > deadline) deadline = shared
    return deadline
  }
  const secondsLeft = () => Math.max(0, Math.ceil((latest() - Date.now()) / 1000))
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`
  function inWords (seconds) {
    const minutes = Math.floor(seconds / 60)
    const rest = seconds % 60
    if (minutes && rest) return `${plural(minutes, 'minute')} ${plural(rest, 'second')}`
    return minutes ? plural(minutes, 'minute') : plural(rest, 'second')
  }

  function schedule () {
    clearTimeout(warnTimer)
    warnTimer = setTimeout(check, Math.max(0, latest() - warnSeconds * 1000 - Date.now()))
  }

  function check () {
    const left = secondsLeft()
    if (left <= 0) return timedOut()
    if (left <= warnSeconds) return open()
    schedule()
  }

  function update () {
    const left = secondsLeft()
    if (left <= 0) return timedOut()
    // Another tab's activity: no need to warn any more.
    if (left > warnSeconds) {
      close()
      return schedule()
    }
    countdown.textContent = `You’ll be signed out in ${inWords(left)}.`
    // Screen readers hear the time at first, then every 20 seconds (at each whole minute and
    // in the last minute), not every second.
    const say = left > 60 ? Math.ceil(left / 60) * 60 : Math.ceil(left / 20) * 20
    if (say !== lastSpoken) {
      lastSpoken = say
      status.textContent = `You’ll be signed out in ${inWords(Math.min(left, say))}.`
    }
  }

  function open () {
    if (!dialog.open) {
      returnFocus = document.activeElement
      lastSpoken = null
      dialog.showModal()
      dialog.focus()
    }
    update()
    clearInterval(ticker)
    ticker = setInterval(update, 1000)
  }

  let closingHere = false
  function close () {
    clearInterval(ticker)
    closingHere = true
    if (dialog.open) dialog.close()
    closingHere = false
    if (returnFocus && document.contains(returnFocus) && typeof returnFocus.focus === 'function') returnFocus.focus()
    returnFocus = null
  }

  function timedOut () {
    clearInterval(ticker)
    clearTimeout(warnTimer)
    const here = window.location.pathname + window.location.search
    window.location.assign(`/timed-out?return_to=${encodeURIComponent(here)}`)
  }

  async function staySignedIn () {
    if (sending) return
    sending = true
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        redirect: 'manual'
      })
      if (!response.ok) return timedOut()
      const answer = await response.json()
      activity(answer.expiresInSeconds)
      close()
      schedule()
    } catch {
      // The network is away: the warning stays (or comes back) and counts on, to try again.
      if (!dialog.open) check()
    } finally {
      sending = false
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    staySignedIn()
  })
  // Escape closes a dialog; here it means "stay signed in", as in GOV.UK's pattern. (A browser
  // may close the dialog anyway on a second Escape: that is "stay signed in" too.)
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    staySignedIn()
  })
  dialog.addEventListener('close', () => {
    if (!closingHere) {
      clearInterval(ticker)
      staySignedIn()
    }
  })
  document.body.addEventListener('htmx:afterRequest', (event) => {
    const header = event.detail && event.detail.xhr && event.detail.xhr.getResponseHeader('X-Session-Expires-In')
    const seconds = Number(header)
    if (header && seconds >= 0) {
      activity(seconds)
      if (secondsLeft() > warnSeconds) close()
      schedule()
    }
  })
  window.addEventListener('storage', (event) => {
    if (event.key === SHARED && !dialog.open) schedule()
  })
  // Timers sleep in a hidden tab: look again when it is shown.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !dialog.open) check()
  })
  activity(idleSeconds)
  schedule()
}
