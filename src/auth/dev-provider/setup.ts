// The development sign-in: when no identity providers are configured (never in production),
// the portal starts the in-process provider and trusts it through four provider entries, one
// per agency, each with its own client and claim mapping, validated by the same schema as a
// real OIDC_PROVIDERS_FILE. Sign-in then runs exactly the production code path.
import type { Logger } from '../../log.ts';
import { parseProviders, type ProviderConfig } from '../providers-config.ts';
import type { Agency } from '../roles.ts';
import type { Sql } from '../../db/connect.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';
import { devIdentitySecretsFromEnv, newDevIdentitySecrets } from './keys.ts';
import { startDevIdentityProvider } from './provider.ts';

function developmentProviders(issuer: string, secret: string) {
  const common = (agency: Agency) => ({
    issuer,
    clientId: `portal-${agency}`,
    clientSecret: secret,
    agency,
    allowInsecureHttp: true,
  });
  return {
    providers: [
      {
        ...common('education'),
        id: 'dev-schools',
        name: 'Schools (development sign-in)',
        claims: {
          trainingCompleted: 'safeguarding_training',
          organisation: { identifier: 'urn', claim: 'school_urn' },
          roles: { claim: 'roles', map: { DSL: 'education.dsl', DeputyDSL: 'education.deputy_dsl' } },
        },
      },
      {
        ...common('health'),
        id: 'dev-nhs',
        name: 'NHS (development sign-in, CIS2-style)',
        claims: {
          trainingCompleted: 'safeguarding_training',
          // Illustrative role codes: a real deployment maps its own.
          roleAssignments: {
            claim: 'nhsid_nrbac_roles',
            identifier: 'ods_code',
            organisationField: 'org_code',
            roleField: 'role_code',
            map: {
              'S8000:G8000:R8000': 'health.gp',
              'S8000:G8000:R8001': 'health.health_visitor',
              'S8000:G8000:R8002': 'health.school_nurse',
              'S8000:G8000:R8003': 'health.emergency_department',
            },
          },
        },
      },
      {
        ...common('police'),
        id: 'dev-police',
        name: 'Northbridge Police (development sign-in)',
        claims: {
          trainingCompleted: 'safeguarding_training',
          organisation: { identifier: 'force_code', claim: 'force_code' },
          roles: { claim: 'role', map: { PPU: 'police.public_protection' } },
        },
      },
      {
        ...common('council'),
        id: 'dev-council',
        name: 'Northbridge City Council (development sign-in)',
        claims: {
          trainingCompleted: 'safeguarding_training',
          organisation: { identifier: 'la_code', claim: 'la_code' },
          roles: {
            claim: 'roles',
            map: {
              'Portal.FrontDoor': 'council.front_door',
              'Portal.SocialWorker': 'council.social_worker',
              'Portal.TeamManager': 'council.team_manager',
              'Portal.InformationGovernance': 'council.information_governance',
              'Portal.DataOfficer': 'council.data_officer',
              'Portal.QualityLead': 'council.quality_lead',
            },
          },
        },
      },
    ],
  };
}

export interface DevelopmentIdentity {
  issuer: string;
  providers: ProviderConfig[];
  close(): Promise<void>;
}

export async function startDevelopmentIdentity(options: {
  port: number;
  host?: string;
  publicUrl: string;
  log: Logger;
  /** Keep sign-ins in PostgreSQL (every worker sees them); in memory without it. */
  sql?: Sql;
}): Promise<DevelopmentIdentity> {
  // The same secrets in every worker, handed down by the supervisor (./keys.ts).
  const secrets = devIdentitySecretsFromEnv() ?? newDevIdentitySecrets();
  const secret = secrets.clientSecret;
  const agencies: Agency[] = ['education', 'health', 'police', 'council'];
  const provider = await startDevIdentityProvider({
    port: options.port,
    host: options.host ?? 'localhost',
    accounts: DEMO_ACCOUNTS,
    log: options.log,
    sql: options.sql,
    secrets,
    clients: agencies.map((agency) => ({
      client_id: `portal-${agency}`,
      client_secret: secret,
      agency,
      redirect_uris: [new URL('/auth/callback', options.publicUrl).toString()],
      post_logout_redirect_uris: [new URL('/signed-out', options.publicUrl).toString()],
    })),
  });
  const providers = parseProviders(developmentProviders(provider.issuer, secret), 'the development identity provider set-up');
  return { issuer: provider.issuer, providers, close: () => provider.close() };
}
