/**
 * The page an audit entry is about, from its entity type and id as the domain writes them
 * (model "churn", version "churn@5", requirement set "churn#3", release and report by uuid).
 * Null when there is no page for it (a deleted or unknown kind of entity).
 */
export function auditEntityHref(entityType: string, entityId: string): string | null {
  const at = (sep: string) => {
    const i = entityId.lastIndexOf(sep);
    return i > 0 ? [entityId.slice(0, i), entityId.slice(i + 1)] : null;
  };
  const path = (...parts: string[]) => `/${parts.map(encodeURIComponent).join("/")}`;
  switch (entityType) {
    case "model":
      return path("models", entityId);
    case "model_version": {
      const p = at("@");
      return p ? path("models", p[0]!, "versions", p[1]!) : null;
    }
    case "requirement_set": {
      const p = at("#");
      return p ? path("models", p[0]!, "requirements") : null;
    }
    case "labeling_guideline": {
      const p = at("@");
      return p ? `${path("models", p[0]!, "guidelines")}?version=${encodeURIComponent(p[1]!)}` : null;
    }
    case "release":
      return path("releases", entityId);
    case "evaluation_report":
      return path("reports", entityId);
    case "dataset":
      return "/datasets";
    case "api_key":
      return "/admin/keys";
    case "user":
      return "/admin/users";
    case "webhook_endpoint":
      return "/admin/webhooks";
    default:
      return null;
  }
}
