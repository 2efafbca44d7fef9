-- AlterTable
ALTER TABLE "signal_batch" ADD COLUMN     "measurements" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "measurement_minute" (
    "feature_key" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "count" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "min" DOUBLE PRECISION,
    "max" DOUBLE PRECISION,
    "buckets" JSONB,
    "examples" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "measurement_minute_pkey" PRIMARY KEY ("feature_key","metric","minute")
);

-- CreateTable
CREATE TABLE "measurement_hour" (
    "feature_key" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "count" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "min" DOUBLE PRECISION,
    "max" DOUBLE PRECISION,
    "buckets" JSONB,

    CONSTRAINT "measurement_hour_pkey" PRIMARY KEY ("feature_key","metric","hour")
);

-- CreateTable
CREATE TABLE "watch_state" (
    "feature_key" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "firing" BOOLEAN NOT NULL DEFAULT false,
    "out_since" TIMESTAMPTZ(3),
    "in_since" TIMESTAMPTZ(3),
    "since" TIMESTAMPTZ(3),
    "value" DOUBLE PRECISION,
    "incident_id" UUID,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "watch_state_pkey" PRIMARY KEY ("feature_key","metric")
);

-- CreateTable
CREATE TABLE "watch_band" (
    "feature_key" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "median" DOUBLE PRECISION,
    "mad" DOUBLE PRECISION,
    "samples" INTEGER NOT NULL,
    "days" DOUBLE PRECISION NOT NULL,
    "basis" TEXT NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "watch_band_pkey" PRIMARY KEY ("feature_key","metric","hour")
);

-- Histogram buckets (upper bound as text → count) added key by key: a minute's or an hour's row
-- takes each new summary's buckets in the same statement that adds its count and sum.
CREATE FUNCTION failsafe_merge_buckets(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN a IS NULL THEN b
    WHEN b IS NULL THEN a
    ELSE (SELECT jsonb_object_agg(key, total)
            FROM (SELECT key, sum(value::float8) AS total
                    FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) AS both_
                   GROUP BY key) AS sums)
  END
$$;

-- Replay links, newest first, one per URL, at most `keep`: the row stays small however many
-- summaries of the minute carried examples.
CREATE FUNCTION failsafe_merge_examples(newer jsonb, older jsonb, keep int) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_agg(e ORDER BY n), '[]'::jsonb)
    FROM (SELECT e, n FROM (
            SELECT DISTINCT ON (e->>'url') e, n
              FROM (SELECT e, n FROM jsonb_array_elements(coalesce(newer, '[]')) WITH ORDINALITY AS x(e, n)
                    UNION ALL
                    SELECT e, n + 1000 FROM jsonb_array_elements(coalesce(older, '[]')) WITH ORDINALITY AS y(e, n)) AS all_
             ORDER BY e->>'url', n) AS distinct_
           ORDER BY n LIMIT keep) AS kept
$$;
