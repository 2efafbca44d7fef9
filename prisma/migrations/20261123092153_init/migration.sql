-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "inbound_payload" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "body" JSONB NOT NULL,

    CONSTRAINT "inbound_payload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "feature_key" TEXT NOT NULL,
    "open_key" TEXT,
    "status" TEXT NOT NULL DEFAULT 'triggered',
    "severity" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "alert_count" INTEGER NOT NULL DEFAULT 0,
    "firing_count" INTEGER NOT NULL DEFAULT 0,
    "source_url" TEXT,
    "page_state" TEXT NOT NULL DEFAULT 'pending',
    "page_claim_until" TIMESTAMPTZ(3),
    "page_attempts" INTEGER NOT NULL DEFAULT 0,
    "page_error" TEXT,
    "paged_at" TIMESTAMPTZ(3),
    "pd_incident_id" TEXT,
    "pd_incident_url" TEXT,
    "pd_dedup_key" TEXT NOT NULL,
    "assignee_name" TEXT,
    "assignee_email" TEXT,
    "assignee_pd_id" TEXT,
    "assignee_slack_id" TEXT,
    "slack_channel" TEXT,
    "slack_ts" TEXT,
    "unreachable_at" TIMESTAMPTZ(3),

    CONSTRAINT "incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "group_key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "feature_key" TEXT,
    "severity" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "description" TEXT,
    "labels" JSONB NOT NULL,
    "annotations" JSONB NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3),
    "generator_url" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "receive_count" INTEGER NOT NULL DEFAULT 1,
    "incident_id" UUID,
    "payload_id" UUID NOT NULL,

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "timeline_entry" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT,
    "text" TEXT NOT NULL,
    "data" JSONB,
    "dedup_key" TEXT NOT NULL,

    CONSTRAINT "timeline_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_effect" (
    "key" TEXT NOT NULL,
    "claimed_until" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "done_at" TIMESTAMPTZ(3),
    "result" JSONB,
    "last_error" TEXT,

    CONSTRAINT "outbound_effect_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "inbound_payload_kind_received_at_idx" ON "inbound_payload"("kind", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "incident_number_key" ON "incident"("number");

-- CreateIndex
CREATE UNIQUE INDEX "incident_open_key_key" ON "incident"("open_key");

-- CreateIndex
CREATE INDEX "incident_feature_key_opened_at_idx" ON "incident"("feature_key", "opened_at");

-- CreateIndex
CREATE INDEX "alert_incident_id_idx" ON "alert"("incident_id");

-- CreateIndex
CREATE INDEX "alert_feature_key_last_seen_at_idx" ON "alert"("feature_key", "last_seen_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_group_key_source_fingerprint_key" ON "alert"("group_key", "source", "fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "timeline_entry_dedup_key_key" ON "timeline_entry"("dedup_key");

-- CreateIndex
CREATE INDEX "timeline_entry_incident_id_at_idx" ON "timeline_entry"("incident_id", "at");

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_payload_id_fkey" FOREIGN KEY ("payload_id") REFERENCES "inbound_payload"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "timeline_entry" ADD CONSTRAINT "timeline_entry_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
