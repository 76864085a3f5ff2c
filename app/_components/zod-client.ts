import { z } from "zod";

/**
 * Zod compiles object parsers with `new Function` when it may. The pages' Content-Security-Policy forbids
 * eval, and even zod's caught probe is reported as a violation, so in the browser it runs without that
 * (jitless). Import this module FIRST in a client module that builds schemas: zod decides per schema when
 * the schema is created. The server keeps the compiled parsers.
 */
if (typeof window !== "undefined") z.config({ jitless: true });
