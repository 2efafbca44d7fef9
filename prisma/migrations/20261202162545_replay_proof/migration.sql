-- AlterTable
ALTER TABLE "incident" ADD COLUMN     "assignee_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "priority_changed_at" TIMESTAMPTZ(3);

-- Deliveries stored before this migration were keyed on the unsigned X-Webhook-Id, so one event
-- may be there twice (a replay under a new header id). Keep the earliest of each event.
DELETE FROM "pagerduty_webhook" a USING "pagerduty_webhook" b
WHERE a."event_id" = b."event_id"
  AND (a."received_at", a."webhook_id") > (b."received_at", b."webhook_id");

-- AlterTable
ALTER TABLE "pagerduty_webhook" DROP CONSTRAINT "pagerduty_webhook_pkey",
ADD CONSTRAINT "pagerduty_webhook_pkey" PRIMARY KEY ("event_id");

-- CreateTable
CREATE TABLE "slack_request" (
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_request_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "slack_request_received_at_idx" ON "slack_request"("received_at");
