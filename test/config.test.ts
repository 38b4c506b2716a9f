import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.ts';
import { poolSizeFor } from '../src/db/pool-size.ts';

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    expect(loadConfig({})).toEqual({
      PORT: 3000,
      DATA_DIR: './data',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      SESSION_IDLE_MINUTES: 30,
      SESSION_ABSOLUTE_HOURS: 10,
      SIGN_IN_RATE_LIMIT: 30,
      LOOKUP_RATE_LIMIT: 60,
      IMMEDIATE_RISK_TARGET_HOURS: 2,
      IMPORT_UPLOAD_LIMIT_MB: 500,
      IMPORT_STALE_HOURS: 24,
      WEB_CONCURRENCY: 1,
      FIGURES_SUPPRESS_BELOW: 5,
    });
  });

  it('runs one worker per core in production and one otherwise, unless WEB_CONCURRENCY says', () => {
    const production = { NODE_ENV: 'production', OIDC_PROVIDERS_FILE: 'p.yaml', PUBLIC_URL: 'https://portal.example' };
    expect(loadConfig(production).WEB_CONCURRENCY).toBe(availableParallelism());
    expect(loadConfig({ ...production, WEB_CONCURRENCY: '3' }).WEB_CONCURRENCY).toBe(3);
    expect(loadConfig({ NODE_ENV: 'test' }).WEB_CONCURRENCY).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '2' }).WEB_CONCURRENCY).toBe(2);
    for (const bad of ['0', '1.5', 'many', '-2']) expect(() => loadConfig({ WEB_CONCURRENCY: bad })).toThrow(/WEB_CONCURRENCY/);
    expect(() => loadConfig({ DATABASE_POOL_MAX: '1' })).toThrow(/DATABASE_POOL_MAX/);
  });

  it('reads the variables it knows', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@db/portal', NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: '/var/portal', OIDC_PROVIDERS_FILE: '/etc/portal/providers.yaml', PUBLIC_URL: 'https://portal.example' });
    expect(config).toMatchObject({ PORT: 8080, DATABASE_URL: 'postgres://u@db/portal', NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: '/var/portal' });
  });

  it('never runs the development identity provider in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://portal.example' })).toThrow(/OIDC_PROVIDERS_FILE: is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', OIDC_PROVIDERS_FILE: 'p.yaml', PUBLIC_URL: 'http://portal.example' })).toThrow(/PUBLIC_URL: must be an https/);
    expect(loadConfig({ NODE_ENV: 'production', OIDC_PROVIDERS_FILE: 'p.yaml', PUBLIC_URL: 'https://portal.example' }).NODE_ENV).toBe('production');
  });

  it('names the bad variable and does not echo a secret', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://admin:hunter2@db/portal' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/DATABASE_URL: must start with postgres:\/\//);
    expect(message).not.toContain('hunter2');
  });
  it('reads TRUST_PROXY as a hop count or a list of proxies, and refuses anything else', () => {
    expect(loadConfig({}).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '' }).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe('1');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 2001:db8::/32' }).TRUST_PROXY).toBe('10.0.0.0/8, 2001:db8::/32');
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: "true" is not an IP address/);
    expect(() => loadConfig({ TRUST_PROXY: '0' })).toThrow(/TRUST_PROXY: a hop count must be between 1 and 20/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/40' })).toThrow(/TRUST_PROXY: "10.0.0.0\/40" has an impossible prefix length/);
  });

  it('takes a METRICS_TOKEN only if it is long enough to be a secret, and never echoes it', () => {
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(32) }).METRICS_TOKEN).toBe('a'.repeat(32));
    let message = '';
    try {
      loadConfig({ METRICS_TOKEN: 'hunter2' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/METRICS_TOKEN: must be at least 24 characters/);
    expect(message).not.toContain('hunter2');
    expect(() => loadConfig({ METRICS_TOKEN: `${'a'.repeat(24)} b` })).toThrow(/METRICS_TOKEN: must be printable ASCII/);
  });
});

describe('each worker’s pool, within max_connections', () => {
  it('gives each worker up to 10 connections, plus one for background leadership, keeping 10 back', () => {
    // PostgreSQL's defaults: 100 connections, 3 reserved for superusers.
    expect(poolSizeFor(1, 100, 3)).toEqual({ perWorker: 10, fits: true });
    expect(poolSizeFor(8, 100, 3)).toEqual({ perWorker: 9, fits: true });
    expect(poolSizeFor(16, 100, 3)).toEqual({ perWorker: 4, fits: true });
    expect(16 * (4 + 1)).toBeLessThanOrEqual(100 - 3 - 10);
    expect(poolSizeFor(64, 100, 3)).toEqual({ perWorker: 2, fits: false });
  });
});
