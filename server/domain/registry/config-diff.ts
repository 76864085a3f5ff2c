export interface ConfigChange {
  path: string;
  kind: "added" | "removed" | "changed";
  from?: unknown;
  to?: unknown;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/**
 * Pure: the differences between two configs as flat JSON paths, in the order the newer config lists its
 * keys (as its author wrote them; keys it dropped follow, in the older one's order), array items by index.
 */
export function diffConfigs(from: Record<string, unknown>, to: Record<string, unknown>): ConfigChange[] {
  const out: ConfigChange[] = [];
  walk(from, to, [], out);
  return out;
}

function walk(a: unknown, b: unknown, path: string[], out: ConfigChange[]): void {
  const at = (key: string | number) => [...path, String(key)];
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(b), ...Object.keys(a).filter((k) => !Object.hasOwn(b, k))];
    for (const k of keys) compareChild(Object.hasOwn(a, k), a[k], Object.hasOwn(b, k), b[k], at(k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      compareChild(i < a.length, a[i], i < b.length, b[i], at(i), out);
    return;
  }
  if (!Object.is(a, b)) out.push({ path: path.join("."), kind: "changed", from: a, to: b });
}

function compareChild(inA: boolean, a: unknown, inB: boolean, b: unknown, path: string[], out: ConfigChange[]): void {
  if (!inA) out.push({ path: path.join("."), kind: "added", to: b });
  else if (!inB) out.push({ path: path.join("."), kind: "removed", from: a });
  else walk(a, b, path, out);
}
