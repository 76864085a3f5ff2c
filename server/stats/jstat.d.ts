/**
 * Type declarations for the parts of `jstat` (1.9.x) used in this repo.
 * jstat ships no types. This is the one declaration of the module: extend
 * it here rather than adding a second `declare module "jstat"` elsewhere.
 * Anything not declared fails at compile time, which keeps use of jstat's
 * less accurate helpers deliberate (see distributions.ts).
 */
declare module "jstat" {
  interface ContinuousDistribution {
    pdf(x: number, ...params: number[]): number;
    cdf(x: number, ...params: number[]): number;
    inv(p: number, ...params: number[]): number;
  }

  interface JStatStatic {
    normal: {
      pdf(x: number, mean: number, std: number): number;
      cdf(x: number, mean: number, std: number): number;
      inv(p: number, mean: number, std: number): number;
    };
    chisquare: {
      pdf(x: number, dof: number): number;
      cdf(x: number, dof: number): number;
      inv(p: number, dof: number): number;
    };
    binomial: {
      pdf(k: number, n: number, p: number): number;
      cdf(k: number, n: number, p: number): number;
    };
    poisson: {
      pdf(k: number, lambda: number): number;
      cdf(k: number, lambda: number): number;
    };
    studentt: ContinuousDistribution;
    gammaln(x: number): number;
    combinationln(n: number, k: number): number;
    erf(x: number): number;
    erfc(x: number): number;
    ibeta(x: number, a: number, b: number): number;
  }

  const jStat: JStatStatic;
  export default jStat;
}
