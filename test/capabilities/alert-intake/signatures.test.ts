// Langfuse's and Grafana's HMAC signatures, without a server. The expected signatures are
// computed here with node:crypto from the schemes as their senders' code writes them (see
// signatures.ts), not with Failsafe's own signer, so a shared mistake cannot pass unseen.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MAX_SIGNATURE_AGE_SECONDS,
  signGrafana,
  signLangfuse,
  verifyGrafanaSignature,
  verifyLangfuseSignature,
} from '../../../src/capabilities/alert-intake/signatures.ts';

const OLD = 'lf-whsec_0123456789abcdef0123456789abcdef';
const NEW = 'lf-whsec_fedcba9876543210fedcba9876543210';
const BODY = Buffer.from('{"id":"e1","type":"monitor-alert","note":"café ✓"}');
const NOW_MS = Date.parse('2026-12-02T10:15:00Z');
const NOW_S = NOW_MS / 1000;

const hex = (secret: string, text: Buffer) => createHmac('sha256', secret).update(text).digest('hex');
/** Langfuse: `t=<ts>,v1=<hex HMAC-SHA256 of "<ts>.<payload>">`. */
const langfuseHeader = (secret: string, ts: number, body = BODY) =>
  `t=${ts},v1=${hex(secret, Buffer.concat([Buffer.from(`${ts}.`), body]))}`;

describe('Langfuse x-langfuse-signature', () => {
  const verify = (header: string | undefined, body = BODY, secrets = [OLD], now = NOW_MS) =>
    verifyLangfuseSignature(header, body, secrets, now);

  it('accepts the header Langfuse sends, and signs the same way itself', () => {
    expect(verify(langfuseHeader(OLD, NOW_S))).toEqual({ ok: true });
    expect(signLangfuse(OLD, BODY, NOW_S)).toBe(langfuseHeader(OLD, NOW_S));
    expect(signLangfuse(OLD, BODY, NOW_S)).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('accepts a request signed with any configured secret (rotation)', () => {
    expect(verify(langfuseHeader(NEW, NOW_S), BODY, [OLD, NEW])).toEqual({ ok: true });
    expect(verify(langfuseHeader(OLD, NOW_S), BODY, [OLD, NEW])).toEqual({ ok: true });
    expect(verify(langfuseHeader(NEW, NOW_S), BODY, [OLD])).toEqual({ ok: false, problem: 'mismatch' });
  });

  it('refuses another secret, a tampered body, and a signature over the body alone', () => {
    expect(verify(langfuseHeader('lf-whsec_not-the-secret-at-all', NOW_S))).toMatchObject({
      problem: 'mismatch',
    });
    const tampered = Buffer.from(BODY.toString().replace('e1', 'e2'));
    expect(verify(langfuseHeader(OLD, NOW_S), tampered)).toMatchObject({ problem: 'mismatch' });
    expect(verify(`t=${NOW_S},v1=${hex(OLD, BODY)}`)).toMatchObject({ problem: 'mismatch' });
    // The timestamp is signed: moving it invalidates the signature.
    const moved = langfuseHeader(OLD, NOW_S).replace(`t=${NOW_S}`, `t=${NOW_S + 1}`);
    expect(verify(moved)).toMatchObject({ problem: 'mismatch' });
  });

  it('refuses a timestamp more than five minutes away, in either direction', () => {
    const max = MAX_SIGNATURE_AGE_SECONDS;
    expect(max).toBe(300);
    expect(verify(langfuseHeader(OLD, NOW_S - max))).toEqual({ ok: true });
    expect(verify(langfuseHeader(OLD, NOW_S + max))).toEqual({ ok: true });
    expect(verify(langfuseHeader(OLD, NOW_S - max - 1))).toEqual({ ok: false, problem: 'stale' });
    expect(verify(langfuseHeader(OLD, NOW_S + max + 1))).toEqual({ ok: false, problem: 'stale' });
  });

  it('says missing or malformed for headers that cannot be a Langfuse signature', () => {
    expect(verify(undefined)).toEqual({ ok: false, problem: 'missing' });
    expect(verify('')).toEqual({ ok: false, problem: 'missing' });
    const sig = hex(OLD, BODY);
    for (const header of [
      `v1=${sig}`,
      `t=${NOW_S}`,
      `t=${NOW_S},s=${sig}`,
      `t=soon,v1=${sig}`,
      `t=${NOW_S},v1=abc`,
    ])
      expect(verify(header), header).toEqual({ ok: false, problem: 'malformed' });
    expect(verify(langfuseHeader(OLD, NOW_S), BODY, [])).toEqual({ ok: false, problem: 'mismatch' });
  });
});

describe('Grafana HMAC signature', () => {
  const GF = 'grafana-hmac-secret-0123456789';
  const GF2 = 'grafana-hmac-secret-rotated-987';
  const verify = (
    signature: string | undefined,
    timestamp: string | undefined,
    body = BODY,
    secrets = [GF],
  ) => verifyGrafanaSignature({ signature, timestamp }, body, secrets, NOW_MS);
  /** Grafana: hex HMAC-SHA256 of ["<ts>:"] + body. */
  const withTs = (secret: string, ts: number, body = BODY) =>
    hex(secret, Buffer.concat([Buffer.from(`${ts}:`), body]));

  it('accepts a signature over "<timestamp>:<body>" with the timestamp header', () => {
    expect(verify(withTs(GF, NOW_S), String(NOW_S))).toEqual({ ok: true });
    expect(signGrafana(GF, BODY, NOW_S)).toBe(withTs(GF, NOW_S));
  });

  it('accepts a signature over the body alone when the contact point sends no timestamp', () => {
    expect(verify(hex(GF, BODY), undefined)).toEqual({ ok: true });
    expect(signGrafana(GF, BODY)).toBe(hex(GF, BODY));
    // …but not a timestamped signature with its timestamp stripped.
    expect(verify(withTs(GF, NOW_S), undefined)).toMatchObject({ problem: 'mismatch' });
  });

  it('accepts the second secret while one is rotated out', () => {
    expect(verify(withTs(GF2, NOW_S), String(NOW_S), BODY, [GF, GF2])).toEqual({ ok: true });
    expect(verify(withTs(GF2, NOW_S), String(NOW_S))).toMatchObject({ problem: 'mismatch' });
  });

  it('refuses a wrong secret, a tampered body, a stale or future timestamp, and a missing header', () => {
    expect(verify(withTs('grafana-wrong-secret-000000', NOW_S), String(NOW_S))).toMatchObject({
      problem: 'mismatch',
    });
    expect(verify(withTs(GF, NOW_S), String(NOW_S), Buffer.from(`${BODY} `))).toMatchObject({
      problem: 'mismatch',
    });
    expect(verify(withTs(GF, NOW_S - 301), String(NOW_S - 301))).toEqual({ ok: false, problem: 'stale' });
    expect(verify(withTs(GF, NOW_S + 301), String(NOW_S + 301))).toEqual({ ok: false, problem: 'stale' });
    expect(verify(undefined, String(NOW_S))).toEqual({ ok: false, problem: 'missing' });
    expect(verify('sha256=abc', String(NOW_S))).toEqual({ ok: false, problem: 'malformed' });
    expect(verify(withTs(GF, NOW_S), 'yesterday')).toEqual({ ok: false, problem: 'malformed' });
  });
});
