/**
 * EU thresholds in DKK excl. moms, by the period in which the tender notice is published.
 * Source: Konkurrence- og Forbrugerstyrelsen (kfst.dk), "Tærskelværdier". Only figures that were
 * checked against KFST's published tables are listed; add a row when a new period is published.
 */
export interface ThresholdPeriod {
  from: string; // first publication date the figures apply to
  to: string; // last publication date
  /** Light regime: sociale og andre specifikke tjenesteydelser (udbudslovens afsnit III). */
  afsnitIII?: number;
  /** Tjenesteydelser, regionale/kommunale myndigheder (afsnit II). */
  tjenesteydelserKommunal: number;
  /** Tjenesteydelser, statslige myndigheder (afsnit II). */
  tjenesteydelserStatslig: number;
}

export const THRESHOLDS: readonly ThresholdPeriod[] = [
  { from: "2016-01-01", to: "2017-12-31", afsnitIII: 5_592_375, tjenesteydelserKommunal: 1_558_409, tjenesteydelserStatslig: 1_006_628 },
  { from: "2020-01-01", to: "2021-12-31", tjenesteydelserKommunal: 1_595_391, tjenesteydelserStatslig: 1_036_259 },
  { from: "2022-01-01", to: "2023-12-31", tjenesteydelserKommunal: 1_601_944, tjenesteydelserStatslig: 1_043_126 },
  { from: "2024-01-01", to: "2025-12-31", afsnitIII: 5_581_350, tjenesteydelserKommunal: 1_644_638, tjenesteydelserStatslig: 1_064_177 },
];

/** The light-regime threshold for a publication date: exact when the period is known, else the nearest known. */
export function lightRegimeThreshold(published: string): { amount: number; exact: boolean; period: string } {
  const withLight = THRESHOLDS.filter((t) => t.afsnitIII !== undefined);
  const exact = withLight.find((t) => t.from <= published && published <= t.to);
  if (exact) return { amount: exact.afsnitIII!, exact: true, period: `${exact.from.slice(0, 4)}-${exact.to.slice(0, 4)}` };
  const time = Date.parse(published);
  const nearest = [...withLight].sort(
    (a, b) => Math.abs(Date.parse(a.from) - time) - Math.abs(Date.parse(b.from) - time),
  )[0];
  return { amount: nearest.afsnitIII!, exact: false, period: `${nearest.from.slice(0, 4)}-${nearest.to.slice(0, 4)}` };
}
