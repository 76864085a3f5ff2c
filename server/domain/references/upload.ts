import { authorize, type DomainContext } from "@/server/domain/context";
import { declaredFeatures } from "@/server/domain/features/declared";
import { proposeFeatures } from "@/server/domain/features/propose";
import { parseReference, type ReferenceSample } from "./parse";
import { profileSample } from "./profile";
import { uploadReferenceInput, versionRef, type UploadReferenceInput } from "./schemas";
import { currentReference, hashRows, insertRows, lockVersion, replaceReference, type ReferenceRecord } from "./store";
import { storedRows } from "./stored-rows";

export interface SetReferenceResult {
  reference: ReferenceRecord;
  /** False when the version's reference already held exactly these rows: nothing was written. */
  changed: boolean;
  /** The reference this one replaced. */
  replaced: string | null;
  proposal: ReturnType<typeof proposeFeatures> | null;
}

/**
 * Sets a version's reference from a sample (parsed from CSV or JSON). Idempotent: the same rows again
 * change nothing; other rows replace the current reference. A bad row or field refuses the whole sample
 * before anything is written.
 */
export async function setSampleReference(
  ctx: DomainContext,
  target: { model: string; version: number; fileName?: string | null },
  sample: ReferenceSample,
): Promise<SetReferenceResult> {
  const actor = authorize(ctx, "reference:write");
  const { model, version: number } = versionRef.parse(target);
  const profile = profileSample(sample);
  return ctx.db.transaction(async (tx) => {
    const version = await lockVersion(tx, model, number);
    const rows = storedRows(sample, version.task);
    const contentHash = hashRows(rows);
    const previous = await currentReference(tx, version.id);
    const declared = await declaredFeatures(tx, version.modelId);
    if (previous?.contentHash === contentHash) {
      const proposal = previous.profile ? proposeFeatures(previous.profile, previous.rowCount, declared) : null;
      return { reference: previous, changed: false, replaced: null, proposal };
    }
    const reference = await replaceReference(
      tx,
      actor,
      version,
      previous,
      { source: "upload", fileName: target.fileName ?? null, rowCount: sample.rows, contentHash, profile },
      (id) => insertRows(tx, id, rows),
    );
    return {
      reference,
      changed: true,
      replaced: previous?.id ?? null,
      proposal: proposeFeatures(profile, sample.rows, declared),
    };
  });
}

/** The web's upload: the file's text and its format. */
export async function uploadReference(ctx: DomainContext, raw: UploadReferenceInput): Promise<SetReferenceResult> {
  authorize(ctx, "reference:write");
  const input = uploadReferenceInput.parse(raw);
  const sample = parseReference(input.format, input.content);
  return setSampleReference(ctx, input, sample);
}

/** The answer the HTTP API and the web give: the reference (with its column profile), whether it changed, the proposal. */
export function referenceAnswer(model: string, version: number, result: SetReferenceResult) {
  const r = result.reference;
  return {
    reference: {
      id: r.id,
      model,
      version,
      source: r.source,
      fileName: r.fileName,
      windowFrom: r.windowFrom?.toISOString() ?? null,
      windowTo: r.windowTo?.toISOString() ?? null,
      rowCount: r.rowCount,
      createdAt: r.createdAt.toISOString(),
      columns: r.profile?.columns ?? [],
      hasPrediction: r.profile?.hasPrediction ?? false,
      hasTarget: r.profile?.hasTarget ?? false,
    },
    changed: result.changed,
    replaced: result.replaced,
    proposal: result.proposal,
  };
}
