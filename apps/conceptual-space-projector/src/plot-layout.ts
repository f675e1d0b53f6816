/** Small geometry helpers for the SVG plot: scales, label placement, escaping. */

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Approximate text box of `text` at `size` px in a sans-serif font. */
export const textBox = (text: string, x: number, y: number, size: number, anchor: 'start' | 'end'): Box => {
  const w = text.length * size * 0.56;
  return { x: anchor === 'start' ? x : x - w, y: y - size, w, h: size * 1.25 };
};

/**
 * Places labels next to their points, greedily, trying eight positions around each and keeping the
 * first that overlaps no label placed before and stays inside `bounds`; falls back to the first.
 */
export const placeLabels = (
  labels: readonly { text: string; x: number; y: number; size: number }[],
  bounds: Box,
  taken: Box[] = [],
): { x: number; y: number; anchor: 'start' | 'end' }[] => {
  const offsets: [number, number, 'start' | 'end'][] = [
    [9, -7, 'start'],
    [9, 15, 'start'],
    [-9, -7, 'end'],
    [-9, 15, 'end'],
    [9, -22, 'start'],
    [-9, -22, 'end'],
    [9, 30, 'start'],
    [-9, 30, 'end'],
  ];
  return labels.map((l) => {
    const inside = (b: Box) =>
      b.x >= bounds.x &&
      b.y >= bounds.y &&
      b.x + b.w <= bounds.x + bounds.w &&
      b.y + b.h <= bounds.y + bounds.h;
    let choice = offsets[0]!;
    for (const o of offsets) {
      const box = textBox(l.text, l.x + o[0], l.y + o[1], l.size, o[2]);
      if (inside(box) && !taken.some((t) => overlaps(t, box))) {
        choice = o;
        break;
      }
    }
    taken.push(textBox(l.text, l.x + choice[0], l.y + choice[1], l.size, choice[2]));
    return { x: l.x + choice[0], y: l.y + choice[1], anchor: choice[2] };
  });
};

/** A linear map from [lo, hi] onto [from, to], clamping outside values to the ends. */
export const scale = (lo: number, hi: number, from: number, to: number) => {
  const k = hi > lo ? (to - from) / (hi - lo) : 0;
  return (v: number) => from + k * (Math.min(hi, Math.max(lo, v)) - lo);
};

export const escapeXml = (s: string): string =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

/** Rounds a pixel coordinate to one decimal: smaller files, no visible difference. */
export const px = (v: number): string => (Math.round(v * 10) / 10).toString();
