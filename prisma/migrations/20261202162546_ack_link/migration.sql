-- CreateTable
CREATE TABLE "ack_link" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "incident_id" UUID NOT NULL,
    "pd_user_id" TEXT NOT NULL,
    "slack_user_id" TEXT,
    "display_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "ack_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ack_link_token_hash_key" ON "ack_link"("token_hash");

-- CreateIndex
CREATE INDEX "ack_link_incident_id_idx" ON "ack_link"("incident_id");

-- AddForeignKey
ALTER TABLE "ack_link" ADD CONSTRAINT "ack_link_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
