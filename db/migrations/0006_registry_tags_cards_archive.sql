-- json keeps the keys in the order the user wrote them (jsonb sorts them). Existing rows keep jsonb's order.
ALTER TABLE "model_versions" ALTER COLUMN "hyperparameters" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "model_versions" ALTER COLUMN "config" SET DATA TYPE json USING "config"::json;--> statement-breakpoint
ALTER TABLE "model_versions" ALTER COLUMN "hyperparameters" SET DATA TYPE json USING "hyperparameters"::json;--> statement-breakpoint
ALTER TABLE "model_versions" ALTER COLUMN "hyperparameters" SET DEFAULT '{}'::json;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "notes" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "model_versions" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "card" text DEFAULT '' NOT NULL;
