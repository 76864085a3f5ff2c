/**
 * The PostgreSQL benches each work in a database of their own on the server they are pointed at, created
 * fresh and dropped afterwards (also when the bench fails), so a run never meets another's rows.
 */
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import type { Db } from "@/db/client";
import type { Principal } from "@/server/authz/policy";
import { createUser } from "@/server/domain/admin/users";

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await onServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`) };
}

/** A data scientist for the bench's domain calls (created by the operator, as `ratchet user add` would). */
export async function benchScientist(db: Db): Promise<{ db: Db; principal: Principal }> {
  const ops = { db, principal: { kind: "operator", name: "bench" } as Principal };
  const user = await createUser(ops, {
    email: "bench@ratchet.test",
    password: "a long bench password",
    roles: ["data_scientist"],
  });
  return {
    db,
    principal: { kind: "user", id: user.id, email: user.email, name: "b", roles: ["data_scientist"] } as Principal,
  };
}
