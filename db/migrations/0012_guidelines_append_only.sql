-- Labeling guidelines are append-only: a label records the guideline version it was given under, so a
-- version must keep saying what it said. A new text is a new row; nothing may rewrite or remove one.
CREATE FUNCTION labeling_guidelines_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'labeling_guidelines is append-only: % is not allowed; publish a new version', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER labeling_guidelines_no_update_delete BEFORE UPDATE OR DELETE ON labeling_guidelines
  FOR EACH ROW EXECUTE FUNCTION labeling_guidelines_refuse_change();
--> statement-breakpoint
CREATE TRIGGER labeling_guidelines_no_truncate BEFORE TRUNCATE ON labeling_guidelines
  FOR EACH STATEMENT EXECUTE FUNCTION labeling_guidelines_refuse_change();
