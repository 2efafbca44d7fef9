// The signed alert sources: whether their secrets are set, never what they are. Both are
// optional (without them Langfuse's route says what to set and Grafana takes the bearer
// token), so an unset secret is a skip that says so, not a failure.
import type { Config } from '../config/env.ts';
import { type Check, pass, skip } from './check.ts';

const count = (n: number) => (n === 1 ? '1 secret' : `${n} secrets, rotating`);

export function checkSignedWebhooks(config: Config): Check[] {
  const { langfuse, grafana } = config;
  return [
    langfuse.webhookSecrets.length
      ? pass(
          'Langfuse webhook',
          `LANGFUSE_WEBHOOK_SECRETS set (${count(langfuse.webhookSecrets.length)}): POST /alerts/langfuse checks x-langfuse-signature`,
        )
      : skip(
          'Langfuse webhook',
          'LANGFUSE_WEBHOOK_SECRETS not set: POST /alerts/langfuse answers 404 not_configured',
        ),
    grafana.webhookSecrets.length
      ? pass(
          'Grafana signature',
          `GRAFANA_WEBHOOK_SECRET set (${count(grafana.webhookSecrets.length)}): POST /alerts/grafana needs ${grafana.signatureHeader}, timestamp in ${grafana.timestampHeader}; the bearer token is not accepted there`,
        )
      : skip(
          'Grafana signature',
          'GRAFANA_WEBHOOK_SECRET not set: POST /alerts/grafana takes the bearer token',
        ),
  ];
}
