// SQL for a concern's kinds (migrations/015): every kind the partner ticked, one marked main.
// The main kind is also concerns.category, which the CIN census, the queue's filter and every
// page that shows a concern's kind read. The only module that writes concern_categories;
// concern-records.ts also reads the other kinds as part of a released concern's submission.
import type { ConcernCategory } from '../concerns/categories.ts';
import type { Db } from '../db/connect.ts';

/** Records a new concern's kinds, the main one first (in the transaction that raises it). */
export async function insertConcernCategories(sql: Db, concernId: string, main: ConcernCategory, others: readonly ConcernCategory[]): Promise<void> {
  const rows = [main, ...others.filter((kind) => kind !== main)].map((category) => ({ concern_id: concernId, category, main: category === main }));
  await sql`insert into concern_categories ${sql(rows, 'concern_id', 'category', 'main')}`;
}
