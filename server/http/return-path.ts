/**
 * Where to send someone after signing in: the page the sign-in interrupted. proxy.ts records the request's
 * path in a header, since a layout cannot see its own URL. Only same-site paths are accepted, so a link
 * cannot use the sign-in form to bounce people to another site ("//evil", "/\\evil" and schemes are refused).
 */
export const RETURN_PATH_HEADER = "x-ratchet-path";

export function safeReturnPath(raw: string | null | undefined): string {
  if (
    !raw ||
    !raw.startsWith("/") ||
    raw.startsWith("//") ||
    raw.includes("\\") ||
    [...raw].some((c) => c.charCodeAt(0) < 32)
  )
    return "/";
  if (raw === "/signin" || raw.startsWith("/signin?") || raw.startsWith("/api/")) return "/";
  return raw.length > 2000 ? "/" : raw;
}

/** The sign-in page's URL that returns to `path` afterwards. */
export function signInUrl(path: string | null | undefined): string {
  const next = safeReturnPath(path);
  return next === "/" ? "/signin" : `/signin?next=${encodeURIComponent(next)}`;
}
