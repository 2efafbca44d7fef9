-- CreateTable
CREATE TABLE "flag_operation" (
    "id" UUID NOT NULL,
    "request_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "feature_key" TEXT NOT NULL,
    "project" TEXT NOT NULL,
    "flag" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_by_name" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "incident_id" UUID,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "active_key" TEXT,
    "steps" INTEGER[],
    "hold_seconds" INTEGER NOT NULL DEFAULT 0,
    "step_index" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "flipped_at" TIMESTAMPTZ(3),
    "confirmed_at" TIMESTAMPTZ(3),
    "confirm_ms" INTEGER,
    "finished_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "report" JSONB,

    CONSTRAINT "flag_operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kill_switch_audit" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "slack_user_id" TEXT NOT NULL,
    "actor_name" TEXT,
    "feature_key" TEXT NOT NULL,
    "environment" TEXT,
    "action" TEXT NOT NULL,
    "reason" TEXT,
    "result" TEXT NOT NULL,
    "unleash_status" INTEGER,
    "detail" TEXT,
    "operation_id" UUID,

    CONSTRAINT "kill_switch_audit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "flag_operation_request_key_key" ON "flag_operation"("request_key");

-- CreateIndex
CREATE UNIQUE INDEX "flag_operation_active_key_key" ON "flag_operation"("active_key");

-- CreateIndex
CREATE INDEX "flag_operation_feature_key_created_at_idx" ON "flag_operation"("feature_key", "created_at");

-- CreateIndex
CREATE INDEX "kill_switch_audit_feature_key_at_idx" ON "kill_switch_audit"("feature_key", "at");

-- The audit log is append-only, enforced here rather than trusted to the application:
-- any UPDATE, DELETE or TRUNCATE of kill_switch_audit raises an error.
CREATE FUNCTION failsafe_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'kill_switch_audit is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER kill_switch_audit_no_update_delete
  BEFORE UPDATE OR DELETE ON "kill_switch_audit"
  FOR EACH ROW EXECUTE FUNCTION failsafe_audit_append_only();

CREATE TRIGGER kill_switch_audit_no_truncate
  BEFORE TRUNCATE ON "kill_switch_audit"
  FOR EACH STATEMENT EXECUTE FUNCTION failsafe_audit_append_only();
