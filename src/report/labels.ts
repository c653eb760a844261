// Label placement for the report's SVG panels: each label moves down (then up) in steps until it
// overlaps no label placed before it, so crowded scenes stay readable.

export interface PlacedLabel {
  x: number;
  y: number;
  text: string;
}

/** Approximate box of a label of `size` px text at (x, y) (baseline-left). */
const extent = (l: PlacedLabel, size: number) => ({ x1: l.x, x2: l.x + 0.6 * size * l.text.length, y1: l.y - size, y2: l.y + 2 });

/** Places `labels` in order, shifting each clear of those already placed. */
export function placeLabels(labels: readonly PlacedLabel[], size: number): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  const clashes = (l: PlacedLabel) =>
    placed.some((p) => {
      const a = extent(l, size),
        b = extent(p, size);
      return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    });
  for (const l of labels) {
    let best = l;
    for (let k = 1; k <= 12 && clashes(best); k++) {
      const step = Math.ceil(k / 2) * (size + 2) * (k % 2 === 1 ? 1 : -1);
      best = { ...l, y: l.y + step };
    }
    placed.push(best);
  }
  return placed;
}
