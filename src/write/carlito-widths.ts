/**
 * Advance widths of Carlito (Calibri's metrics), regular and bold, in thousandths of an em for
 * U+0020–U+017E (0: no glyph). For sizing DOCX table columns as Word and LibreOffice will set them.
 * Generated from Carlito-Regular.ttf / Carlito-Bold.ttf (fonts-crosextra-carlito) with fontkit.
 */
const FIRST = 0x20;
const REGULAR = "6a92b5due3jviy658f8fdudu6y8i70aqe3e3e3e3e3e3e3e3e3e37g7gdududucvoug3f4eth3dkcrhjhb708vegbonrhyieedipf3crdjhufroqefdjd08jaq8jdudu83dbelbreldu8hd3el6d6ncn6dm7elenelel9pav9belckjvc1claz8qcs8qdu0000000000000000000000000000000000000000000000000000000000000000000092due3due3duduaxn6b6e8du00e3ay9fdu9c9a84faga708j6ubqe8hoinircvg3g3g3g3g3g3l7etdkdkdkdk70707070hdhyieieieieieduighuhuhuhudjedendbdbdbdbdbdblhbrdudududu6d6d6d6delelenenenenenduepelelelelclelclg3dbg3dbg3dbetbretbretbretbrh3fshdfcdkdudkdudkdudkdudkduhjd3hjd3hjd3hjd3hbeli8et706d706d706d706d706dfvd18v6negcncnbo6dbo6dbr7cf6aeby6whyelhyelhyelg3hgelieenieenieeno3nmf39pf39pf39pcravcravcravcravdj9bdj9mdj9ihuelhuelhuelhuelhuelhueloqjvdjcldjd0azd0azd0az";
const BOLD = "6a92c6due3k9jl6h8o8odudu768i7fbye3e3e3e3e3e3e3e3e3e37o7odududucvoyguflephidkcrhphj7f97f7broaibisesj2fnd5dri5gfp6fbegda91by91dudu8cdqexbmexdz8sd6ex6u73dc6umlexeyexex9vb39nexd5kpcrd6b19kd79kdu0000000000000000000000000000000000000000000000000000000000000000000092due3due3dudubjn6bkezdu00e3au9idu9e9c8dfngm7g8f70c3eziaj7jicvguguguguguguljepdkdkdkdk7f7f7f7fhribisisisisisduixi5i5i5i5egesffdqdqdqdqdqdqljbmdzdzdzdz6u6u6u6uexexeyeyeyeyeyduf4exexexexd6exd6gudqgudqgudqepbmepbmepbmepbmhiglhrftdkdzdkdzdkdzdkdzdkdzhpd6hpd6hpd6hpd6hjexiaf77f6u7f6u7f6u7f6u7f6ugmdx9773f7dcdcbr6ubr6uby8ifmbqc17cibexibexibexhahtexiseyiseyiseyoanffn9vfn9vfn9vd5b3d5b3d5b3d5b3dr9ndra3dr9ui5exi5exi5exi5exi5exi5exp6kpegd6egdab1dab1dab1";

/** Width of a character (not found: about an average letter), in thousandths of an em. */
function charWidth(table: string, cp: number): number {
  const i = cp - FIRST;
  const w = i >= 0 && 2 * i < table.length ? parseInt(table.slice(2 * i, 2 * i + 2), 36) : 0;
  return w || 550;
}

/** Width of `text` in Carlito (Calibri's metrics) at `size` points, in points. */
export function carlitoWidth(text: string, size: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let w = 0;
  for (const ch of text) w += charWidth(table, ch.codePointAt(0)!);
  return (w * size) / 1000;
}
