import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "./env";

/**
 * Encryption at rest for secrets the server must read back (webhook signing secrets, TOTP secrets):
 * AES-256-GCM with a key from the environment, so a copy of the database alone does not reveal them.
 * Stored form: `enc:v1:<iv>:<tag>:<ciphertext>` (base64url parts).
 */
const PREFIX = "enc:v1:";

function keyFrom(material: string): Buffer {
  return Buffer.from(hkdfSync("sha256", material, "ratchet", "secrets-at-rest", 32));
}

function currentKey(): Buffer {
  const e = env();
  return keyFrom(e.RATCHET_ENCRYPTION_KEY ?? e.AUTH_SECRET);
}

export function encryptSecret(plain: string, key: Buffer = currentKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return PREFIX + [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(":");
}

export class SecretDecryptionError extends Error {}

export function decryptSecret(stored: string, key: Buffer = currentKey()): string {
  if (!stored.startsWith(PREFIX)) throw new SecretDecryptionError("not an encrypted secret");
  const [iv, tag, body] = stored
    .slice(PREFIX.length)
    .split(":")
    .map((p) => Buffer.from(p, "base64url"));
  if (!iv || !tag || !body) throw new SecretDecryptionError("malformed encrypted secret");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptionError(
      "cannot decrypt a stored secret: RATCHET_ENCRYPTION_KEY (or AUTH_SECRET, from which it is derived) changed",
    );
  }
}

export const isEncryptedSecret = (stored: string) => stored.startsWith(PREFIX);

/** For tests: a key from fixed material. */
export const secretKeyFrom = keyFrom;
