import type { Metadata } from "next";
import { connection } from "next/server";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Ratchet", template: "%s · Ratchet" },
  description: "ML operations oversight: registry, release gates, drift and human feedback",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: its scripts carry this request's CSP nonce (see proxy.ts),
  // which a page prerendered at build time could not.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        {/* Table state (sort, filters, page) lives in the URL through nuqs, so a view can be shared. */}
        <NuqsAdapter>{children}</NuqsAdapter>
      </body>
    </html>
  );
}
