ALTER TABLE "prediction_references" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "prediction_references" ADD COLUMN "profile" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "prediction_references_current_uq" ON "prediction_references" USING btree ("model_version_id") WHERE replaced_at is null;