/** Danish number, money, date and percentage formatting. */
const MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];

/** 1234567.5 → "1.234.567,5" */
export function formatNumber(n: number, decimals?: number): string {
  const fixed = decimals === undefined ? String(Math.round(n * 100) / 100) : n.toFixed(decimals);
  const [int, frac] = fixed.replace("-", "").split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${n < 0 ? "-" : ""}${grouped}${frac ? `,${frac}` : ""}`;
}

/** 1234567 → "1.234.567 kr." */
export function formatKr(n: number): string {
  return `${formatNumber(n)} kr.`;
}

/** 10000000 → "DKK 10 mio.", 500000 → "DKK 500.000" */
export function formatDkk(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `DKK ${formatNumber(n / 1_000_000)} mio.`;
  return `DKK ${formatNumber(n)}`;
}

/** "2024-07-01" → "1. juli 2024" */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d}. ${MONTHS[m - 1]} ${y}`;
}

/** 10 → "10 %" */
export function formatPercent(n: number): string {
  return `${formatNumber(n)} %`;
}
