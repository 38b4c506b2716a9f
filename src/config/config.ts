// Configuration comes from environment variables only, checked once at start-up so that a
// mistake stops the server with a message naming the variable, rather than failing later.
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseTrustProxy } from '../web/client-address.ts';
import { NOTIFY_API_KEY, notifyTemplateVariables } from '../notifications/kinds.ts';
import { sharedItemsProblem } from '../encompass/shared-items.ts';
import { parseSchoolHolidays, parseTimeOfDay } from '../encompass/school-days.ts';

const notifyTemplateId = z.uuid('must be a GOV.UK Notify template id').optional();

/** An optional setting that `parse` must read; its error's message (which names no secret) is the start-up message. */
function readableBy(parse: (value: string) => unknown) {
  return z.string().trim().superRefine((value, ctx) => {
    try {
      parse(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }).optional();
}

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtps:' || url.protocol === 'smtp:') && url.hostname !== '' && url.username !== '' && url.password !== '';
  } catch {
    return false;
  }
}

const configSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // The portal's address as users reach it; default http://localhost:PORT.
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  // Identity providers (YAML or JSON). Without it the development provider runs instead.
  OIDC_PROVIDERS_FILE: z.string().trim().min(1).optional(),
  // Port of the development identity provider; default PORT + 1.
  DEV_IDP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(10),
  // Sign-ins allowed per account (issuer and subject) in each 10 minutes.
  SIGN_IN_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  // Sign-in attempts allowed per client address in each 10 minutes: a high ceiling, since a
  // school trust or a hospital may sit behind one address (default 600, src/auth/start.ts).
  SIGN_IN_ADDRESS_RATE_LIMIT: z.coerce.number().int().positive().optional(),
  // Lookups one person may make in an hour; more are refused and show as unusual activity.
  LOOKUP_RATE_LIMIT: z.coerce.number().int().positive().default(60),
  // Hours within which the front door should decide on a concern the partner says is at
  // immediate risk, around the clock (routine concerns: one working day).
  IMMEDIATE_RISK_TARGET_HOURS: z.coerce.number().positive().max(24).default(2),
  // The figures (docs/figures.md): in figures marked for sharing, a count under this is shown as
  // "fewer than N" (statistical disclosure control, as official statistics do).
  FIGURES_SUPPRESS_BELOW: z.coerce.number().int().min(1).max(100).default(5),
  // Months a partner's safeguarding training stays current; after that they are read-only until
  // a newer date is recorded. Default 24 (a DSL's lasts two years), applied by createApp
  // (src/training/renewal.ts DEFAULT_TRAINING_VALID_MONTHS), like AUDIT_WITNESS_MINUTES's.
  TRAINING_VALID_MONTHS: z.coerce.number().int().min(1).max(120).optional(),
  // The access log's witness (src/audit/witness.ts): how often the chain's head is written to
  // the witness file (default 5), and where (default DATA_DIR/audit-witness.jsonl). Defaults are
  // applied by witnessSettings(), like PUBLIC_URL's and DEV_IDP_PORT's.
  AUDIT_WITNESS_MINUTES: z.coerce.number().positive().max(24 * 60).optional(),
  AUDIT_WITNESS_FILE: z.string().trim().min(1).optional(),
  // How many whole months of the access log to keep, from the start of the current month (UTC)
  // back; older months may be exported and dropped by `npm run audit:retire` (never by the
  // portal). Unset: kept forever, and audit:retire retires nothing: dropping the record of who
  // looked at a child must be the council's decision, from its retention schedule (72, six
  // years, is a common choice for audit trails of children's records; see docs/operations.md).
  ACCESS_LOG_RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).optional(),
  // The proxies in front of the portal whose X-Forwarded-For may be believed: a hop count (1 for
  // one load balancer) or a comma-separated list of their addresses or CIDR ranges. Unset: none,
  // and the client's address is the socket's (src/web/client-address.ts).
  TRUST_PROXY: z.string().trim().superRefine((value, ctx) => {
    try {
      parseTrustProxy(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }).optional(),
  // A bearer token for GET /metrics. Unset: /metrics is not served in production (404).
  METRICS_TOKEN: z.string().trim().min(24, 'must be at least 24 characters (a random token)').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
  // Unusual activity, on information governance's home page (src/audit/unusual-activity.ts, whose
  // unusualActivitySettings() applies the defaults): this many summaries (default 20) or more by
  // one person within UNUSUAL_WINDOW_MINUTES (default 5); lookups outside WORKING_HOURS (England's
  // time, Monday to Friday but bank holidays; default 08:00-18:00); this many lookups that found
  // no child (default 5) or more by one person within UNUSUAL_NO_MATCH_WINDOW_MINUTES (default 60).
  UNUSUAL_SUMMARIES_PER_WINDOW: z.coerce.number().int().min(2).max(100_000).optional(),
  UNUSUAL_WINDOW_MINUTES: z.coerce.number().int().positive().max(24 * 60).optional(),
  WORKING_HOURS: z.string().trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM-HH:MM, like 08:00-18:00')
    .refine((value) => value.slice(0, 5) < value.slice(6), 'must start before it ends')
    .optional(),
  UNUSUAL_NO_MATCH_LOOKUPS: z.coerce.number().int().min(2).max(100_000).optional(),
  UNUSUAL_NO_MATCH_WINDOW_MINUTES: z.coerce.number().int().positive().max(24 * 60).optional(),
  // E-mail (docs/notifications.md): NOTIFY_API_KEY sends through GOV.UK Notify, SMTP_URL through
  // the council's relay; with neither, the development transport only records messages, which
  // production refuses (src/notifications/mail-settings.ts).
  NOTIFY_API_KEY: z.string().trim().regex(NOTIFY_API_KEY, 'must be a GOV.UK Notify API key (its name, then two ids)').optional(),
  NOTIFY_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  NOTIFY_TEMPLATE_CONCERN_RECEIVED: notifyTemplateId,
  NOTIFY_TEMPLATE_CONCERN_FOR_ALLOCATED_WORKER: notifyTemplateId,
  NOTIFY_TEMPLATE_CONCERN_FOLLOW_UP: notifyTemplateId,
  NOTIFY_TEMPLATE_DECISION_FOR_ALLOCATED_WORKER: notifyTemplateId,
  NOTIFY_TEMPLATE_CONCERN_DECIDED: notifyTemplateId,
  NOTIFY_TEMPLATE_LOOKUP_FOR_ALLOCATED_WORKER: notifyTemplateId,
  NOTIFY_TEMPLATE_ACCESS_LOG_DIGEST: notifyTemplateId,
  NOTIFY_TEMPLATE_ENCOMPASS_FOR_SCHOOL: notifyTemplateId,
  NOTIFY_TEMPLATE_ENCOMPASS_FOR_FRONT_DOOR: notifyTemplateId,
  NOTIFY_TEMPLATE_ENCOMPASS_FOR_ALLOCATED_WORKER: notifyTemplateId,
  // Operation Encompass: what each force shares by local agreement, as JSON by Home Office force
  // code, e.g. {"01": ["location", "whoWasInvolved"]} (src/encompass/shared-items.ts). A force
  // not named shares none of the optional items.
  ENCOMPASS_SHARED_ITEMS: z.string().trim().optional().superRefine((value, ctx) => {
    const problem = value ? sharedItemsProblem(value) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  NOTIFY_TEMPLATE_ENCOMPASS_OVERDUE: notifyTemplateId,
  NOTIFY_TEMPLATE_CASE_AUDIT_ACTION: notifyTemplateId,
  SMTP_URL: z
    .string()
    .trim()
    .refine(isSmtpUrl, 'must be smtps://user:password@host[:port] or smtp://user:password@host[:port] (STARTTLS), with a user and password')
    .optional(),
  SMTP_FROM: z.string().trim().regex(/^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'must be an e-mail address, or a name and <address>').optional(),
  SMTP_CA_FILE: z.string().trim().min(1).optional(),
  // Operation Encompass (docs/encompass.md): the council's term holidays, comma-separated
  // ranges YYYY-MM-DD..YYYY-MM-DD or single days (school days are working days less these); the
  // start of the school day, by which a school should acknowledge (HH:MM, England's time,
  // default 08:30); and the minutes after that before the front door is alerted too (default 60).
  // Defaults are applied by encompassSettings() (src/encompass/settings.ts).
  SCHOOL_HOLIDAYS: readableBy(parseSchoolHolidays),
  ENCOMPASS_ACKNOWLEDGE_BY: readableBy(parseTimeOfDay),
  ENCOMPASS_FRONT_DOOR_AFTER_MINUTES: z.coerce.number().int().min(1).max(24 * 60).optional(),
  // The council's case system (docs/case-system-export.md): where concern events are posted, and
  // the secret they are signed with (HMAC-SHA256). Unset: no webhook; the file export still works.
  CASE_SYSTEM_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  CASE_SYSTEM_WEBHOOK_SECRET: z.string().trim().min(32, 'must be at least 32 characters (a random secret)').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
  // Imports (docs/imports.md): the case system the imported ids come from, as child_sources and
  // import_runs record it (for example LCS or Mosaic; default 'case-system', applied by
  // src/imports/run.ts caseSystemOf); and the drop folder the portal watches for scheduled
  // imports (unset: not watched).
  IMPORT_CASE_SYSTEM: z.string().trim().regex(/^[A-Za-z0-9 ._-]{1,40}$/, 'must be 1 to 40 letters, digits, spaces, dots, dashes or underscores').optional(),
  IMPORT_DROP_DIR: z.string().trim().min(1).optional(),
  // The data officer's upload page (src/imports/routes.ts): the largest upload in megabytes (one
  // request, every file of it), and the hours after which the case system's last extract counts
  // as stale (a warning on the governance and data officer's home pages; never imported is stale too).
  IMPORT_UPLOAD_LIMIT_MB: z.coerce.number().int().positive().max(100_000).default(500),
  IMPORT_STALE_HOURS: z.coerce.number().positive().max(24 * 365).default(24),
  // How many worker processes `npm start` runs (src/supervisor.ts), sharing one PostgreSQL: by
  // default one per core in production, one otherwise (loadConfig fills it in).
  WEB_CONCURRENCY: z.coerce.number().int('must be a whole number').min(1).max(256).optional(),
  // Connections each worker's pool may open; by default worked out from max_connections
  // (src/db/pool-size.ts). Set it where several machines share one database.
  DATABASE_POOL_MAX: z.coerce.number().int('must be a whole number').min(2).max(1000).optional(),
}).superRefine((config, ctx) => {
  // An unsigned webhook would let anyone who can reach the receiver post concerns into the case system.
  if (config.CASE_SYSTEM_WEBHOOK_URL && !config.CASE_SYSTEM_WEBHOOK_SECRET) ctx.addIssue({ code: 'custom', path: ['CASE_SYSTEM_WEBHOOK_SECRET'], message: 'is required with CASE_SYSTEM_WEBHOOK_URL' });
}).superRefine((config, ctx) => {
  if (config.NOTIFY_API_KEY && config.SMTP_URL) ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'set NOTIFY_API_KEY or SMTP_URL, not both' });
  if (config.NOTIFY_API_KEY) {
    for (const variable of notifyTemplateVariables) {
      if (!config[variable as keyof typeof config]) ctx.addIssue({ code: 'custom', path: [variable], message: 'is required with NOTIFY_API_KEY' });
    }
  }
  if (config.SMTP_URL && !config.SMTP_FROM) ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'is required with SMTP_URL' });
}).superRefine((config, ctx) => {
  if (config.NODE_ENV !== 'production') return;
  // The development identity provider lets anyone sign in as anyone: never in production.
  if (!config.OIDC_PROVIDERS_FILE) ctx.addIssue({ code: 'custom', path: ['OIDC_PROVIDERS_FILE'], message: 'is required in production' });
  if (!config.PUBLIC_URL?.startsWith('https://')) ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be an https:// address in production' });
  if (config.CASE_SYSTEM_WEBHOOK_URL && !config.CASE_SYSTEM_WEBHOOK_URL.startsWith('https://')) ctx.addIssue({ code: 'custom', path: ['CASE_SYSTEM_WEBHOOK_URL'], message: 'must be an https:// address in production' });
});

export type Config = z.infer<typeof configSchema> & { WEB_CONCURRENCY: number };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(configSchema.shape)
      .map((key) => [key, env[key]])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = configSchema.safeParse(present);
  if (!result.success) {
    // Name the variable and the rule, never echo the value: DATABASE_URL may hold a password.
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${problems.join('\n')}`);
  }
  return { ...result.data, WEB_CONCURRENCY: result.data.WEB_CONCURRENCY ?? defaultWebConcurrency(result.data.NODE_ENV) };
}

/** Every core in production; one process in development and tests, where one is easier to follow. */
export function defaultWebConcurrency(nodeEnv: Config['NODE_ENV']): number {
  return nodeEnv === 'production' ? availableParallelism() : 1;
}

/** For entry points: print the problem (not a stack trace) and exit 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
