import type { NextConfig } from "next";

const config: NextConfig = {
  // piscina starts its worker threads from its own files on disk: it must not be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "piscina"],
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
