// Realistic incidents written straight into the test database, row by row, as the capabilities
// that own those tables would have left them: the incident, its alerts (with a stored payload),
// its timeline (alerts, pages, acks, flag changes, updates, every channel message and the 📌
// ones), and its kill-switch operations.
import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '../../support/database.ts';
import type { SeedIncident } from './seed.ts';

export async function seedIncident(db: TestDatabase, seed: SeedIncident): Promise<string> {
  const id = randomUUID();
  const resolved = seed.resolvedAt !== undefined;
  await db.query(
    `INSERT INTO incident (id, number, feature_key, open_key, status, severity, title, opened_at, resolved_at,
       acknowledged_at, mitigated_at, root_cause, channel_id, channel_name, lead_slack_id, declared_by,
       assignee_name, assignee_slack_id, pd_incident_url, pd_dedup_key, page_state, alert_count)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,'sent',$21)`,
    [
      id,
      seed.number,
      seed.featureKey,
      resolved ? null : seed.featureKey,
      resolved ? 'resolved' : 'acknowledged',
      seed.severity,
      seed.title,
      seed.openedAt,
      seed.resolvedAt ?? null,
      seed.acknowledgedAt ?? null,
      seed.mitigatedAt ?? null,
      seed.rootCause ?? null,
      seed.channelId ?? null,
      seed.channelName ?? null,
      seed.leadSlackId ?? null,
      seed.declaredBy ?? null,
      seed.assignee?.name ?? null,
      seed.assignee?.id ?? null,
      seed.pdIncidentUrl ?? null,
      `failsafe/${seed.featureKey}/${id}`,
      seed.alerts.length,
    ],
  );
  const payload = randomUUID();
  await db.query(`INSERT INTO inbound_payload (id, kind, request_id, body) VALUES ($1, 'seed', $2, '{}')`, [
    payload,
    id,
  ]);
  for (const a of seed.alerts) {
    await db.query(
      `INSERT INTO alert (id, source, fingerprint, group_key, status, feature_key, severity, summary, description,
         labels, annotations, starts_at, ends_at, first_seen_at, last_seen_at, incident_id, payload_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'{}',$11,$12,$13,$13,$15,$14)`,
      [
        randomUUID(),
        a.source,
        a.fingerprint,
        id,
        a.status,
        seed.featureKey,
        a.severity,
        a.summary,
        a.description ?? null,
        JSON.stringify(a.labels),
        a.startsAt,
        a.endsAt ?? null,
        a.firstSeenAt,
        payload,
        id,
      ],
    );
  }
  const ops = seed.operations.map((op) => ({ ...op, id: op.id ?? randomUUID() }));
  for (const op of ops) {
    await db.query(
      `INSERT INTO flag_operation (id, request_key, kind, feature_key, project, flag, environment, requested_by,
         requested_by_name, reason, channel, incident_id, state, steps, hold_seconds, step_index, created_at,
         flipped_at, confirmed_at, confirm_ms, finished_at)
       VALUES ($1,$18,$2,$3,'default',$4,'production',$5,$6,$7,'C0ALERTS',$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
      [
        op.id,
        op.kind,
        seed.featureKey,
        op.flag,
        op.by.id,
        op.by.name,
        op.reason,
        op.linked ? id : null,
        op.state,
        op.steps ?? [],
        op.holdSeconds ?? 0,
        (op.steps ?? []).length,
        op.createdAt,
        op.flippedAt ?? null,
        op.confirmMs !== undefined && op.flippedAt ? new Date(op.flippedAt.getTime() + op.confirmMs) : null,
        op.confirmMs ?? null,
        op.finishedAt ?? null,
        `seed:${op.id}`,
      ],
    );
  }
  for (const [i, e] of seed.entries.entries()) {
    await db.query(
      `INSERT INTO timeline_entry (id, incident_id, at, kind, actor, text, data, dedup_key)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [
        randomUUID(),
        id,
        e.at,
        e.kind,
        e.actor,
        e.text,
        e.data ? JSON.stringify(e.data) : null,
        (e.dedupKey ?? `seed:${id}:${i}`)
          .replace('{op0}', ops[0]?.id ?? '')
          .replace('{op1}', ops[1]?.id ?? ''),
      ],
    );
  }
  return id;
}
