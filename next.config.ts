import type { NextConfig } from "next";

const config: NextConfig = {
  // rate-limiter-flexible loads drizzle-orm with a computed import() that a bundle cannot follow.
  serverExternalPackages: ["@electric-sql/pglite", "rate-limiter-flexible"],
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
