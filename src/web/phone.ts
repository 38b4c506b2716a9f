// A phone number as a page shows it (as the record has it: "0113 496 0000") and the tel: address
// a phone dials. The address is in international form (RFC 3966: tel:+441134960000), so it works
// from a mobile roaming abroad or a softphone that does not assume the United Kingdom.

export interface PhoneLink {
  /** As written in the record. */
  text: string;
  /** For `href`, with the scheme: tel:+441134960000; null where the text is no number to dial. */
  href: string | null;
}

/**
 * The number in E.164 form for a UK number written nationally ("0113 496 0000" → +441134960000),
 * or as written when it is already international ("+44 113…", "+44 (0)113…", "0044 113…"). Spaces, dashes,
 * brackets and dots are dropped; null where nothing dialable is left (a note, not a number).
 */
export function dialableNumber(text: string): string | null {
  // "+44 (0)113…": the bracketed trunk 0 is not dialled from abroad.
  const digits = text.replace(/\(0\)/g, '').replace(/[\s\-().]/g, '');
  if (/^\+\d{6,15}$/.test(digits)) return digits;
  if (/^00\d{6,15}$/.test(digits)) return `+${digits.slice(2)}`;
  // A short emergency or service number (999, 111) is dialled as it is.
  if (/^\d{3,5}$/.test(digits)) return digits;
  if (/^0\d{9,10}$/.test(digits)) return `+44${digits.slice(1)}`;
  return null;
}

/** The number as shown and as dialled (no href where the text is not a number); null where there is none. */
export function phoneLink(text: string | null | undefined): PhoneLink | null {
  if (!text) return null;
  const number = dialableNumber(text);
  return { text, href: number ? `tel:${number}` : null };
}
