// A time of day as a page says when to try again ("after 14:05"), in England's time zone
// whatever the server's. For a time within the next hour or so: no date.
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Europe/London' });

export const formatTime = (at: Date): string => timeFormat.format(at);
