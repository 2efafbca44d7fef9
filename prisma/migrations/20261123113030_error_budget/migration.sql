-- CreateTable
CREATE TABLE "signal_minute" (
    "feature_key" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "kind" TEXT NOT NULL,
    "good" BIGINT NOT NULL DEFAULT 0,
    "bad" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "signal_minute_pkey" PRIMARY KEY ("feature_key","minute","kind")
);

-- CreateTable
CREATE TABLE "signal_hour" (
    "feature_key" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "kind" TEXT NOT NULL,
    "good" BIGINT NOT NULL DEFAULT 0,
    "bad" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "signal_hour_pkey" PRIMARY KEY ("feature_key","hour","kind")
);

-- CreateTable
CREATE TABLE "signal_batch" (
    "batch_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "signals" INTEGER NOT NULL,
    "body" JSONB NOT NULL,

    CONSTRAINT "signal_batch_pkey" PRIMARY KEY ("batch_id")
);

-- CreateTable
CREATE TABLE "burn_alert_state" (
    "feature_key" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "firing" BOOLEAN NOT NULL DEFAULT false,
    "since" TIMESTAMPTZ(3),
    "burn_rate" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "burn_alert_state_pkey" PRIMARY KEY ("feature_key","rule")
);

-- CreateTable
CREATE TABLE "budget_override" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "feature_key" TEXT NOT NULL,
    "slack_user_id" TEXT NOT NULL,
    "actor_name" TEXT,
    "reason" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "budget_override_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "signal_batch_received_at_idx" ON "signal_batch"("received_at");

-- CreateIndex
CREATE INDEX "budget_override_feature_key_at_idx" ON "budget_override"("feature_key", "at");

-- Budget overrides are an audit trail: like kill_switch_audit, rows are only ever inserted.
CREATE FUNCTION failsafe_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER budget_override_no_update_delete
  BEFORE UPDATE OR DELETE ON "budget_override"
  FOR EACH ROW EXECUTE FUNCTION failsafe_append_only();

CREATE TRIGGER budget_override_no_truncate
  BEFORE TRUNCATE ON "budget_override"
  FOR EACH STATEMENT EXECUTE FUNCTION failsafe_append_only();
