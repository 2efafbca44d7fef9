-- CreateTable
CREATE TABLE "postmortem" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "latest_version" INTEGER NOT NULL DEFAULT 0,
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by" TEXT,

    CONSTRAINT "postmortem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postmortem_version" (
    "postmortem_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT NOT NULL,
    "markdown" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "changes" TEXT,
    "flagged" INTEGER NOT NULL DEFAULT 0,
    "channel_id" TEXT,
    "file_id" TEXT,
    "shared_at" TIMESTAMPTZ(3),

    CONSTRAINT "postmortem_version_pkey" PRIMARY KEY ("postmortem_id","version")
);

-- CreateIndex
CREATE UNIQUE INDEX "postmortem_incident_id_key" ON "postmortem"("incident_id");

-- AddForeignKey
ALTER TABLE "postmortem_version" ADD CONSTRAINT "postmortem_version_postmortem_id_fkey" FOREIGN KEY ("postmortem_id") REFERENCES "postmortem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
