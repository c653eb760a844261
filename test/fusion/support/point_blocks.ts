/** Points filling the box [x0, x1] x [y0, y1] x [0.2, 1.2] on a `step` grid (x, y, z triples). */
export function block(x0: number, x1: number, y0: number, y1: number, step = 0.08): number[] {
  const out: number[] = [];
  for (let x = x0; x <= x1 + 1e-9; x += step)
    for (let y = y0; y <= y1 + 1e-9; y += step) for (let z = 0.2; z <= 1.2; z += step) out.push(x, y, z);
  return out;
}
