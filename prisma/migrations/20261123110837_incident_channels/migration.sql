-- AlterTable
ALTER TABLE "incident" ADD COLUMN     "channel_id" TEXT,
ADD COLUMN     "channel_name" TEXT,
ADD COLUMN     "declared_by" TEXT,
ADD COLUMN     "lead_slack_id" TEXT,
ADD COLUMN     "mitigated_at" TIMESTAMPTZ(3),
ADD COLUMN     "next_update_at" TIMESTAMPTZ(3),
ADD COLUMN     "root_cause" TEXT;

-- CreateTable
CREATE TABLE "stakeholder_update" (
    "id" UUID NOT NULL,
    "request_key" TEXT NOT NULL,
    "incident_id" UUID,
    "feature_key" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "posted_by" TEXT NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "next_update_at" TIMESTAMPTZ(3) NOT NULL,
    "posts" JSONB,

    CONSTRAINT "stakeholder_update_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slack_event" (
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "channel" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_event_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "channel_cursor" (
    "channel_id" TEXT NOT NULL,
    "incident_id" UUID NOT NULL,
    "latest_ts" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_cursor_pkey" PRIMARY KEY ("channel_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "stakeholder_update_request_key_key" ON "stakeholder_update"("request_key");

-- CreateIndex
CREATE INDEX "stakeholder_update_incident_id_posted_at_idx" ON "stakeholder_update"("incident_id", "posted_at");

-- CreateIndex
CREATE INDEX "incident_channel_id_idx" ON "incident"("channel_id");

-- AddForeignKey
ALTER TABLE "stakeholder_update" ADD CONSTRAINT "stakeholder_update_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;
