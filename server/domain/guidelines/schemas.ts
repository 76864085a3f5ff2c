import { z } from "zod";
import { nonNegativeInt32, positiveInt32 } from "@/server/domain/ints";
import { modelName } from "@/server/domain/registry/schemas";

/** Long enough for detailed guidelines with examples; bounded so one text cannot bloat every page. */
export const GUIDELINE_MAX_CHARS = 100_000;

export const guidelineMarkdown = z
  .string()
  .max(GUIDELINE_MAX_CHARS, `at most ${GUIDELINE_MAX_CHARS.toLocaleString("en")} characters`)
  .refine((s) => s.trim().length > 0, "write the guidelines (empty text is not a version)");

export const publishGuidelinesInput = z.object({
  model: modelName,
  markdown: guidelineMarkdown,
  changeNote: z.string().max(500, "at most 500 characters").default(""),
  /**
   * The version the author started from (0 when there was none). If someone published in between, the
   * save is refused instead of silently replacing their text.
   */
  basedOnVersion: nonNegativeInt32(),
});
export type PublishGuidelinesInput = z.input<typeof publishGuidelinesInput>;

export const guidelineVersionInput = z.object({
  model: modelName,
  /** Unset: the latest version. */
  version: positiveInt32().optional(),
});

export const guidelineDiffInput = z
  .object({ model: modelName, from: positiveInt32(), to: positiveInt32() })
  .refine((d) => d.from !== d.to, { message: "compare two different versions", path: ["to"] });
