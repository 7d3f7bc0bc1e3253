/**
 * A small seeded pseudo-random number generator for the price simulation (`udbud simulate`).
 *
 * The core is xoshiro128** (Blackman & Vigna, 2018): 128 bits of state, period 2^128 − 1, good
 * statistical quality and only 32-bit integer operations, so it is fast in JavaScript. The state is
 * filled from the seed with splitmix32, so every seed (also 0) gives a valid, well-mixed state.
 * The same seed always gives the same sequence on every platform. No method allocates.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** A spare standard normal from Box–Muller (NaN when none is cached). */
  private spare = NaN;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      // splitmix32
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next(); this.b = next(); this.c = next(); this.d = next();
  }

  /** The next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform on [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform on (0, 1] (never 0; safe for logarithms and "at least one started unit"). */
  uniformOpen0(): number {
    return (this.nextUint32() + 1) / 4294967296;
  }

  /** Uniform on [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.uniform();
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Standard normal by Box–Muller; the second value of each pair is cached for the next call. */
  standardNormal(): number {
    if (this.spare === this.spare) { // not NaN
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniformOpen0()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Normal with the given mean and standard deviation. */
  normal(mean: number, sd: number): number {
    return mean + sd * this.standardNormal();
  }

  /**
   * Normal truncated to [min, max] by rejection; after 64 rejections (an interval far out in the
   * tail) the last draw is clamped, so the call always ends.
   */
  truncatedNormal(mean: number, sd: number, min: number, max: number): number {
    let x = mean;
    for (let i = 0; i < 64; i++) {
      x = mean + sd * this.standardNormal();
      if (x >= min && x <= max) return x;
    }
    return x < min ? min : x > max ? max : x;
  }

  /** A draw from a quantile table (see `truncatedNormalTable`): one uniform, linear interpolation. */
  fromTable(table: Float64Array): number {
    const x = this.uniform() * (table.length - 1);
    const i = x | 0;
    return table[i]! + (table[i + 1]! - table[i]!) * (x - i);
  }

  /**
   * Index drawn from a cumulative distribution (`cumulative[i]` = P(index ≤ i), non-decreasing).
   * When the last entry is below 1, the remaining mass gives `cumulative.length` ("none").
   */
  categorical(cumulative: Float64Array): number {
    const u = this.uniform();
    const n = cumulative.length;
    for (let i = 0; i < n; i++) if (u < cumulative[i]!) return i;
    return n;
  }

  /**
   * Poisson with mean `lambda`: Knuth's multiplication method below 30, otherwise Hörmann's
   * transformed rejection with squeeze (PTRS, 1993), which is exact and O(1).
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const l = Math.exp(-lambda);
      let k = 0;
      let p = this.uniformOpen0();
      while (p > l) { k++; p *= this.uniformOpen0(); }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniformOpen0();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor((2 * a / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** ln(k!) exactly by summation for small k, Stirling's series otherwise. */
function logFactorial(k: number): number {
  if (k < 10) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/** Builds the cumulative array for `Rng.categorical` from probabilities (summing to at most 1). */
export function cumulative(probabilities: readonly number[]): Float64Array {
  const c = new Float64Array(probabilities.length);
  let s = 0;
  for (let i = 0; i < probabilities.length; i++) { s += probabilities[i]!; c[i] = s; }
  return c;
}

/** Standard normal CDF via erfc (W. J. Cody's rational approximation is overkill here; this is accurate to ~1e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  // Numerical Recipes erfc (fractional error < 1.2e-7).
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r / 2 : r / 2;
}

/** Inverse standard normal CDF (Acklam's algorithm, relative error < 1.2e-9 after one Halley step). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5, r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  return x;
}

/** Upper tail Q(z) = P(Z > z), accurate far into the tail. */
function upperTail(z: number): number {
  return normalCdf(-z);
}

/** P(a ≤ Z ≤ b) for a standard normal, without cancellation in either tail. */
function standardMass(a: number, b: number): number {
  if (a >= 0) return upperTail(a) - upperTail(b);
  if (b <= 0) return upperTail(-b) - upperTail(-a);
  return 1 - upperTail(b) - upperTail(-a);
}

/** Mean of N(mu, sd²) truncated to [min, max]. */
export function truncatedMean(mu: number, sd: number, min: number, max: number): number {
  const a = (min - mu) / sd, b = (max - mu) / sd;
  const z = standardMass(a, b);
  const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  if (!(z > 0)) return mu < min ? min : max;
  const m = mu + (sd * (phi(a) - phi(b))) / z;
  return m < min ? min : m > max ? max : m;
}

/**
 * The location μ of a normal distribution that, truncated to [min, max], has the mean `middel`.
 * The scenario's `middel` is the mean planners mean (the average hours or weeks), so the
 * untruncated distribution is shifted until the truncated one has that mean. Bisection; the
 * truncated mean increases with μ. Values of `middel` at (or beyond) a bound give that bound.
 */
export function normalLocation(middel: number, sd: number, min: number, max: number): number {
  if (!(sd > 0) || min >= max) return middel;
  let lo = min - 30 * sd, hi = max + 30 * sd;
  if (middel <= truncatedMean(lo, sd, min, max)) return lo;
  if (middel >= truncatedMean(hi, sd, min, max)) return hi;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * (1 + Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    if (truncatedMean(mid, sd, min, max) < middel) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * A quantile table for a normal distribution truncated to [min, max] whose mean (after
 * truncation) is `middel`: `TABEL_PUNKTER + 1` values of the inverse CDF at u = i / TABEL_PUNKTER.
 * Sampling interpolates linearly between them (`Rng.fromTable`), one uniform per draw and no
 * rejection, which is several times faster than rejection sampling; the interpolation error is
 * far below the Monte Carlo error. Tails are handled on the side where they are accurate.
 */
export const TABEL_PUNKTER = 4096;
export function truncatedNormalTable(middel: number, sd: number, min: number, max: number): Float64Array {
  const t = new Float64Array(TABEL_PUNKTER + 1);
  if (!(sd > 0) || min >= max) { t.fill(Math.min(max, Math.max(min, middel))); return t; }
  const mu = normalLocation(middel, sd, min, max);
  const a = (min - mu) / sd, b = (max - mu) / sd;
  for (let i = 0; i <= TABEL_PUNKTER; i++) {
    const f = i / TABEL_PUNKTER;
    let z: number;
    if (a >= 0) { const qa = upperTail(a), qb = upperTail(b); z = -normalQuantile(qa - (qa - qb) * f); }
    else if (b <= 0) { const pa = upperTail(-a), pb = upperTail(-b); z = normalQuantile(pa + (pb - pa) * f); }
    else { const pa = upperTail(-a), pb = 1 - upperTail(b); z = normalQuantile(pa + (pb - pa) * f); }
    const x = mu + sd * z;
    t[i] = x < min || Number.isNaN(x) ? min : x > max ? max : x;
  }
  t[0] = min; t[TABEL_PUNKTER] = max;
  // Keep the table monotone (rounding in the far tail).
  for (let i = 1; i <= TABEL_PUNKTER; i++) if (t[i]! < t[i - 1]!) t[i] = t[i - 1]!;
  return t;
}

/** The mean of the distribution a quantile table samples (trapezoidal over the table). */
export function tableMean(t: Float64Array): number {
  let s = 0;
  for (let i = 0; i < t.length - 1; i++) s += (t[i]! + t[i + 1]!) / 2;
  return s / (t.length - 1);
}
