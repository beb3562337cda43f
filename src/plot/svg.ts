/**
 * SVG text primitives shared by the plots: escaping, deterministic number formatting, the document
 * wrapper and the colour palette. Output is plain strings; nothing here touches the DOM or Node.
 * @module
 */

/** Escape text for SVG/XML content and attribute values (`& < > " '`). */
export function escapeXml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/** A coordinate rounded to 2 decimals, without trailing zeros or "-0" (deterministic across platforms). */
export function fmt(value: number): string {
  const r = Math.round(value * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** The ten colours of series and bar groups (Tableau 10), used in order and then repeated. */
export const PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** A complete standalone SVG document of `width` x `height` pixels around `body`. */
export function svgDocument(width: number, height: number, body: string, title?: string): string {
  const titleElement = title ? `<title>${escapeXml(title)}</title>\n` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" ` +
    `viewBox="0 0 ${fmt(width)} ${fmt(height)}" font-family="sans-serif" font-size="12">\n` +
    `${titleElement}<rect class="background" x="0" y="0" width="${fmt(width)}" height="${fmt(height)}" fill="#ffffff"/>\n` +
    `${body}</svg>\n`
  );
}

/** A `<text>` element; `anchor` is text-anchor, `extra` further raw attributes. */
export function text(
  x: number,
  y: number,
  content: string,
  anchor: 'start' | 'middle' | 'end',
  extra = '',
): string {
  return `<text${extra ? ` ${extra}` : ''} x="${fmt(x)}" y="${fmt(y)}" text-anchor="${anchor}">${escapeXml(content)}</text>\n`;
}
