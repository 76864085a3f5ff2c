import type { NextConfig } from "next";

const config: NextConfig = {
  // rate-limiter-flexible loads drizzle-orm with a computed import() that a bundle cannot follow;
  // piscina starts its worker threads from its own files on disk. Neither may be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "rate-limiter-flexible", "piscina"],
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
