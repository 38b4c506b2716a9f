import { connect } from '/work/wt-scale-bench/src/db/connect.ts';
import { copyRows } from '/work/wt-scale-bench/src/seed/copy.ts';
import { generateDemoData } from '/work/wt-scale-bench/src/seed/generate.ts';
const sql = connect('postgres://postgres@127.0.0.1:5432/seedtry', { max: 1 });
const data = generateDemoData({ children: 100000 });
await sql.begin(async (tx) => {
  await tx`create temp table t (like children)`;
  let at = performance.now();
  await copyRows(tx, 't', Object.keys(data.children[0]!), data.children as any);
  console.log('copy temp', performance.now() - at);
  await tx`create table tt (like children)`;
  at = performance.now();
  await copyRows(tx, 'tt', Object.keys(data.children[0]!), data.children as any);
  console.log('copy table', performance.now() - at);
  await tx`rollback`.catch(()=>{});
}).catch(e=>console.log(e.message));
await sql.end();
