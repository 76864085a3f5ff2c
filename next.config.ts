import type { NextConfig } from "next";

const config: NextConfig = {
  serverExternalPackages: ["@electric-sql/pglite"],
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
