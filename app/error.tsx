"use client";
import { ErrorNotice } from "./_components/error-notice";

/**
 * An unexpected failure while rendering a page. In production Next replaces the message with a generic
 * one and gives a digest, the id the server log has beside the full error: shown as the error id.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorNotice digest={error.digest} reset={reset} />;
}
