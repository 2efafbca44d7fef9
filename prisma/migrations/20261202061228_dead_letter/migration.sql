-- CreateTable
CREATE TABLE "dead_letter" (
    "id" UUID NOT NULL,
    "job_id" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "data" JSONB,
    "error" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "dead_letter_job_id_key" ON "dead_letter"("job_id");
