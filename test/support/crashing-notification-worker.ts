// A notification worker that crashes at the worst moment, for test/outbox.test.ts: its transport
// records the message (as the development transport does) and then the process kills itself
// with SIGKILL, before the outbox row can be marked delivered. No clean-up runs.
//
//   node --import tsx test/support/crashing-notification-worker.ts <database url> <lease seconds>
import { connect } from '../../src/db/connect.ts';
import { deliverDue, developmentTransport } from '../../src/notifications/worker.ts';

const [url, lease] = process.argv.slice(2);
if (!url || !lease) {
  process.stderr.write('usage: crashing-notification-worker.ts <database url> <lease seconds>\n');
  process.exit(2);
}

const sql = connect(url, { max: 1 });
const record = developmentTransport(sql);
await deliverDue(
  sql,
  async (message) => {
    await record(message);
    process.stdout.write(`sent ${message.outboxId}\n`);
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {}); // never returns: the process is gone
  },
  { batchSize: 1, leaseSeconds: Number(lease) },
);
// Only reached when there was nothing to send.
process.stderr.write('nothing was due\n');
await sql.end();
process.exit(3);
