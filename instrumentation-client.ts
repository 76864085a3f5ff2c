import { z } from "zod";

/**
 * Runs in the browser before the app's code. Forms validate with zod there, and zod would compile its fast
 * object parsers with `new Function`: the Content-Security-Policy (no 'unsafe-eval', see proxy.ts) refuses
 * that and reports a violation on every page with a form. Schemas read this setting when they are built,
 * so it must come before any form's module; forms parse small inputs, so interpreting costs nothing.
 * The server keeps the compiled parsers (instrumentation.ts is its own, separate hook).
 */
z.config({ jitless: true });
