// A real unleash-server (the devDependency) on its own throwaway PostgreSQL database and a
// free port, with one admin token and one client token per environment, for the kill-switch
// tests and the benchmark. Under vitest the database is a copy of the migrated template the
// global setup made (test/global-setup.ts), so the server starts without migrating.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { inject } from 'vitest';
import { SERVER_URL } from './server-url.ts';
import { unleashDbConfig } from './unleash-db.ts';

/** The global setup's migrated Unleash database; none outside vitest (the benchmark). */
function migratedTemplate(): string | undefined {
  try {
    return inject('unleashTemplate');
  } catch {
    return undefined;
  }
}

export interface RealUnleash {
  url: string;
  adminToken: string;
  /** `default:production.…` and `default:development.…`, comma-joined as UNLEASH_CLIENT_TOKEN takes them. */
  clientTokens: string;
  /** Creates a flag with a 100% flexibleRollout in every listed environment, each on or off. */
  createFlag(name: string, environments?: Record<string, boolean>): Promise<void>;
  /** The flag's state per environment straight from the Admin API. */
  flag(name: string): Promise<Array<{ name: string; enabled: boolean; rollout: number | null }>>;
  stop(): Promise<void>;
}

export async function startUnleash(): Promise<RealUnleash> {
  const name = `unleash_test_${randomBytes(6).toString('hex')}`;
  const template = migratedTemplate();
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await admin.end();
  const secret = () => randomBytes(16).toString('hex');
  const adminToken = `*:*.${secret()}`;
  const production = `default:production.${secret()}`;
  const development = `default:development.${secret()}`;
  const { start } = await import('unleash-server');
  const server = await start({
    db: { ...unleashDbConfig(name), disableMigration: template !== undefined },
    server: { port: 0 },
    logLevel: 'error' as never,
    versionCheck: { enable: false },
    telemetry: false,
    authentication: {
      initApiTokens: [
        {
          secret: adminToken,
          tokenName: 'failsafe-admin',
          type: 'admin' as never,
          environment: '*',
          projects: ['*'],
        },
        ...[production, development].map((token) => ({
          secret: token,
          tokenName: `sdk-${token.split(':')[1]?.split('.')[0]}`,
          type: 'client' as never,
          environment: token.split(':')[1]?.split('.')[0] ?? 'production',
          projects: ['default'],
        })),
      ],
    },
  });
  const port = (server.server?.address() as AddressInfo | undefined)?.port;
  if (!port) throw new Error('unleash-server did not start listening');
  const url = `http://127.0.0.1:${port}`;
  const headers = { authorization: adminToken, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`unleash ${method} ${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };
  return {
    url,
    adminToken,
    clientTokens: `${production},${development}`,
    async createFlag(flag, environments = { production: true, development: true }) {
      await call('POST', '/api/admin/projects/default/features', { name: flag, type: 'kill-switch' });
      for (const [env, on] of Object.entries(environments)) {
        const base = `/api/admin/projects/default/features/${flag}/environments/${env}`;
        await call('POST', `${base}/strategies`, {
          name: 'flexibleRollout',
          constraints: [],
          parameters: { rollout: '100', stickiness: 'default', groupId: flag },
        });
        await call('POST', `${base}/${on ? 'on' : 'off'}`);
      }
    },
    async flag(flag) {
      const body = (await call('GET', `/api/admin/projects/default/features/${flag}`)) as {
        environments: Array<{
          name: string;
          enabled: boolean;
          strategies: Array<{ name: string; parameters: Record<string, string> }>;
        }>;
      };
      return body.environments.map((e) => {
        const rollout = e.strategies.find((s) => s.name === 'flexibleRollout')?.parameters.rollout;
        return { name: e.name, enabled: e.enabled, rollout: rollout === undefined ? null : Number(rollout) };
      });
    },
    async stop() {
      await server.stop();
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
