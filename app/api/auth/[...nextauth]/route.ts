import { NextRequest } from "next/server";
import { handlers } from "@/server/auth";
import { readBodyBytes } from "@/server/http/body";
import { errorResponse } from "@/server/http/errors";

/** A sign-in form is a few hundred bytes; Auth.js itself would read any size. */
const FORM_LIMIT = { limit: 64 * 1024, what: "a sign-in request" };

export const { GET } = handlers;

export async function POST(req: NextRequest) {
  let body: Uint8Array;
  try {
    body = await readBodyBytes(req, FORM_LIMIT);
  } catch (error) {
    return errorResponse(error);
  }
  return handlers.POST(new NextRequest(req.url, { method: "POST", headers: req.headers, body: body as BodyInit, signal: req.signal }));
}
