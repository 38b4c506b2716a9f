// The identity provider configuration file is checked at start-up, with the place and reason.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { identityFromClaims } from '../src/auth/claims.ts';
import { loadProvidersFile, parseProviders, ProvidersConfigError } from '../src/auth/providers-config.ts';

const school = {
  id: 'northbridge-schools',
  name: 'Northbridge schools',
  issuer: 'https://login.schools.example',
  clientId: 'portal',
  clientSecretEnv: 'SCHOOLS_SECRET',
  agency: 'education',
  claims: {
    organisation: { identifier: 'urn', claim: 'urn' },
    roles: { claim: 'groups', map: { 'Safeguarding-DSL': 'education.dsl', 'Safeguarding-Deputy': 'education.deputy_dsl' } },
  },
};
const nhs = {
  id: 'nhs-cis2',
  name: 'NHS',
  issuer: 'https://am.nhsidentity.example/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare',
  clientId: 'portal',
  clientSecret: 'secret',
  agency: 'health',
  claims: {
    trainingCompleted: 'safeguarding_training',
    roleAssignments: { claim: 'nhsid_nrbac_roles', identifier: 'ods_code', organisationField: 'org_code', roleField: 'role_code', map: { R8000: 'health.gp', R8003: 'health.emergency_department' } },
  },
};
const env = { SCHOOLS_SECRET: 's3cret' };

describe('provider configuration', () => {
  it('accepts a valid file, with the secret from the environment', () => {
    const [a, b] = parseProviders({ providers: [school, nhs] }, 'providers.yaml', env);
    expect(a).toMatchObject({ id: 'northbridge-schools', clientSecretValue: 's3cret', scopes: ['openid', 'profile', 'email'] });
    expect(b).toMatchObject({ id: 'nhs-cis2', clientSecretValue: 'secret' });
  });

  it.each([
    [{ providers: [{ ...school, agency: 'council' }] }, /providers\.0\.claims\.roles\.map\.Safeguarding-DSL: role education\.dsl is not a council role/],
    [{ providers: [{ ...school, issuer: 'http://login.schools.example' }] }, /providers\.0\.issuer: an issuer must use https/],
    [{ providers: [{ ...school, clientSecret: 'x' }] }, /providers\.0\.clientSecret: give exactly one of clientSecret or clientSecretEnv/],
    [{ providers: [school, school] }, /providers\.1\.id: duplicate provider id/],
    [{ providers: [{ ...school, claims: { ...school.claims, roles: { claim: 'groups', map: { X: 'education.headteacher' } } } }] }, /providers\.0\.claims/],
    [{ providers: [] }, /providers: /],
    [{ providers: [{ ...school, colour: 'blue' }] }, /colour/],
  ])('refuses a mistake with its place and reason (%#)', (input, message) => {
    expect(() => parseProviders(input, 'providers.yaml', env)).toThrow(ProvidersConfigError);
    expect(() => parseProviders(input, 'providers.yaml', env)).toThrow(message);
    expect(() => parseProviders(input, 'providers.yaml', env)).toThrow(/in providers\.yaml/);
  });

  it('names a missing secret variable', () => {
    expect(() => parseProviders({ providers: [school] }, 'providers.yaml', {})).toThrow(/SCHOOLS_SECRET is not set/);
  });

  const dir = mkdtemp(path.join(tmpdir(), 'portal-providers-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('reads YAML from OIDC_PROVIDERS_FILE and reports a parse error with the file name', async () => {
    const good = path.join(await dir, 'good.yaml');
    await writeFile(good, `providers:\n  - id: nhs-cis2\n    name: NHS\n    issuer: https://nhs.example\n    clientId: portal\n    clientSecret: x\n    agency: health\n    claims:\n      roleAssignments: { claim: r, identifier: ods_code, organisationField: o, roleField: c, map: { R8000: health.gp } }\n`);
    expect((await loadProvidersFile(good))[0]!.id).toBe('nhs-cis2');
    const bad = path.join(await dir, 'bad.yaml');
    await writeFile(bad, 'providers: [ { id: broken\n');
    await expect(loadProvidersFile(bad)).rejects.toThrow(/Cannot parse .*bad\.yaml/);
  });
});

describe('claim mapping', () => {
  const [schools, cis2] = parseProviders({ providers: [school, nhs] }, 'providers.yaml', env);

  it('maps separate organisation and role claims, ignoring roles the mapping does not name', () => {
    const identity = identityFromClaims(schools!, { iss: 'https://login.schools.example', sub: 'u1', name: 'A DSL', email: 'a@x', urn: '990101', groups: ['Teachers', 'Safeguarding-DSL'] });
    expect(identity.claimed).toEqual([{ identifier: 'urn', value: '990101', role: 'education.dsl' }]);
    expect(identity).toMatchObject({ subject: 'u1', name: 'A DSL', email: 'a@x', trainingCompletedOn: null });
  });

  it('maps a CIS2-style list of role profiles to several (organisation, role) pairs', () => {
    const identity = identityFromClaims(cis2!, {
      iss: 'x', sub: 'u2', name: 'Dr B',
      safeguarding_training: '2026-09-01',
      nhsid_nrbac_roles: [
        { org_code: 'Y99001', role_code: 'R8000' },
        { org_code: 'RZZ10', role_code: 'R8003' },
        { org_code: 'RZZ10', role_code: 'R9999' },
        'nonsense',
      ],
    });
    expect(identity.claimed).toEqual([
      { identifier: 'ods_code', value: 'Y99001', role: 'health.gp' },
      { identifier: 'ods_code', value: 'RZZ10', role: 'health.emergency_department' },
    ]);
    expect(identity.trainingCompletedOn).toBe('2026-09-01');
  });

  it('gives no pairs when the claims are missing', () => {
    expect(identityFromClaims(schools!, { iss: 'x', sub: 'u3' }).claimed).toEqual([]);
  });
});
