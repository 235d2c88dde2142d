/** The few jStat functions ichiren uses (the package ships no types). */
declare module 'jstat' {
  const jStat: {
    normal: {
      inv(p: number, mean: number, sd: number): number;
      cdf(x: number, mean: number, sd: number): number;
    };
    beta: { inv(p: number, a: number, b: number): number };
    binomial: { pdf(k: number, n: number, p: number): number };
    combinationln(n: number, k: number): number;
  };
  export default jStat;
}
