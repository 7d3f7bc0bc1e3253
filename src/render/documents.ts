/**
 * Which documents a tender produces, with their ids, titles and templates. A new document is a new
 * entry here and a new template; writers are untouched.
 */
import type { Delkontrakt, Udbud, Underkriterium } from "../model/types.js";

export interface DocumentPlan {
  id: string;
  template: string;
  title: string;
  label: string;
  subtitle: string[];
  /** Annex designation in the bilagsfortegnelse ("A1"), if the document is an annex. */
  bilag?: string;
  lot?: Delkontrakt;
}

export function lotsInOrder(u: Udbud): Delkontrakt[] {
  return [...u.delkontrakter].sort((a, b) => a.nummer - b.nummer);
}

function hasQuality(list: Underkriterium[]): boolean {
  return list.some((k) => k.type === "kvalitet" || hasQuality(k.underkriterier ?? []));
}

export function planDocuments(u: Udbud): DocumentPlan[] {
  const owner = [u.ordregiver.navn, ...(u.ordregiver.enhed ? [u.ordregiver.enhed] : [])];
  const docs: DocumentPlan[] = [
    { id: "rammeaftale", template: "rammeaftale", title: u.titel, label: "Rammeaftale", subtitle: owner },
  ];
  const lots = lotsInOrder(u);
  for (const lot of lots) {
    docs.push({
      id: `bilag-a${lot.nummer}-${lot.id}`,
      template: "kravspecifikation",
      bilag: `A${lot.nummer}`,
      title: lot.kravspecifikation_titel ?? `Kravspecifikation for ${lot.titel.charAt(0).toLowerCase()}${lot.titel.slice(1)}`,
      label: `Bilag A${lot.nummer}`,
      subtitle: [`Bilag A${lot.nummer}`, `Udbudsområde ${lot.nummer}: ${lot.titel}`, ...owner],
      lot,
    });
  }
  for (const lot of lots.filter((l) => l.målgruppe)) {
    docs.push({
      id: `bilag-b${lot.nummer}-${lot.id}`,
      template: "maalgruppe",
      bilag: `B${lot.nummer}`,
      title: lot.målgruppe!.titel ?? `Målgruppebeskrivelse for ${lot.titel.charAt(0).toLowerCase()}${lot.titel.slice(1)}`,
      label: `Bilag B${lot.nummer}`,
      subtitle: [`Bilag B${lot.nummer}`, `Udbudsområde ${lot.nummer}: ${lot.titel}`, ...owner],
      lot,
    });
  }
  for (const lot of lots) {
    docs.push({
      id: `bilag-c${lot.nummer}-${lot.id}`,
      template: "betaling",
      bilag: `C${lot.nummer}`,
      title: "Betalings- og faktureringsbetingelser",
      label: `Bilag C${lot.nummer}`,
      subtitle: [`Bilag C${lot.nummer}`, `Udbudsområde ${lot.nummer}: ${lot.titel}`, ...owner],
      lot,
    });
  }
  for (const lot of lots) {
    docs.push({
      id: `tilbudsliste-${lot.nummer}-${lot.id}`,
      template: "tilbudsliste",
      bilag: `D${lot.nummer}.1`,
      title: `Tilbudsliste for udbudsområde ${lot.nummer}`,
      label: `Tilbudsliste ${lot.nummer}`,
      subtitle: [`Bilag D${lot.nummer}.1`, `Udbudsområde ${lot.nummer}: ${lot.titel}`, ...owner],
      lot,
    });
  }
  // Evaluation (tildeling): the published evaluation model, and blank evaluation sheets for the
  // lots whose model has quality criteria. Not annexes of the contract: no bilag designation.
  docs.push({
    id: "evalueringsmodel",
    template: "evalueringsmodel",
    title: "Tildelingskriterier og evalueringsmodel",
    label: "Evalueringsmodel",
    subtitle: [u.titel, ...owner],
  });
  for (const lot of lots.filter((l) => hasQuality((l.tildeling ?? u.tildeling).underkriterier))) {
    docs.push({
      id: `evalueringsark-${lot.nummer}-${lot.id}`,
      template: "evalueringsark",
      title: `Evalueringsark for udbudsområde ${lot.nummer}`,
      label: `Evalueringsark ${lot.nummer}`,
      subtitle: [`Udbudsområde ${lot.nummer}: ${lot.titel}`, ...owner],
      lot,
    });
  }
  return docs;
}
