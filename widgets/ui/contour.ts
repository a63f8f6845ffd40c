// Marching squares for one level of a scalar field sampled on an n×n grid (row-major, row 0 at the bottom).
// Returns open line segments, not closed polygons: d3-contour closes every region along the grid's border, which
// draws a false "boundary" along the edge of a plot wherever the field is above the level there.
// Coordinates are in grid units: (col, row) of the samples, so a caller maps x = x0 + (col + ½)·cell for cell-centre
// samples. Cells with a non-finite corner are skipped. Saddles are split by the mean of the four corners.

/** Segments as a flat list x1, y1, x2, y2, … in grid units. */
export function contourSegments(values: ArrayLike<number>, n: number, level: number): number[] {
  const out: number[] = [];
  // where the edge from value a (at 0) to value b (at 1) crosses the level
  const cross = (a: number, b: number) => (level - a) / (b - a);
  for (let r = 0; r + 1 < n; r++) {
    for (let c = 0; c + 1 < n; c++) {
      const a = values[r * n + c], b = values[r * n + c + 1];
      const d = values[(r + 1) * n + c], e = values[(r + 1) * n + c + 1];
      if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(d) && Number.isFinite(e))) continue;
      // corners: a bottom-left, b bottom-right, e top-right, d top-left
      const ua = a > level, ub = b > level, ue = e > level, ud = d > level;
      const code = (ua ? 1 : 0) | (ub ? 2 : 0) | (ue ? 4 : 0) | (ud ? 8 : 0);
      if (code === 0 || code === 15) continue;
      const bottom = ua !== ub ? [c + cross(a, b), r] : null;
      const right = ub !== ue ? [c + 1, r + cross(b, e)] : null;
      const top = ud !== ue ? [c + cross(d, e), r + 1] : null;
      const left = ua !== ud ? [c, r + cross(a, d)] : null;
      const seg = (p: number[], q: number[]) => out.push(p[0], p[1], q[0], q[1]);
      if (code === 5 || code === 10) {
        // saddle: cut off the two corners whose side differs from the cell's centre
        const centreUp = (a + b + d + e) / 4 > level;
        if (ua !== centreUp) seg(left!, bottom!);
        if (ub !== centreUp) seg(bottom!, right!);
        if (ue !== centreUp) seg(right!, top!);
        if (ud !== centreUp) seg(top!, left!);
        continue;
      }
      const ends = [bottom, right, top, left].filter((p): p is number[] => p !== null);
      seg(ends[0], ends[1]);
    }
  }
  return out;
}
