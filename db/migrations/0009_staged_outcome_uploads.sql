-- Outcome chunks belong to an upload, written before the report exists; the report links it in its own short
-- transaction (so a 1M-outcome report never holds a long transaction). Existing chunks become an upload each,
-- with their report's id as the upload's id, linked to that report.
CREATE TABLE "outcome_uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_outcome_chunks" RENAME COLUMN "report_id" TO "upload_id";--> statement-breakpoint
ALTER TABLE "report_outcome_chunks" DROP CONSTRAINT "report_outcome_chunks_report_id_evaluation_reports_id_fk";
--> statement-breakpoint
ALTER TABLE "report_outcome_chunks" DROP CONSTRAINT "report_outcome_chunks_report_id_chunk_pk";--> statement-breakpoint
ALTER TABLE "report_outcome_chunks" ADD CONSTRAINT "report_outcome_chunks_upload_id_chunk_pk" PRIMARY KEY("upload_id","chunk");--> statement-breakpoint
ALTER TABLE "evaluation_reports" ADD COLUMN "outcome_upload_id" uuid;--> statement-breakpoint
INSERT INTO "outcome_uploads" ("id", "created_at")
  SELECT r."id", r."created_at" FROM "evaluation_reports" r
  WHERE EXISTS (SELECT 1 FROM "report_outcome_chunks" c WHERE c."upload_id" = r."id");--> statement-breakpoint
UPDATE "evaluation_reports" SET "outcome_upload_id" = "id" WHERE "id" IN (SELECT "id" FROM "outcome_uploads");--> statement-breakpoint
ALTER TABLE "evaluation_reports" ADD CONSTRAINT "evaluation_reports_outcome_upload_id_outcome_uploads_id_fk" FOREIGN KEY ("outcome_upload_id") REFERENCES "public"."outcome_uploads"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_outcome_chunks" ADD CONSTRAINT "report_outcome_chunks_upload_id_outcome_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."outcome_uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_reports" ADD CONSTRAINT "evaluation_reports_outcome_upload_uq" UNIQUE("outcome_upload_id");