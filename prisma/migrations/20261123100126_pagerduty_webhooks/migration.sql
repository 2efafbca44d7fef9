-- AlterTable
ALTER TABLE "incident" ADD COLUMN     "acknowledged_at" TIMESTAMPTZ(3),
ADD COLUMN     "acknowledged_by" TEXT,
ADD COLUMN     "acknowledged_via" TEXT,
ADD COLUMN     "assigned_via" TEXT,
ADD COLUMN     "escalation_level" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "pending_action" TEXT,
ADD COLUMN     "priority" TEXT,
ADD COLUMN     "status_changed_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "pagerduty_webhook" (
    "webhook_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "pd_incident_id" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "payload_id" UUID NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),
    "outcome" TEXT,

    CONSTRAINT "pagerduty_webhook_pkey" PRIMARY KEY ("webhook_id")
);

-- CreateIndex
CREATE INDEX "pagerduty_webhook_pd_incident_id_occurred_at_idx" ON "pagerduty_webhook"("pd_incident_id", "occurred_at");

-- CreateIndex
CREATE INDEX "incident_pd_incident_id_idx" ON "incident"("pd_incident_id");
