CREATE TABLE "reference_binnings" (
	"reference_id" uuid PRIMARY KEY NOT NULL,
	"binning" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "window_partials" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"model_version_id" uuid NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"state" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "window_samples" (
	"model_version_id" uuid NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"hash" bigint NOT NULL,
	"features" jsonb NOT NULL,
	"output" text,
	"numeric_output" boolean NOT NULL,
	"arm" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "monitoring_windows" ADD COLUMN "state" jsonb;--> statement-breakpoint
ALTER TABLE "monitoring_windows" ADD COLUMN "sample_bound" bigint;--> statement-breakpoint
ALTER TABLE "reference_binnings" ADD CONSTRAINT "reference_binnings_reference_id_prediction_references_id_fk" FOREIGN KEY ("reference_id") REFERENCES "public"."prediction_references"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "window_partials" ADD CONSTRAINT "window_partials_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "window_partials_version_hour_idx" ON "window_partials" USING btree ("model_version_id","hour_start");--> statement-breakpoint
CREATE INDEX "window_samples_version_hour_hash_idx" ON "window_samples" USING btree ("model_version_id","hour_start","hash");