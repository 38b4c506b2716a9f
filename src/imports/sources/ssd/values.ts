// SSD values as the three big case systems' SSD scripts write them, read into the portal's terms.
import type { CpCategory } from '../../records.ts';

// The keys System C's and Eclipse's scripts build addr_address_json from, in reading order.
// HOUSE and STREET make one part ("12 Mill Lane"); UPRN and coordinates are not part of an address line.
const ADDRESS_PARTS = ['ROOM', 'FLOOR', 'FLAT', 'BUILDING'] as const;
const NOT_ADDRESS = new Set(['UPRN', 'EASTING', 'NORTHING', 'POSTCODE']);

/**
 * addr_address_json as one line: "Flat 3, 12 Mill Lane, Northbridge". System C and Eclipse write
 * a JSON object (Eclipse repeats the house number as BUILDING); Mosaic writes the address as
 * comma-separated text ending in the postcode. The postcode is kept separately, so it is dropped.
 */
export function addressLine(text: string, postcode: string | null): string | null {
  const trimmed = text.trim();
  let parts: string[];
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) return plain(trimmed, postcode);
    const fields = new Map(Object.entries(json as Record<string, unknown>).map(([k, v]) => [k.toUpperCase(), typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '']));
    const house = fields.get('HOUSE') ?? '';
    parts = ADDRESS_PARTS.map((key) => {
      const value = fields.get(key) ?? '';
      if (key === 'FLAT' && /^\d+[A-Z]?$/i.test(value)) return `Flat ${value}`;
      if (key === 'BUILDING' && value === house) return '';
      return value;
    });
    parts.push([house, fields.get('STREET') ?? ''].filter(Boolean).join(' '));
    parts.push(fields.get('TOWN') ?? '');
    // Any other text field a council's own script added, after the known ones.
    for (const [key, value] of fields) {
      if (![...ADDRESS_PARTS, 'HOUSE', 'STREET', 'TOWN'].includes(key as never) && !NOT_ADDRESS.has(key)) parts.push(value);
    }
  } else {
    return plain(trimmed, postcode);
  }
  const line = parts.map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean).join(', ');
  return line === '' ? null : line;
}

function plain(text: string, postcode: string | null): string | null {
  let parts = text.split(/\s*[,\r\n]+\s*/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const last = parts[parts.length - 1];
  if (last && postcode && last.replace(/\s/g, '').toUpperCase() === postcode.replace(/\s/g, '')) parts = parts.slice(0, -1);
  return parts.length ? parts.join(', ') : null;
}

/** A UK postcode upper case with one space before the inward code (Eclipse writes none). */
export function normalisePostcode(text: string): string | null {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (compact === '' || /^X+$/.test(compact) || compact === 'NOPOSTCODE') return null;
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

/**
 * A category of abuse, as a CIN census code (System C can be set to codes) or as the description
 * a case system shows ("Neglect", "Physical abuse", "Multiple Categories of Abuse", "Multiple
 * (includes category not recorded)"). Undefined when it is neither.
 */
export function parseCpCategory(text: string): CpCategory | undefined {
  const value = text.trim().toUpperCase();
  if (value === 'NEG' || value === 'PHY' || value === 'SAB' || value === 'EMO' || value === 'MUL') return value;
  const words = value.toLowerCase();
  if (/^multiple\b|^mixed\b/.test(words)) return 'MUL';
  if (/^neglect\b/.test(words)) return 'NEG';
  if (/^physical( abuse)?$|^physical injury$/.test(words)) return 'PHY';
  if (/^sexual( abuse)?$/.test(words)) return 'SAB';
  if (/^emotional( abuse)?$/.test(words)) return 'EMO';
  return undefined;
}

/** The description the writer uses for each code: DfE's own words. */
export const cpCategoryDescriptions: Record<CpCategory, string> = {
  NEG: 'Neglect', PHY: 'Physical abuse', SAB: 'Sexual abuse', EMO: 'Emotional abuse', MUL: 'Multiple Categories of Abuse',
};

/**
 * The allocated case worker: 'CW' is Liquidlogic's involvement type code (System C's SSD script
 * since v1.4.5); Mosaic's script writes the allocation's description instead.
 */
export function isCaseWorkerRole(text: string): boolean {
  const value = text.trim().toLowerCase();
  return value === 'cw' || /^allocated (case |social )?worker$/.test(value);
}

/** The linked identifier types the portal reads (ssd_linked_identifiers.link_identifier_type). */
export type LinkedIdentifier = 'nhs' | 'upn' | 'former-upn';
export function linkedIdentifierType(text: string): LinkedIdentifier | undefined {
  switch (text.trim().toLowerCase().replace(/\s+/g, ' ')) {
    case 'nhs number': return 'nhs';
    case 'unique pupil number': case 'upn': return 'upn';
    case 'former unique pupil number': case 'former upn': return 'former-upn';
    default: return undefined;
  }
}
