-- The prediction log is partitioned by day on its time, on PGlite and on a PostgreSQL server alike (both
-- run the same DDL). drizzle-kit cannot declare partitioning, so the table 0007 created (empty, just now)
-- is recreated here with exactly the same columns, constraints, foreign key and index.
DROP TABLE "predictions";
--> statement-breakpoint
CREATE TABLE "predictions" (
	"id" bigserial NOT NULL,
	"model_version_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"features" jsonb NOT NULL,
	"prediction_number" double precision,
	"prediction_label" text,
	"confidence" real,
	"probabilities" jsonb,
	"latency_ms" real,
	"arm" "prediction_arm" DEFAULT 'champion' NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "predictions_one_output" CHECK (num_nonnulls("predictions"."prediction_number", "predictions"."prediction_label") = 1),
	CONSTRAINT "predictions_confidence_range" CHECK ("predictions"."confidence" is null or ("predictions"."confidence" >= 0 and "predictions"."confidence" <= 1)),
	CONSTRAINT "predictions_latency_range" CHECK ("predictions"."latency_ms" is null or "predictions"."latency_ms" >= 0)
) PARTITION BY RANGE ("time");
--> statement-breakpoint
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "predictions_version_time_idx" ON "predictions" USING btree ("model_version_id","time");
--> statement-breakpoint
-- No row is ever refused for lack of a partition: a time outside the created days (late or far-future
-- traffic) lands here, and moves to its day's partition when that day is created.
CREATE TABLE "predictions_default" PARTITION OF "predictions" DEFAULT;
--> statement-breakpoint
-- Creates the missing daily partitions (UTC days) from from_day to to_day inclusive; returns how many.
-- Rows of those days already in the default partition move into the new one before it is attached.
-- An advisory lock makes instances that run this at the same moment take turns instead of failing.
-- SECURITY DEFINER: creating and attaching tables needs the table's owner, and the app may run as a role
-- that only reads and writes rows (MIGRATION_DATABASE_URL); the function does exactly this and no more.
CREATE FUNCTION ratchet_ensure_prediction_partitions(from_day date, to_day date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  day date;
  part text;
  lower_bound timestamptz;
  upper_bound timestamptz;
  created integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('ratchet_prediction_partitions'));
  FOR day IN SELECT d::date FROM generate_series(from_day, to_day, interval '1 day') AS d LOOP
    part := 'predictions_p' || to_char(day, 'YYYYMMDD');
    CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
    lower_bound := day::timestamp AT TIME ZONE 'UTC';
    upper_bound := (day + 1)::timestamp AT TIME ZONE 'UTC';
    EXECUTE format('CREATE TABLE %I (LIKE predictions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
    EXECUTE format(
      'WITH moved AS (DELETE FROM predictions_default WHERE "time" >= %L AND "time" < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
      lower_bound, upper_bound, part);
    EXECUTE format('ALTER TABLE predictions ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lower_bound, upper_bound);
    created := created + 1;
  END LOOP;
  RETURN created;
END;
$$;
--> statement-breakpoint
-- Retention: drops the daily partitions of days before cutoff_day (whole days, so no row-by-row delete),
-- and deletes rows before it that sit in the default partition. Returns the partitions dropped.
-- SECURITY DEFINER for the same reason (dropping needs the owner); the app role may delete rows anyway.
CREATE FUNCTION ratchet_drop_prediction_partitions(cutoff_day date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  part text;
  dropped integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('ratchet_prediction_partitions'));
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'predictions'::regclass AND c.relname ~ '^predictions_p[0-9]{8}$'
      AND to_date(substr(c.relname, 14), 'YYYYMMDD') < cutoff_day
  LOOP
    EXECUTE format('DROP TABLE %I', part);
    dropped := dropped + 1;
  END LOOP;
  DELETE FROM predictions_default WHERE "time" < (cutoff_day::timestamp AT TIME ZONE 'UTC');
  RETURN dropped;
END;
$$;
