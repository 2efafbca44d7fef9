-- AlterTable
ALTER TABLE "postmortem" ADD COLUMN     "links_revoked_at" TIMESTAMPTZ(3);
