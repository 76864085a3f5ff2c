CREATE TABLE "labeling_guidelines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"markdown" text NOT NULL,
	"change_note" text DEFAULT '' NOT NULL,
	"author_user_id" uuid,
	"author" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "labeling_guidelines_model_version_uq" UNIQUE("model_id","version"),
	CONSTRAINT "labeling_guidelines_version_positive" CHECK ("labeling_guidelines"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "labeling_guidelines" ADD CONSTRAINT "labeling_guidelines_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labeling_guidelines" ADD CONSTRAINT "labeling_guidelines_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;