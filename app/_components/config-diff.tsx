import type { ConfigChange } from "@/server/domain/registry/versions";
import { Badge, Table } from "./ui";

const show = (x: unknown) => (x === undefined ? "" : JSON.stringify(x));

/** The differences between two versions' config (or hyper-parameters), path by path. */
export function ConfigDiffTable({
  title,
  changes,
  from,
  to,
}: {
  title: string;
  changes: ConfigChange[];
  from: number;
  to: number;
}) {
  if (changes.length === 0) return <p className="mb-3 text-sm text-slate-500">No differences in {title}.</p>;
  return (
    <div className="mb-4" data-testid={`diff-${title}`}>
      <h3 className="mb-1 text-sm font-medium">
        {changes.length} difference{changes.length === 1 ? "" : "s"} in {title}
      </h3>
      <Table label={`Differences in ${title}`}>
        <thead>
          <tr>
            <th>Path</th>
            <th>Change</th>
            <th>v{from}</th>
            <th>v{to}</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.path}>
              <td className="font-mono text-xs">{c.path}</td>
              <td>
                <Badge tone={c.kind === "removed" ? "revoked" : c.kind === "added" ? "champion" : "challenger"}>
                  {c.kind}
                </Badge>
              </td>
              <td className="font-mono text-xs break-all text-red-800">{show(c.from)}</td>
              <td className="font-mono text-xs break-all text-emerald-800">{show(c.to)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
