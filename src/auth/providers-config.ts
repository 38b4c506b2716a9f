// The identity providers the portal trusts, from the file named by OIDC_PROVIDERS_FILE
// (YAML or JSON). Each provider serves one agency and says how its claims map to an
// organisation and a portal role. Checked at start-up; a mistake stops the server with the
// file, the place and the reason. See docs in README ("Identity providers").
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { agencies, organisationIdentifiers, roleNames, roles } from './roles.ts';

const roleMap = z.record(z.string().min(1), z.enum(roleNames));

const claimName = z.string().min(1);

/** Organisation and roles in separate claims (e.g. a school's URN and a roles claim). */
const separateClaims = z.strictObject({
  organisation: z.union([
    z.strictObject({ identifier: z.enum(organisationIdentifiers), claim: claimName }),
    // A provider that only ever serves one organisation (e.g. the council's own tenant).
    z.strictObject({ identifier: z.enum(organisationIdentifiers), value: z.string().min(1) }),
  ]),
  roles: z.strictObject({ claim: claimName, map: roleMap }),
});

/** One claim holding a list of {organisation, role} objects, as NHS CIS2's nhsid_nrbac_roles. */
const roleAssignments = z.strictObject({
  roleAssignments: z.strictObject({
    claim: claimName,
    identifier: z.enum(organisationIdentifiers),
    organisationField: claimName,
    roleField: claimName,
    map: roleMap,
  }),
});

const providerSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]{2,40}$/, 'use 2 to 40 lower-case letters, digits and hyphens'),
    name: z.string().min(1),
    issuer: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    clientSecretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/).optional(),
    agency: z.enum(agencies),
    scopes: z.array(z.string().min(1)).default(['openid', 'profile', 'email']),
    claims: z.intersection(
      z.strictObject({
        name: claimName.default('name'),
        email: claimName.default('email'),
        // A claim that is true, or a date, when the user's safeguarding training is complete.
        trainingCompleted: claimName.optional(),
      }),
      z.union([separateClaims, roleAssignments]),
    ),
    // Only for the in-process development provider: plain http on loopback.
    allowInsecureHttp: z.boolean().default(false),
  })
  .superRefine((provider, ctx) => {
    if (!provider.clientSecret === !provider.clientSecretEnv) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of clientSecret or clientSecretEnv', path: ['clientSecret'] });
    }
    const map = 'roles' in provider.claims ? provider.claims.roles.map : provider.claims.roleAssignments.map;
    for (const [value, role] of Object.entries(map)) {
      if (roles[role].agency !== provider.agency) {
        ctx.addIssue({
          code: 'custom',
          message: `role ${role} is not a ${provider.agency} role`,
          path: ['claims', 'roles' in provider.claims ? 'roles' : 'roleAssignments', 'map', value],
        });
      }
    }
    if (provider.issuer.startsWith('http:') && !provider.allowInsecureHttp) {
      ctx.addIssue({ code: 'custom', message: 'an issuer must use https', path: ['issuer'] });
    }
  });

const fileSchema = z.strictObject({ providers: z.array(providerSchema).min(1) }).superRefine((file, ctx) => {
  const ids = new Set<string>();
  file.providers.forEach((provider, index) => {
    if (ids.has(provider.id)) ctx.addIssue({ code: 'custom', message: `duplicate provider id "${provider.id}"`, path: ['providers', index, 'id'] });
    ids.add(provider.id);
  });
});

export type ProviderConfig = z.output<typeof providerSchema> & { clientSecretValue: string };

export class ProvidersConfigError extends Error {
  override name = 'ProvidersConfigError';
}

export function parseProviders(
  input: unknown,
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): ProviderConfig[] {
  const result = fileSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  at ${issue.path.join('.') || '(top)'}: ${issue.message}`);
    throw new ProvidersConfigError(`Invalid identity provider configuration in ${source}:\n${problems.join('\n')}`);
  }
  return result.data.providers.map((provider, index) => {
    const secret = provider.clientSecret ?? env[provider.clientSecretEnv!];
    if (!secret) {
      throw new ProvidersConfigError(
        `Invalid identity provider configuration in ${source}:\n  at providers.${index}.clientSecretEnv: ` +
          `the environment variable ${provider.clientSecretEnv} is not set`,
      );
    }
    return { ...provider, clientSecretValue: secret };
  });
}

export async function loadProvidersFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<ProviderConfig[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ProvidersConfigError(`Cannot read OIDC_PROVIDERS_FILE ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text); // YAML is a superset of JSON, so either works
  } catch (error) {
    throw new ProvidersConfigError(`Cannot parse ${file}: ${(error as Error).message}`);
  }
  return parseProviders(data, file, env);
}
