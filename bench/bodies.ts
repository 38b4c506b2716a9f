// Each request's body for a load run, where one body sent again and again would not be real use:
// a fresh idempotency key in every request (so each POST makes a new record), and a placeholder
// filled by the next of a list of values (a school's concerns are about many pupils, not one).
import { randomUUID } from 'node:crypto';

export interface BodyParts {
  body?: string;
  /** Replaced by a new UUID in every request. */
  freshKey?: string;
  /** `key` replaced by each of `values` in turn, round and round. */
  rotate?: { key: string; values: string[] };
}

/** A function giving the next request's body (the body as it is when there is nothing to fill in). */
export function bodies({ body, freshKey, rotate }: BodyParts): () => string | undefined {
  let turn = 0;
  return () => {
    if (body === undefined) return undefined;
    let next = freshKey ? body.replaceAll(freshKey, randomUUID()) : body;
    if (rotate?.values.length) next = next.replaceAll(rotate.key, rotate.values[turn++ % rotate.values.length]!);
    return next;
  };
}
