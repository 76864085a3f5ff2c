/**
 * PostgreSQL array literals (`{"a","b",NULL}`), passed as one text parameter and cast in SQL
 * (`$1::uuid[]`). One parameter per column, whatever the row count, keeps a 10,000-row insert far
 * below the 65,535 bind-parameter limit, and both drivers (node-postgres and PGlite) send it the same way.
 */
const NEEDS_ESCAPE = /[\\"]/;

export function pgArray(values: readonly (string | number | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = "NULL";
    else if (typeof v === "number") parts[i] = String(v);
    else parts[i] = NEEDS_ESCAPE.test(v) ? `"${v.replace(/[\\"]/g, "\\$&")}"` : `"${v}"`;
  }
  return `{${parts.join(",")}}`;
}
