"use client";
import Link from "next/link";

/**
 * An unexpected failure while rendering a page. In production Next replaces the message with a generic
 * one and gives a digest, which is also in the server log beside the full error: show it as the id.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-lg px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-slate-600" data-testid="error-id">
        Something went wrong on our side{error.digest ? ` (error id ${error.digest})` : ""}. Try again; if it
        persists, give the id to your administrator.
      </p>
      <p className="mt-4 flex justify-center gap-4">
        <button type="button" className="text-indigo-700 underline" onClick={() => reset()}>Try again</button>
        <Link href="/models">Back to models</Link>
      </p>
    </main>
  );
}
