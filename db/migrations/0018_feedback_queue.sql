CREATE TYPE "public"."feedback_claim_state" AS ENUM('open', 'claimed', 'labeled');--> statement-breakpoint
CREATE TYPE "public"."feedback_item_status" AS ENUM('open', 'conflict', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."feedback_reason" AS ENUM('disagreement', 'low_confidence', 'random', 'gold');--> statement-breakpoint
CREATE TYPE "public"."feedback_strategy" AS ENUM('confidence', 'margin', 'entropy');--> statement-breakpoint
CREATE TABLE "feedback_adjudications" (
	"item_id" bigint PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"decided_by" uuid,
	"decided_by_label" text NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback_claims" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" bigint NOT NULL,
	"state" "feedback_claim_state" DEFAULT 'open' NOT NULL,
	"reviewer_id" uuid,
	"claimed_at" timestamp with time zone,
	"lease_expires_at" timestamp with time zone,
	"taken_from" uuid,
	CONSTRAINT "feedback_claims_held" CHECK (("feedback_claims"."state" = 'open') = ("feedback_claims"."reviewer_id" is null) and ("feedback_claims"."state" = 'claimed') = ("feedback_claims"."lease_expires_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "feedback_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"model_id" uuid NOT NULL,
	"model_version_id" uuid NOT NULL,
	"prediction_id" bigint,
	"external_id" text NOT NULL,
	"predicted_at" timestamp with time zone NOT NULL,
	"arm" "prediction_arm" NOT NULL,
	"features" jsonb NOT NULL,
	"prediction_label" text,
	"prediction_number" double precision,
	"confidence" real,
	"probabilities" jsonb,
	"reason" "feedback_reason" NOT NULL,
	"sampling_probability" double precision NOT NULL,
	"random_draw" boolean DEFAULT false NOT NULL,
	"disagreement" jsonb,
	"show_model_answer" boolean DEFAULT true NOT NULL,
	"gold_label" text,
	"priority" text NOT NULL,
	"required_labels" integer DEFAULT 1 NOT NULL,
	"label_count" integer DEFAULT 0 NOT NULL,
	"status" "feedback_item_status" DEFAULT 'open' NOT NULL,
	"resolved_label" text,
	"policy_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_items_sampling_probability" CHECK ("feedback_items"."sampling_probability" > 0 and "feedback_items"."sampling_probability" <= 1),
	CONSTRAINT "feedback_items_gold" CHECK (("feedback_items"."reason" = 'gold') = ("feedback_items"."gold_label" is not null))
);
--> statement-breakpoint
CREATE TABLE "feedback_labels" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" bigint NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"label" text,
	"label_number" double precision,
	"note" text DEFAULT '' NOT NULL,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"saw_model_answer" boolean NOT NULL,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_labels_item_reviewer_uq" UNIQUE("item_id","reviewer_id"),
	CONSTRAINT "feedback_labels_one_value" CHECK (num_nonnulls("feedback_labels"."label", "feedback_labels"."label_number") = 1)
);
--> statement-breakpoint
CREATE TABLE "feedback_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"strategy" "feedback_strategy" DEFAULT 'confidence' NOT NULL,
	"threshold" real NOT NULL,
	"random_share" real DEFAULT 0 NOT NULL,
	"gold_share" real DEFAULT 0 NOT NULL,
	"overlap" integer DEFAULT 1 NOT NULL,
	"hide_answer_share" real DEFAULT 0 NOT NULL,
	"second_opinion_above" real DEFAULT 0.9 NOT NULL,
	"order_keys" text[] DEFAULT '{disagreement,confidence,recency}'::text[] NOT NULL,
	"created_by" uuid,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_policies_model_version_uq" UNIQUE("model_id","version"),
	CONSTRAINT "feedback_policies_shares" CHECK ("feedback_policies"."random_share" between 0 and 1 and "feedback_policies"."gold_share" between 0 and 1 and "feedback_policies"."hide_answer_share" between 0 and 1),
	CONSTRAINT "feedback_policies_overlap" CHECK ("feedback_policies"."overlap" between 1 and 10),
	CONSTRAINT "feedback_policies_threshold" CHECK ("feedback_policies"."threshold" >= 0)
);
--> statement-breakpoint
CREATE TABLE "feedback_skips" (
	"item_id" bigint NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_skips_item_id_reviewer_id_pk" PRIMARY KEY("item_id","reviewer_id")
);
--> statement-breakpoint
ALTER TABLE "feedback_adjudications" ADD CONSTRAINT "feedback_adjudications_item_id_feedback_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."feedback_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_adjudications" ADD CONSTRAINT "feedback_adjudications_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_claims" ADD CONSTRAINT "feedback_claims_item_id_feedback_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."feedback_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_claims" ADD CONSTRAINT "feedback_claims_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_claims" ADD CONSTRAINT "feedback_claims_taken_from_users_id_fk" FOREIGN KEY ("taken_from") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_policy_id_feedback_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."feedback_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_labels" ADD CONSTRAINT "feedback_labels_item_id_feedback_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."feedback_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_labels" ADD CONSTRAINT "feedback_labels_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_policies" ADD CONSTRAINT "feedback_policies_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_policies" ADD CONSTRAINT "feedback_policies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_skips" ADD CONSTRAINT "feedback_skips_item_id_feedback_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."feedback_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_skips" ADD CONSTRAINT "feedback_skips_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_claims_item_idx" ON "feedback_claims" USING btree ("item_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_claims_item_reviewer_uq" ON "feedback_claims" USING btree ("item_id","reviewer_id") WHERE "feedback_claims"."reviewer_id" is not null;--> statement-breakpoint
CREATE INDEX "feedback_claims_reviewer_idx" ON "feedback_claims" USING btree ("reviewer_id","state") WHERE "feedback_claims"."reviewer_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_items_request_uq" ON "feedback_items" USING btree ("model_id","external_id") WHERE "feedback_items"."reason" <> 'gold';--> statement-breakpoint
CREATE INDEX "feedback_items_open_priority_idx" ON "feedback_items" USING btree ("priority","id") WHERE "feedback_items"."status" = 'open';--> statement-breakpoint
CREATE INDEX "feedback_items_model_status_idx" ON "feedback_items" USING btree ("model_id","status");--> statement-breakpoint
CREATE INDEX "feedback_items_gold_idx" ON "feedback_items" USING btree ("model_id") WHERE "feedback_items"."reason" = 'gold';--> statement-breakpoint
CREATE INDEX "feedback_labels_reviewer_idx" ON "feedback_labels" USING btree ("reviewer_id","created_at");