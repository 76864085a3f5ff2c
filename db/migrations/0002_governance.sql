CREATE TYPE "public"."delivery_status" AS ENUM('pending', 'delivered', 'failed');--> statement-breakpoint
CREATE TYPE "public"."metric_direction" AS ENUM('higher', 'lower');--> statement-breakpoint
CREATE TYPE "public"."release_kind" AS ENUM('promote', 'rollback');--> statement-breakpoint
CREATE TYPE "public"."release_status" AS ENUM('pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."release_strategy" AS ENUM('full', 'canary', 'shadow');--> statement-breakpoint
CREATE TYPE "public"."report_kind" AS ENUM('regression', 'backtest', 'nowtest', 'holdout', 'baseline', 'online');--> statement-breakpoint
CREATE TYPE "public"."requirement_set_status" AS ENUM('active', 'pending', 'rejected', 'superseded');--> statement-breakpoint
CREATE TABLE "requirement_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" "requirement_set_status" NOT NULL,
	"based_on_id" uuid,
	"required_report_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"primary_metric" text NOT NULL,
	"rationale" text NOT NULL,
	"loosens" text[] DEFAULT '{}'::text[] NOT NULL,
	"proposed_by" uuid,
	"proposed_by_label" text NOT NULL,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	CONSTRAINT "requirement_sets_model_version_uq" UNIQUE("model_id","version")
);
--> statement-breakpoint
CREATE TABLE "requirements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"set_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"direction" "metric_direction" NOT NULL,
	"floor" double precision NOT NULL,
	"target" double precision,
	"report_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"slice" text DEFAULT '' NOT NULL,
	"rationale" text DEFAULT '' NOT NULL,
	CONSTRAINT "requirements_set_metric_slice_uq" UNIQUE("set_id","metric","slice"),
	CONSTRAINT "requirements_floor_finite" CHECK ("requirements"."floor" not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8))
);
--> statement-breakpoint
CREATE TABLE "evaluation_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_version_id" uuid NOT NULL,
	"kind" "report_kind" NOT NULL,
	"dataset_id" uuid,
	"period_start" date,
	"period_end" date,
	"slice" text DEFAULT '' NOT NULL,
	"baseline" text,
	"sample_size" integer NOT NULL,
	"metrics" jsonb NOT NULL,
	"disagreements" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"confusion" jsonb,
	"outcome_count" integer DEFAULT 0 NOT NULL,
	"content_hash" text NOT NULL,
	"created_by_user_id" uuid,
	"created_by_api_key_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_reports_version_hash_uq" UNIQUE("model_version_id","content_hash"),
	CONSTRAINT "evaluation_reports_sample_size_positive" CHECK ("evaluation_reports"."sample_size" > 0)
);
--> statement-breakpoint
CREATE TABLE "report_outcome_chunks" (
	"report_id" uuid NOT NULL,
	"chunk" integer NOT NULL,
	"rows" integer NOT NULL,
	"ids" text NOT NULL,
	"labels" "bytea" NOT NULL,
	"predictions" "bytea" NOT NULL,
	"scores" "bytea",
	CONSTRAINT "report_outcome_chunks_report_id_chunk_pk" PRIMARY KEY("report_id","chunk")
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"kind" "release_kind" NOT NULL,
	"from_version_id" uuid,
	"to_version_id" uuid NOT NULL,
	"strategy" "release_strategy" NOT NULL,
	"share" real,
	"status" "release_status" NOT NULL,
	"rationale" text NOT NULL,
	"requested_by" uuid,
	"requested_by_api_key" uuid,
	"requested_by_label" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"requirement_set_id" uuid,
	"gate_at_request" jsonb,
	"evidence_hash" text,
	"evidence" jsonb,
	"decided_by" uuid,
	"decided_by_label" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"gate_at_decision" jsonb,
	"override" boolean DEFAULT false NOT NULL,
	"override_justification" text,
	"effective_at" timestamp with time zone,
	CONSTRAINT "releases_share_range" CHECK ("releases"."share" is null or ("releases"."share" > 0 and "releases"."share" < 1)),
	CONSTRAINT "releases_canary_has_share" CHECK (("releases"."strategy" = 'canary') = ("releases"."share" is not null)),
	CONSTRAINT "releases_override_justified" CHECK (not "releases"."override" or length(coalesce("releases"."override_justification", '')) >= 10)
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" bigint NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"status" "delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_event_endpoint_uq" UNIQUE("event_id","endpoint_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"events" text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "requirement_sets" ADD CONSTRAINT "requirement_sets_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requirement_sets" ADD CONSTRAINT "requirement_sets_based_on_id_requirement_sets_id_fk" FOREIGN KEY ("based_on_id") REFERENCES "public"."requirement_sets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requirement_sets" ADD CONSTRAINT "requirement_sets_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requirement_sets" ADD CONSTRAINT "requirement_sets_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requirements" ADD CONSTRAINT "requirements_set_id_requirement_sets_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."requirement_sets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_reports" ADD CONSTRAINT "evaluation_reports_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_reports" ADD CONSTRAINT "evaluation_reports_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_reports" ADD CONSTRAINT "evaluation_reports_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_reports" ADD CONSTRAINT "evaluation_reports_created_by_api_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_outcome_chunks" ADD CONSTRAINT "report_outcome_chunks_report_id_evaluation_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."evaluation_reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_from_version_id_model_versions_id_fk" FOREIGN KEY ("from_version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_to_version_id_model_versions_id_fk" FOREIGN KEY ("to_version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_requested_by_api_key_api_keys_id_fk" FOREIGN KEY ("requested_by_api_key") REFERENCES "public"."api_keys"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_requirement_set_id_requirement_sets_id_fk" FOREIGN KEY ("requirement_set_id") REFERENCES "public"."requirement_sets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_outbox_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outbox_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "requirement_sets_one_active_idx" ON "requirement_sets" USING btree ("model_id") WHERE "requirement_sets"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "requirement_sets_one_pending_idx" ON "requirement_sets" USING btree ("model_id") WHERE "requirement_sets"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "requirements_set_idx" ON "requirements" USING btree ("set_id");--> statement-breakpoint
CREATE INDEX "evaluation_reports_version_idx" ON "evaluation_reports" USING btree ("model_version_id","kind");--> statement-breakpoint
CREATE INDEX "releases_model_effective_idx" ON "releases" USING btree ("model_id","effective_at");--> statement-breakpoint
CREATE INDEX "releases_status_idx" ON "releases" USING btree ("status","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "releases_one_pending_per_version_idx" ON "releases" USING btree ("to_version_id") WHERE "releases"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_events_created_idx" ON "outbox_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_one_challenger_idx" ON "model_versions" USING btree ("model_id") WHERE "model_versions"."stage" = 'challenger';