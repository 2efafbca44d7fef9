// What the fleet's SDKs see: one unleash-client per environment, polling the client API with
// a client token, exactly as the applications do. A kill is only "confirmed" once this view
// shows the flag off, which proves the Admin API change reached the API the SDKs read.
import type { Unleash } from 'unleash-client';
import type { FeatureInterface } from 'unleash-client/lib/feature.js';
import { type Fetch, fetchWithTimeout, joinUrl } from './http.ts';

export interface FlagView {
  enabled: boolean;
  /** The largest flexibleRollout percentage, or 100 when another strategy or none applies. */
  rollout: number;
}

export interface FlagWatcherOptions {
  baseUrl: string;
  /** Client tokens, one per environment (`project:environment.secret`); one unscoped token serves all. */
  clientTokens: string[];
  refreshIntervalMs?: number;
  onError?: (error: Error) => void;
}

export type WaitResult =
  | { seen: true; afterMs: number; view: FlagView }
  | { seen: false; view: FlagView | null };

export type FlagWatcher = ReturnType<typeof createFlagWatcher>;

/** UNLEASH_CLIENT_TOKEN's comma-separated list, one token per environment or one for all. */
export function clientTokenList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

/**
 * Whether Unleash lets this client token read the Client API the SDKs poll: the HTTP status of
 * GET /api/client/features (200 when it does). Read-only, for the doctor.
 */
export async function clientTokenStatus(
  baseUrl: string,
  token: string,
  options: { fetch?: Fetch; timeoutMs?: number } = {},
): Promise<number> {
  const url = joinUrl(baseUrl, 'api/client/features');
  const init = { method: 'GET', headers: { authorization: token, accept: 'application/json' } };
  const res = await fetchWithTimeout(
    'unleash',
    options.fetch ?? globalThis.fetch,
    url,
    init,
    options.timeoutMs ?? 5_000,
  );
  await res.body?.cancel();
  return res.status;
}

/** `default:production.abc` → production; `*:*.abc` or an opaque token → any environment. */
export function tokenEnvironment(token: string): string | null {
  const match = /^[^:]+:([^.]+)\./.exec(token);
  return match?.[1] && match[1] !== '*' ? match[1] : null;
}

export function viewOf(def: FeatureInterface | undefined): FlagView | null {
  if (!def) return null;
  const strategies = (def.strategies ?? []).filter((s) => !(s as { disabled?: boolean }).disabled);
  let rollout = strategies.length ? 0 : 100;
  for (const s of strategies) {
    const value = s.name === 'flexibleRollout' ? Number(s.parameters?.rollout ?? 100) : 100;
    rollout = Math.max(rollout, value);
  }
  return { enabled: def.enabled, rollout };
}

export function createFlagWatcher(options: FlagWatcherOptions) {
  const clients = new Map<string, Promise<Unleash>>();
  let closed = false;
  const refreshInterval = options.refreshIntervalMs ?? 1_000;

  function tokenFor(environment: string): string | undefined {
    return (
      options.clientTokens.find((t) => tokenEnvironment(t) === environment) ??
      options.clientTokens.find((t) => tokenEnvironment(t) === null)
    );
  }

  // The SDK (and its HTTP stack, ~100 modules) loads only when a kill is first verified, not at
  // every start: most processes never watch a flag. One promise per environment, so two
  // verifications at once share one client.
  function clientFor(environment: string): Promise<Unleash> | null {
    const existing = clients.get(environment);
    if (existing) return existing;
    const token = tokenFor(environment);
    if (!token) return null;
    const client = import('unleash-client').then(({ InMemStorageProvider, Unleash }) => {
      const sdk = new Unleash({
        url: joinUrl(options.baseUrl, 'api'),
        appName: 'failsafe-kill-switch',
        environment,
        refreshInterval,
        disableMetrics: true,
        customHeaders: { Authorization: token },
        storageProvider: new InMemStorageProvider(),
        skipInstanceCountWarning: true,
      });
      // Errors are reported, not thrown: a watcher that cannot poll simply never confirms.
      sdk.on('error', (error: Error) => options.onError?.(error));
      sdk.on('warn', () => {});
      if (closed) sdk.destroy();
      return sdk;
    });
    clients.set(environment, client);
    return client;
  }
  return {
    /** Whether an environment can be watched at all (a client token for it is configured). */
    canWatch: (environment: string) => tokenFor(environment) !== undefined,

    /**
     * Resolves when the SDK view of `flag` satisfies `accept`, or after `timeoutMs` with the
     * last view. `since` is when the change was made, so `afterMs` measures propagation.
     */
    async waitFor(
      environment: string,
      flag: string,
      accept: (view: FlagView) => boolean,
      timeoutMs: number,
      since: number = Date.now(),
    ): Promise<WaitResult> {
      const pending = clientFor(environment);
      if (!pending) return { seen: false, view: null };
      const client = await pending;
      const current = () => viewOf(client.getFeatureToggleDefinition(flag));
      return new Promise<WaitResult>((resolve) => {
        const check = () => {
          const view = current();
          if (view && accept(view)) finish({ seen: true, afterMs: Date.now() - since, view });
        };
        const timer = setTimeout(() => finish({ seen: false, view: current() }), timeoutMs);
        const finish = (result: WaitResult) => {
          clearTimeout(timer);
          client.off('changed', check);
          client.off('synchronized', check);
          client.off('ready', check);
          resolve(result);
        };
        client.on('changed', check);
        client.on('synchronized', check);
        client.on('ready', check);
        // The cached view can only show the new state if it was fetched after the change.
        check();
      });
    },

    close(): void {
      closed = true;
      for (const client of clients.values()) void client.then((sdk) => sdk.destroy());
      clients.clear();
    },
  };
}
