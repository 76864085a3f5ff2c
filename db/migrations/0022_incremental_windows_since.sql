CREATE TABLE "incremental_windows_since" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incremental_windows_since_one_row" CHECK ("incremental_windows_since"."id" = 1)
);
--> statement-breakpoint
-- Partials are stored from now on: windows that start earlier are recomputed from the log (their rows came without partials).
INSERT INTO "incremental_windows_since" DEFAULT VALUES;
