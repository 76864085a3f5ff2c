import { ResampleCounter } from "../resample";
import { createRng } from "../rng";
const n = 1_000_000;
const rng = createRng(1);
const y = new Uint8Array(n), yF = new Float64Array(n); for (let i = 0; i < n; i++) { y[i] = rng.nextDouble() < 0.3 ? 1 : 0; yF[i] = y[i]!; }
const perm = new Uint32Array(n); for (let i = 0; i < n; i++) perm[i] = i;
for (let i = n - 1; i > 0; i--) { const j = rng.nextBelow(i + 1); const t = perm[i]!; perm[i] = perm[j]!; perm[j] = t; }
const pu = new Uint32Array(n), pi = new Int32Array(n);
for (let k = 0; k < n; k++) { pu[k] = (perm[k]! | (y[k]! << 31)) >>> 0; pi[k] = perm[k]! | (y[k]! << 31); }
const counter = new ResampleCounter(n, createRng(3)); const counts = new Uint8Array(n); counter.draw(counts);
function permU(c: Uint8Array, p: Uint32Array) { let nb = -0, num = -0, pos = -0; for (let k = 0; k < p.length; k++) { const q = p[k]!; const w = c[q & 0x7fffffff]!; const wp = w * (q >>> 31); num += wp * nb; nb += w - wp; pos += wp; } return num / (pos * nb); }
function permI(c: Uint8Array, p: Int32Array) { let nb = -0, num = -0, pos = -0; for (let k = 0; k < p.length; k++) { const q = p[k]!; const w = c[q & 0x7fffffff]!; const wp = w * (q >>> 31); num += wp * nb; nb += w - wp; pos += wp; } return num / (pos * nb); }
function permI2(c: Uint8Array, p: Int32Array) { let nb = -0, num = -0; for (let k = 0; k < p.length; k++) { const q = p[k]!; const w = c[q & 0x7fffffff]!; const wp = q < 0 ? w : 0; num += wp * nb; nb += w - wp; } return num / nb; }
function seq8(y: Uint8Array, c: Uint8Array) { let nb = -0, num = -0, pos = -0; for (let k = 0; k < y.length; k++) { const w = c[k]!; const wp = w * y[k]!; num += wp * nb; nb += w - wp; pos += wp; } return num / (pos * nb); }
function seqF(y: Float64Array, c: Uint8Array) { let nb = -0, num = -0, pos = -0; for (let k = 0; k < y.length; k++) { const w = c[k]!; const wp = w * y[k]!; num += wp * nb; nb += w - wp; pos += wp; } return num / (pos * nb); }
function seqSel(y: Uint8Array, c: Uint8Array) { let nb = -0, num = -0, pos = -0; for (let k = 0; k < y.length; k++) { const w = c[k]!; const wp = y[k] === 1 ? w : 0; num += wp * nb; nb += w - wp; pos += wp; } return num / (pos * nb); }
const T: Record<string, number> = {};
const fns: [string, () => unknown][] = [["permU", () => permU(counts, pu)], ["permI", () => permI(counts, pi)], ["permI2", () => permI2(counts, pi)], ["seq8", () => seq8(y, counts)], ["seqF", () => seqF(yF, counts)], ["seqSel", () => seqSel(y, counts)]];
for (let r = 0; r < 40; r++) for (const [name, f] of fns) { const t = performance.now(); f(); if (r >= 10) T[name] = (T[name] ?? 0) + (performance.now() - t) / 30; }
console.log(Object.fromEntries(Object.entries(T).map(([k, v]) => [k, v.toFixed(2)])));
