// Search text matched literally in a LIKE pattern: `%`, `_` and `\` typed by a person are
// characters to find, not wildcards. Use with `escape '\'` in the SQL.

/** A LIKE pattern matching text that starts with `text`, exactly as typed. */
export function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
