import { isProduction } from "@/server/env";
import { InvalidInputError } from "@/server/domain/errors";
import { parseReferenceCsv, referenceFromJsonValue } from "@/server/domain/references/parse";
import { windowReferenceBody } from "@/server/domain/references/schemas";
import { referenceAnswer, setSampleReference } from "@/server/domain/references/upload";
import { setWindowReference } from "@/server/domain/references/window";
import { REFERENCE_UPLOAD_LIMIT, readBodyBytes } from "@/server/http/body";
import { json } from "@/server/http/errors";
import { apiRoute } from "@/server/http/handler";
import { newNonce, securityHeaders } from "@/server/http/security-headers";

/**
 * Sets the version's reference data: a sample as CSV (`text/csv`, header row) or JSON rows, or
 * `{"window":{"from","to"}}` to take its own production traffic. 201 with the reference and the feature
 * proposal; 200 when the version's reference already held exactly this (nothing is written).
 */
const handle = apiRoute<{ name: string; version: string }>("reference:write", async ({ req, ctx, params }) => {
  const type = req.headers.get("content-type") ?? "";
  const csv = type.includes("text/csv");
  if (!csv && !type.includes("application/json"))
    throw new InvalidInputError(
      "body",
      'send a sample as `Content-Type: text/csv` (header row) or `application/json` (rows), or {"window":{"from","to"}} as JSON',
    );
  const body = await readBodyBytes(req, {
    limit: REFERENCE_UPLOAD_LIMIT,
    what: "a reference sample",
    hint: "a reference holds at most 100,000 rows: send a uniform sample",
  });
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new InvalidInputError("body", "is not valid UTF-8");
  }
  const model = params.name;
  const version = Number(params.version);
  const fileName = new URL(req.url).searchParams.get("fileName");
  let result;
  if (csv) {
    result = await setSampleReference(ctx, { model, version, fileName }, parseReferenceCsv(text));
  } else {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InvalidInputError("body", "is not valid JSON (NaN and Infinity are not JSON: send null)");
    }
    const isWindow = typeof value === "object" && value !== null && !Array.isArray(value) && "window" in value;
    result = isWindow
      ? await setWindowReference(ctx, { model, version, window: windowReferenceBody.parse(value).window })
      : await setSampleReference(ctx, { model, version, fileName }, referenceFromJsonValue(value));
  }
  return json(referenceAnswer(model, version, result), result.changed ? 201 : 200);
});

/** The proxy skips this route (it would buffer and cut the body at 10 MB), so the headers are set here. */
export const POST = async (...args: Parameters<typeof handle>): Promise<Response> => {
  const res = await handle(...args);
  for (const [name, value] of Object.entries(securityHeaders({ nonce: newNonce(), production: isProduction() })))
    res.headers.set(name, value);
  return res;
};
