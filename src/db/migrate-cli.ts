// `npm run db:migrate`: apply pending migrations to DATABASE_URL (or the embedded database).
import { loadConfigOrExit } from '../config/config.ts';
import { createLogger } from '../log.ts';
import { connect } from './connect.ts';
import { migrate } from './migrate.ts';
import { openDatabase } from './open.ts';

const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL);
const database = await openDatabase(config, log);
const sql = connect(database.url, { max: 2 });
let exitCode = 0;
try {
  const { applied, alreadyApplied } = await migrate(sql);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply.');
  console.log(`Already applied: ${alreadyApplied.length}`);
} catch (error) {
  console.error((error as Error).message);
  exitCode = 1;
} finally {
  await sql.end({ timeout: 5 });
  await database.stop();
}
process.exit(exitCode);
