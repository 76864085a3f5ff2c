"use client";

import "./globals.css";
import { ErrorNotice } from "./_components/error-notice";

/** Replaces the root layout when that itself fails, so it brings its own <html> and <body>. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <ErrorNotice digest={error.digest} reset={reset} home={false} />
      </body>
    </html>
  );
}
