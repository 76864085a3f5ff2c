CREATE TYPE "public"."reference_source" AS ENUM('upload', 'window');--> statement-breakpoint
CREATE TYPE "public"."window_granularity" AS ENUM('hour', 'day', 'week');--> statement-breakpoint
CREATE TABLE "monitoring_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_version_id" uuid NOT NULL,
	"granularity" "window_granularity" NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"row_count" integer NOT NULL,
	"reference_id" uuid,
	"summary" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "monitoring_windows_version_window_uq" UNIQUE("model_version_id","granularity","window_start")
);
--> statement-breakpoint
CREATE TABLE "prediction_references" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_version_id" uuid NOT NULL,
	"source" "reference_source" NOT NULL,
	"window_from" timestamp with time zone,
	"window_to" timestamp with time zone,
	"file_name" text,
	"row_count" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replaced_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reference_rows" (
	"reference_id" uuid NOT NULL,
	"row_index" integer NOT NULL,
	"features" jsonb NOT NULL,
	"prediction_number" double precision,
	"prediction_label" text,
	"target" text,
	CONSTRAINT "reference_rows_reference_id_row_index_pk" PRIMARY KEY("reference_id","row_index")
);
--> statement-breakpoint
ALTER TABLE "monitoring_windows" ADD CONSTRAINT "monitoring_windows_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_windows" ADD CONSTRAINT "monitoring_windows_reference_id_prediction_references_id_fk" FOREIGN KEY ("reference_id") REFERENCES "public"."prediction_references"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_references" ADD CONSTRAINT "prediction_references_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_references" ADD CONSTRAINT "prediction_references_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_rows" ADD CONSTRAINT "reference_rows_reference_id_prediction_references_id_fk" FOREIGN KEY ("reference_id") REFERENCES "public"."prediction_references"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "monitoring_windows_version_start_idx" ON "monitoring_windows" USING btree ("model_version_id","window_start");--> statement-breakpoint
CREATE INDEX "prediction_references_version_idx" ON "prediction_references" USING btree ("model_version_id","created_at");