-- Incident numbers without gaps: failsafe_ingest joins a feature's open incident with an UPDATE
-- before it tries the INSERT, so a joining alert no longer consumes a number from the serial.
-- The rest of the function is unchanged from 20261123094000_ingest_function.
CREATE OR REPLACE FUNCTION failsafe_ingest(p_payloads jsonb, p_alerts jsonb)
RETURNS TABLE (idx int, outcome text, incident_id uuid, auto_resolved boolean)
LANGUAGE plpgsql AS $$
DECLARE
  a jsonb;
  v_feature text;
  v_new uuid;
  v_incident uuid;
  v_inserted boolean;
  v_severity text;
  v_prev text;
  v_newly boolean;
  v_worse boolean;
  v_firing int;
  v_at timestamptz;
  v_entry text;
  v_payload uuid;
BEGIN
  INSERT INTO inbound_payload (id, kind, request_id, body)
  SELECT (p->>'id')::uuid, p->>'kind', p->>'request_id', p->'body' FROM jsonb_array_elements(p_payloads) AS p;
  FOR a, idx IN SELECT value, ordinality FROM jsonb_array_elements(p_alerts) WITH ORDINALITY LOOP
    v_payload := (a->>'payload_id')::uuid;
    v_feature := a->>'feature_key';
    v_entry := 'alert:' || v_payload || ':' || (a->>'source') || ':' || (a->>'fingerprint');
    auto_resolved := false;
    IF v_feature IS NULL THEN
      PERFORM failsafe_upsert_alert(v_payload, a, 'unrouted', NULL);
      outcome := 'unrouted'; incident_id := NULL;
    ELSIF a->>'status' = 'firing' THEN
      -- Join the open incident first: an INSERT … ON CONFLICT takes a number from the serial
      -- before it finds the conflict, so every joining alert used to leave a gap (#1, then #4).
      -- Only two deliveries opening the same feature's incident at once still fall through.
      UPDATE incident AS i SET updated_at = now() WHERE i.open_key = v_feature
      RETURNING i.id, false, i.severity INTO v_incident, v_inserted, v_severity;
      IF NOT FOUND THEN
        v_new := gen_random_uuid();
        INSERT INTO incident AS i (id, feature_key, open_key, severity, title, pd_dedup_key, source_url, opened_at, updated_at)
        VALUES (v_new, v_feature, v_feature, a->>'severity', a->>'summary',
                'failsafe/' || v_feature || '/' || v_new, a->>'generator_url', now(), now())
        ON CONFLICT (open_key) DO UPDATE SET updated_at = now()
        RETURNING i.id, (i.xmax = 0), i.severity INTO v_incident, v_inserted, v_severity;
      END IF;
      v_prev := failsafe_upsert_alert(v_payload, a, v_incident::text, v_incident);
      v_newly := v_prev IS DISTINCT FROM 'firing';
      v_worse := failsafe_severity_rank(a->>'severity') < failsafe_severity_rank(v_severity);
      IF v_prev IS NULL OR v_newly OR v_worse THEN
        UPDATE incident SET
          alert_count = alert_count + (v_prev IS NULL)::int,
          firing_count = firing_count + v_newly::int,
          severity = CASE WHEN v_worse THEN a->>'severity' ELSE severity END
        WHERE id = v_incident;
      END IF;
      IF v_newly THEN
        INSERT INTO timeline_entry (id, incident_id, at, kind, actor, text, data, dedup_key)
        VALUES (gen_random_uuid(), v_incident, (a->>'starts_at')::timestamptz,
                CASE WHEN v_inserted THEN 'incident.opened' ELSE 'alert.firing' END, a->>'source',
                CASE WHEN v_inserted THEN 'Incident opened: ' ELSE 'Alert firing: ' END || (a->>'summary'),
                jsonb_build_object('fingerprint', a->>'fingerprint', 'severity', a->>'severity', 'labels', a->'labels'),
                v_entry)
        ON CONFLICT (dedup_key) DO NOTHING;
      END IF;
      outcome := CASE WHEN v_inserted THEN 'new_incident' WHEN v_prev = 'firing' THEN 'repeat' ELSE 'joined' END;
      incident_id := v_incident;
    ELSE
      SELECT id INTO v_incident FROM incident WHERE open_key = v_feature FOR UPDATE;
      outcome := 'resolved';
      IF NOT FOUND THEN
        -- A resolve for an alert never seen firing, or whose incident already closed: keep it.
        PERFORM failsafe_upsert_alert(v_payload, a, 'closed:' || v_feature, NULL);
        incident_id := NULL;
      ELSE
        incident_id := v_incident;
        v_prev := failsafe_upsert_alert(v_payload, a, v_incident::text, v_incident);
        IF v_prev = 'firing' THEN
          v_at := coalesce((a->>'ends_at')::timestamptz, now());
          INSERT INTO timeline_entry (id, incident_id, at, kind, actor, text, data, dedup_key)
          VALUES (gen_random_uuid(), v_incident, v_at, 'alert.resolved', a->>'source',
                  'Alert resolved: ' || (a->>'summary'), jsonb_build_object('fingerprint', a->>'fingerprint'), v_entry)
          ON CONFLICT (dedup_key) DO NOTHING;
          UPDATE incident SET firing_count = firing_count - 1 WHERE id = v_incident RETURNING firing_count INTO v_firing;
          IF (a->>'auto_resolve')::boolean AND v_firing <= 0 THEN
            UPDATE incident SET status = 'resolved', open_key = NULL, resolved_at = now() WHERE id = v_incident;
            INSERT INTO timeline_entry (id, incident_id, at, kind, actor, text, dedup_key)
            VALUES (gen_random_uuid(), v_incident, v_at, 'incident.resolved', 'failsafe',
                    'Incident resolved automatically: all of its alerts resolved', 'auto-resolve:' || v_incident)
            ON CONFLICT (dedup_key) DO NOTHING;
            auto_resolved := true;
          END IF;
        END IF;
      END IF;
    END IF;
    RETURN NEXT;
  END LOOP;
END $$;
