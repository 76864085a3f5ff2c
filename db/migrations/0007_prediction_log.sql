CREATE TYPE "public"."feature_kind" AS ENUM('numerical', 'categorical');--> statement-breakpoint
CREATE TYPE "public"."prediction_arm" AS ENUM('champion', 'challenger', 'shadow', 'canary');--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"api_key_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text NOT NULL,
	"response_status" integer,
	"response_body" json,
	"lease_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_api_key_id_key_pk" PRIMARY KEY("api_key_id","key")
);
--> statement-breakpoint
CREATE TABLE "model_features" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" "feature_kind" NOT NULL,
	"important" boolean DEFAULT false NOT NULL,
	"categories" jsonb,
	CONSTRAINT "model_features_model_name_uq" UNIQUE("model_id","name")
);
--> statement-breakpoint
CREATE TABLE "prediction_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"model_version_id" uuid NOT NULL,
	"api_key_id" uuid,
	"rows" integer NOT NULL,
	"first_time" timestamp with time zone NOT NULL,
	"last_time" timestamp with time zone NOT NULL,
	"rows_with_problems" integer NOT NULL,
	"counts" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
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
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_features" ADD CONSTRAINT "model_features_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_batches" ADD CONSTRAINT "prediction_batches_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prediction_batches" ADD CONSTRAINT "prediction_batches_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "prediction_batches_version_received_idx" ON "prediction_batches" USING btree ("model_version_id","received_at");--> statement-breakpoint
CREATE INDEX "predictions_version_time_idx" ON "predictions" USING btree ("model_version_id","time");