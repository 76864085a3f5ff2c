-- Tamper evidence for the audit log: every entry carries sha256(previous hash | its own content).
-- The trigger takes one transaction-scoped advisory lock and assigns the id under it, so ids and the chain
-- follow commit order even with many writers. `npx ratchet audit verify` recomputes the chain.
CREATE FUNCTION audit_log_entry_hash(prev text, e audit_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws(E'\x1f',
    coalesce(prev, ''), e.id::text, (extract(epoch from e.at) * 1000000)::bigint::text,
    coalesce(e.actor_user_id::text, ''), coalesce(e.actor_api_key_id::text, ''), e.actor_label,
    e.action, e.entity_type, e.entity_id, coalesce(e.before::text, 'null'), coalesce(e.after::text, 'null')
  ), 'UTF8')), 'hex')
$$;
--> statement-breakpoint
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(727263686169);
  NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
  SELECT hash INTO last_hash FROM audit_log ORDER BY id DESC LIMIT 1;
  NEW.prev_hash := last_hash;
  NEW.hash := audit_log_entry_hash(last_hash, NEW);
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- Chain the entries written before this migration, oldest first (the append-only trigger is paused for it).
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;
--> statement-breakpoint
DO $$
DECLARE
  r audit_log;
  last_hash text := NULL;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    UPDATE audit_log SET prev_hash = last_hash, hash = audit_log_entry_hash(last_hash, r) WHERE id = r.id;
    last_hash := audit_log_entry_hash(last_hash, r);
  END LOOP;
END;
$$;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
