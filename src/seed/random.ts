// A small seeded pseudo-random generator for demo data. Math.random() cannot be seeded, and
// demo data must come out the same on every machine (the same child ids, names and dates for
// the same seed), so we use sfc32: fast, 128 bits of state, good enough statistically for
// synthetic records. It is NOT for anything secret: use node:crypto for that.
import { Buffer } from 'node:buffer';

/** Mixes any number of 32-bit integers into one (murmur3's finaliser), so streams can be keyed. */
function mix(parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** Several seed parts give independent streams, e.g. `new Random(seed, childIndex)`. */
  constructor(...seedParts: number[]) {
    // splitmix32 spreads one 32-bit seed over the four state words.
    let s = mix(seedParts);
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    // sfc32's first outputs are poorly mixed; discard a few.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** The next 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer from min to max, both included. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max is below min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks a value by relative weight, e.g. [['NEG', 48], ['EMO', 36], ...]. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let at = this.next() * total;
    for (const [value, weight] of choices) {
      at -= weight;
      if (at < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }

  /** A random-looking but reproducible UUID in RFC 4122 version 4 format (version 4, variant 10xx). */
  uuid(): string {
    const words = [
      this.uint32(),
      ((this.uint32() & 0xffff0fff) | 0x00004000) >>> 0,
      ((this.uint32() & 0x3fffffff) | 0x80000000) >>> 0,
      this.uint32(),
    ];
    // Written into a scratch buffer: about eight times faster than joining toString(16) pieces,
    // which matters at a million ids, and gives flat strings that cost less memory.
    let at = 0;
    for (const word of words) {
      for (let shift = 28; shift >= 0; shift -= 4) {
        if (at === 8 || at === 13 || at === 18 || at === 23) scratch[at++] = 0x2d; // '-'
        scratch[at++] = HEX_DIGITS[(word >>> shift) & 15]!;
      }
    }
    return scratch.toString('latin1', 0, 36);
  }
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const scratch = Buffer.alloc(36);

export function createRandom(...seedParts: number[]): Random {
  return new Random(...seedParts);
}
