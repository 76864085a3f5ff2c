/**
 * Line-by-line difference between two texts, for comparing guideline versions. A longest common
 * subsequence of lines (dynamic programming, O(n·m)) marks which lines stayed; the rest were removed from
 * the old text or added in the new one. Guidelines are bounded (see GUIDELINE_MAX_CHARS), which bounds
 * the table; a common prefix and suffix are trimmed first, so a small edit of a long text is cheap.
 */

export interface LineChange {
  kind: "same" | "added" | "removed";
  text: string;
  /** 1-based line in the old text (same, removed). */
  oldLine?: number;
  /** 1-based line in the new text (same, added). */
  newLine?: number;
}

const splitLines = (text: string) => (text === "" ? [] : text.replace(/\r\n?/g, "\n").split("\n"));

export function lineDiff(oldText: string, newText: string): LineChange[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  // lcs[i][j]: length of the LCS of a[start+i..endA) and b[start+j..endB), flattened row-major.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        a[start + i] === b[start + j]
          ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  const out: LineChange[] = [];
  for (let k = 0; k < start; k++) out.push({ kind: "same", text: a[k]!, oldLine: k + 1, newLine: k + 1 });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      out.push({ kind: "same", text: a[start + i]!, oldLine: start + i + 1, newLine: start + j + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!)) {
      // On a tie, removals first: an edited line reads as "-old" then "+new", as in every diff tool.
      out.push({ kind: "removed", text: a[start + i]!, oldLine: start + i + 1 });
      i++;
    } else {
      out.push({ kind: "added", text: b[start + j]!, newLine: start + j + 1 });
      j++;
    }
  }
  for (let k = 0; k < a.length - endA; k++) {
    out.push({ kind: "same", text: a[endA + k]!, oldLine: endA + k + 1, newLine: endB + k + 1 });
  }
  return out;
}
