/**
 * The one place that decides who may do what. Deny by default: a permission not granted here is refused.
 * People get permissions through roles; pipelines and services get them through API-key scopes.
 */
import { ROLES, type Role } from "@/server/domain/enums";

export { ROLES, type Role };

export const SCOPES = [
  "registry:read",
  "models:write",
  "versions:write",
  "datasets:write",
  "reports:write",
  "predictions:write",
  "reference:write",
  "releases:request",
  "feedback:read",
] as const;
export type Scope = (typeof SCOPES)[number];

export const PERMISSIONS = [
  "registry:read",
  "models:write",
  "versions:write",
  /** Archive or bring back a version: a person's judgement, never a pipeline's (keys have no scope for it). */
  "versions:archive",
  "datasets:write",
  "audit:read",
  /** Audit entries about people, keys, webhooks and sign-ins: who can get in, and where data goes. */
  "audit:read_security",
  "users:manage",
  "keys:manage",
  "webhooks:manage",
  "reports:write",
  /** Production services logging their predictions; no role has it (people do not post traffic). */
  "predictions:write",
  /** Set a model version's reference data (a training sample, or a window of its traffic): drift is measured against it. */
  "reference:write",
  "requirements:propose",
  "requirements:decide",
  "releases:request",
  "releases:decide",
  /** Publish a model's labeling guidelines: a person's judgement of what a right label is; no key scope grants it. */
  "guidelines:write",
  /** Create and edit a model's alert rules (what is watched, how severe, who is emailed). */
  "alerts:configure",
  /** Acknowledge or resolve an alert, with a note: whoever answers for the model in production. */
  "alerts:manage",
  /** One's own account: password, second factor. Every person has it; keys never do. */
  "account:self",
  /** Queue a monitoring check now (recompute a model's recent windows): the people who watch models. */
  "monitoring:run",
  /** Claim items from the human review queue and label them: a person's judgement, no key scope grants it. */
  "feedback:label",
  /** Edit a model's review policy (thresholds, random and gold shares, overlap, order) and promote gold items. */
  "feedback:policy",
  /** Resolve conflicting labels: the adjudicated label is the one that counts. */
  "feedback:adjudicate",
  /**
   * See reviewers by name in the label-quality statistics (agreement per pair, accuracy on gold items):
   * how one person measures against another is for those who run the review, not for everyone who reads
   * the registry; others see "Reviewer 1", "Reviewer 2" (and themselves as "you").
   */
  "feedback:reviewers",
  /**
   * Export the labeled items (features, labels, reviewers as pseudonyms) for retraining: data scientists,
   * and a training pipeline's key with the scope of the same name.
   */
  "feedback:read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ["registry:read", "audit:read", "account:self"],
  reviewer: ["registry:read", "account:self", "feedback:label"],
  data_scientist: [
    "registry:read",
    "audit:read",
    "models:write",
    "versions:write",
    "versions:archive",
    "datasets:write",
    "reports:write",
    "reference:write",
    "requirements:propose",
    "releases:request",
    "guidelines:write",
    "monitoring:run",
    "alerts:configure",
    "alerts:manage",
    "account:self",
    "feedback:policy",
    "feedback:adjudicate",
    "feedback:reviewers",
    "feedback:read",
  ],
  // Managers decide; four eyes (never on their own request) is enforced in the release and requirement domain.
  manager: ["registry:read", "audit:read", "requirements:decide", "releases:decide", "alerts:manage", "account:self"],
  admin: [
    "registry:read",
    "audit:read",
    "audit:read_security",
    "users:manage",
    "keys:manage",
    "webhooks:manage",
    "account:self",
  ],
};

/**
 * A step the person must take before anything else: a password reset an admin forced, or enrolling a
 * second factor that RATCHET_REQUIRE_MFA makes mandatory for their roles.
 */
export type PendingStep = "password_reset" | "mfa_enrollment";

export const PENDING_STEP_MESSAGES: Record<PendingStep, string> = {
  password_reset: "An admin reset your password: choose a new one on your account page before doing anything else.",
  mfa_enrollment: "Your role requires a second factor: enable it on your account page before doing anything else.",
};

// A scope grants exactly the permission of the same name; keys can never manage users or keys.
const SCOPE_PERMISSIONS: Record<Scope, readonly Permission[]> = {
  "registry:read": ["registry:read"],
  "models:write": ["models:write"],
  "versions:write": ["versions:write", "registry:read"],
  "datasets:write": ["datasets:write"],
  "reports:write": ["reports:write", "registry:read"],
  // A serving system that logs predictions learns nothing from the registry through this key.
  "predictions:write": ["predictions:write"],
  // A training pipeline uploading its sample; the answer (the feature proposal) comes from what it sent.
  "reference:write": ["reference:write"],
  // A pipeline that requests a release must be able to wait for its decision and read the gate. The
  // request counts as the key owner's, so four eyes keeps the owner from approving it; deciding is never a scope.
  "releases:request": ["releases:request", "registry:read"],
  // A training pipeline pulling labeled data; it reads nothing else of the registry through this key.
  "feedback:read": ["feedback:read"],
};

export type Principal =
  | { kind: "user"; id: string; email: string; name: string; roles: readonly Role[]; pending?: PendingStep }
  /**
   * A key acts for its owner: what it registers, uploads or requests counts as the owner's (four eyes), and
   * it stops working when the owner is disabled.
   */
  | { kind: "apiKey"; id: string; name: string; scopes: readonly Scope[]; ownerUserId: string }
  /** Someone at the server's console (`npx ratchet ...`): they already hold the database itself. */
  | { kind: "operator"; name: string };

export function permissionsOf(principal: Principal): Set<Permission> {
  if (principal.kind === "operator") return new Set(PERMISSIONS);
  const grants =
    principal.kind === "user"
      ? principal.roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? [])
      : principal.scopes.flatMap((s) => SCOPE_PERMISSIONS[s] ?? []);
  return new Set(grants);
}

export function can(principal: Principal | null, permission: Permission): boolean {
  if (principal?.kind === "user" && principal.pending && permission !== "account:self") return false;
  return principal !== null && permissionsOf(principal).has(permission);
}

/** What a refused person must do first, when a pending step is why they were refused. */
export function pendingStepMessage(principal: Principal | null): string | undefined {
  return principal?.kind === "user" && principal.pending ? PENDING_STEP_MESSAGES[principal.pending] : undefined;
}

/**
 * Audit entries anyone with `audit:read` may see: the governance record of models and their evidence.
 * Every other entity type (users, API keys, webhook endpoints, sign-ins, and any type added later) needs
 * `audit:read_security`, so a new kind of entry is admin-only until it is listed here on purpose.
 */
export const GOVERNANCE_AUDIT_ENTITY_TYPES = [
  "model",
  "model_version",
  "dataset",
  "requirement_set",
  "evaluation_report",
  "release",
  "labeling_guideline",
  "alert_rule",
  "alert",
  "feedback_policy",
] as const;

/** Who the audit log names for a principal. */
export function principalLabel(p: Principal): string {
  if (p.kind === "operator") return `cli:${p.name}`;
  return p.kind === "user" ? p.email : `key:${p.name}`;
}

/** The person behind something that was made: directly, or as the owner of the API key that made it. */
export interface MadeBy {
  userId: string;
  /** The key's name when it was made through a key the person owns. */
  viaKey: string | null;
}

/** Who made what a release decision rests on: the request, the version, and the evidence reports. */
export interface ReleaseAuthorship {
  requester: MadeBy | null;
  versionAuthor: MadeBy | null;
  /** Authors of the reports frozen with the request and of the version's reports now (an override approves on those). */
  reportAuthors: (MadeBy & { reportKind: string })[];
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const through = (viaKey: string | null) => (viaKey ? ` through your API key "${viaKey}"` : "");

/**
 * Four eyes on a release: the person deciding holds `releases:decide` and is neither the requester, nor
 * the version's author, nor the author of any report the decision rests on — whether they did it
 * themselves or through a key they own (a key decides as its owner). The domain refuses with the reason;
 * the pages ask the same question to disable "approve" and say why. The operator at the console is
 * nobody's second pair of eyes but made nothing either, so only the permission applies to them.
 */
export function mayDecideRelease(principal: Principal | null, who: ReleaseAuthorship): Decision {
  if (!can(principal, "releases:decide")) return { allowed: false, reason: "Only managers decide releases." };
  const me = principal!.kind === "user" ? principal!.id : principal!.kind === "apiKey" ? principal!.ownerUserId : null;
  if (!me) return { allowed: true };
  if (who.requester?.userId === me) {
    return {
      allowed: false,
      reason: `You requested this release${through(who.requester.viaKey)}; another manager must decide it (four eyes).`,
    };
  }
  if (who.versionAuthor?.userId === me) {
    return {
      allowed: false,
      reason: `You registered this version${through(who.versionAuthor.viaKey)}; another manager must decide its release (four eyes).`,
    };
  }
  const report = who.reportAuthors.find((r) => r.userId === me);
  if (report) {
    return {
      allowed: false,
      reason: `You uploaded the ${report.reportKind} report this release rests on${through(report.viaKey)}; another manager must decide it (four eyes).`,
    };
  }
  return { allowed: true };
}

/**
 * Four eyes on a requirement loosening: a person with `requirements:decide` who did not propose it.
 * `proposedBy` is the proposing person's id (null when a key or the console proposed it).
 */
export function mayDecideRequirementSet(principal: Principal | null, proposedBy: string | null): Decision {
  if (!can(principal, "requirements:decide"))
    return { allowed: false, reason: "Only managers decide requirement changes." };
  if (principal!.kind === "user" && proposedBy !== null && principal!.id === proposedBy) {
    return { allowed: false, reason: "You proposed this loosening; another manager must decide it (four eyes)." };
  }
  return { allowed: true };
}
