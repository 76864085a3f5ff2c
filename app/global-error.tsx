"use client";

import "./globals.css";

/** Replaces the root layout when that itself fails, so it brings its own <html> and <body>. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <main className="mx-auto max-w-lg px-6 py-24 text-center">
          <h1 className="text-2xl font-semibold">Something went wrong</h1>
          <p className="mt-2 text-slate-600" data-testid="error-id">
            Something went wrong on our side{error.digest ? ` (error id ${error.digest})` : ""}. Try again; if
            it persists, give the id to your administrator.
          </p>
          <p className="mt-4">
            <button type="button" className="text-indigo-700 underline" onClick={() => reset()}>Try again</button>
          </p>
        </main>
      </body>
    </html>
  );
}
