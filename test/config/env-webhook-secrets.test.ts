// LANGFUSE_WEBHOOK_SECRETS and the GRAFANA_WEBHOOK_* variables: read into lists and lower-case
// header names, refused with a message that never quotes a secret, and masked in every log line.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig, secretValues } from '../../src/config/env.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { configError } from '../support/config.ts';

const LF = 'lf-whsec_0123456789abcdef0123456789abcdef';
const LF2 = 'lf-whsec_fedcba9876543210fedcba9876543210';
const GF = 'grafana-hmac-secret-0123456789';

describe('webhook signing secrets', () => {
  it('reads comma-separated secrets for rotation and custom header names in lower case', () => {
    const config = loadConfig({
      LANGFUSE_WEBHOOK_SECRETS: ` ${LF} , ${LF2},`,
      GRAFANA_WEBHOOK_SECRET: GF,
      GRAFANA_WEBHOOK_SIGNATURE_HEADER: 'X-Grafana-Alert-Signature',
      GRAFANA_WEBHOOK_TIMESTAMP_HEADER: ' X-Grafana-Timestamp ',
    });
    expect(config.langfuse).toEqual({ webhookSecrets: [LF, LF2] });
    expect(config.grafana).toEqual({
      webhookSecrets: [GF],
      signatureHeader: 'x-grafana-alert-signature',
      timestampHeader: 'x-grafana-timestamp',
    });
    expect(secretValues(config)).toEqual(expect.arrayContaining([LF, LF2, GF]));
  });

  it('refuses a short secret naming the variable, never the value', () => {
    const error = configError({ LANGFUSE_WEBHOOK_SECRETS: `${LF},short-one` });
    expect(error.variable).toBe('LANGFUSE_WEBHOOK_SECRETS');
    expect(error.message).toMatch(/at least 16 characters/);
    expect(error.message).not.toContain('short-one');
    expect(configError({ GRAFANA_WEBHOOK_SECRET: 'tiny' }).variable).toBe('GRAFANA_WEBHOOK_SECRET');
    expect(configError({ GRAFANA_WEBHOOK_SIGNATURE_HEADER: 'bad header:' }).variable).toBe(
      'GRAFANA_WEBHOOK_SIGNATURE_HEADER',
    );
  });

  it('masks the secrets wherever a log line would carry them', () => {
    const config = loadConfig({ LANGFUSE_WEBHOOK_SECRETS: `${LF},${LF2}`, GRAFANA_WEBHOOK_SECRET: GF });
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info', secrets: secretValues(config), destination });
    logger.info(
      { got: `${LF2} and ${GF}`, req: { headers: { 'x-langfuse-signature': 't=1,v1=ab' } } },
      `saw ${LF}`,
    );
    const line = lines.join('');
    for (const secret of [LF, LF2, GF]) expect(line).not.toContain(secret);
    expect(line).not.toContain('v1=ab');
    expect(line).toContain('[redacted]');
  });
});
