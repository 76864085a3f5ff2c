/**
 * Reviewer pseudonyms for exported labels. Training data leaves Ratchet and often outlives it; who labeled
 * what is personal data, but analysis still needs "the same reviewer" to be recognizable (per-reviewer
 * bias, agreement). A keyed HMAC gives exactly that: the same person always gets the same pseudonym, and
 * without the key nobody can go from a pseudonym back to a person — not even by hashing every user id,
 * which an unkeyed hash would allow.
 *
 * Pseudonym = "rv_" + the first 128 bits of HMAC-SHA256(key, user id), base64url. The key comes from
 * RATCHET_PSEUDONYM_KEY, or is derived from AUTH_SECRET (HKDF, its own label); setting it apart keeps
 * pseudonyms stable when the session secret is rotated. RATCHET_EXPORT_REVIEWERS=identity exports the
 * people's emails instead, for teams whose policy allows it.
 */
import { createHmac, hkdfSync } from "node:crypto";
import { env } from "@/server/env";
import type { ReviewerLabeler } from "./rows";

export function pseudonymKeyFrom(material: string): Buffer {
  return Buffer.from(hkdfSync("sha256", material, "ratchet", "reviewer-pseudonyms", 32));
}

export function reviewerPseudonym(key: Buffer, userId: string): string {
  return "rv_" + createHmac("sha256", key).update(userId, "utf8").digest().subarray(0, 16).toString("base64url");
}

export type ReviewerExportMode = "pseudonym" | "identity";

export function reviewerLabeler(mode: ReviewerExportMode, key: Buffer): ReviewerLabeler {
  if (mode === "identity") return (_userId, email) => email;
  // Reviewers repeat across thousands of rows: one HMAC per person, not per row.
  const memo = new Map<string, string>();
  return (userId) => {
    let p = memo.get(userId);
    if (p === undefined) memo.set(userId, (p = reviewerPseudonym(key, userId)));
    return p;
  };
}

/** The labeler this server is configured for. */
export function configuredReviewerLabeler(): ReviewerLabeler {
  const e = env();
  return reviewerLabeler(e.RATCHET_EXPORT_REVIEWERS, pseudonymKeyFrom(e.RATCHET_PSEUDONYM_KEY ?? e.AUTH_SECRET));
}
