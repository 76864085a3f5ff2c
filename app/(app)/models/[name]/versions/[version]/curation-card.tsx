import { ArchiveButton } from "../../../../../_components/archive-button";
import { when } from "../../../../../_components/format";
import { TagEditor } from "../../../../../_components/tag-editor";
import { Badge, Card } from "../../../../../_components/ui";

/** A version's tags and whether it is archived, with the controls for whoever may change them. */
export function CurationCard({
  model,
  version,
  tags,
  archivedAt,
  canTag,
  canArchive,
}: {
  model: string;
  version: number;
  tags: string[];
  archivedAt: Date | null;
  canTag: boolean;
  canArchive: boolean;
}) {
  return (
    <Card title="Tags and archive" className="mb-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <TagEditor model={model} version={version} tags={tags} canEdit={canTag} />
        <div className="space-y-2 text-sm">
          {archivedAt ? (
            <p data-testid="archived">
              <Badge tone="retired">archived</Badge> since {when(archivedAt)}: hidden from the version list unless “show
              archived” is on.
            </p>
          ) : (
            <p className="text-slate-500">Not archived.</p>
          )}
          {canArchive && <ArchiveButton model={model} version={version} archived={archivedAt !== null} />}
        </div>
      </div>
    </Card>
  );
}
