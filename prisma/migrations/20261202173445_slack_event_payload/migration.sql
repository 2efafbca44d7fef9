-- AlterTable
ALTER TABLE "slack_event" ADD COLUMN     "handled_at" TIMESTAMPTZ(3),
ADD COLUMN     "payload" JSONB;
