//! Space: cells, their coordinates, and neighbourhoods.
//!
//! A model sees space through cell indices (`u32`) and precomputed neighbourhoods,
//! never through coordinates, so the same model code runs on a torus grid (the
//! Epstein models) or a bounded raster clipped to a country (the Mali model).

use serde::{Deserialize, Serialize};

/// A rectangular lattice of `width × height` cells, wrapped (torus) or bounded.
/// Cell `i` sits at `x = i % width`, `y = i / width`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    pub width: u32,
    pub height: u32,
    pub torus: bool,
}

impl Grid {
    pub fn torus(width: u32, height: u32) -> Self {
        assert!(width > 0 && height > 0, "a grid needs at least one cell");
        Grid { width, height, torus: true }
    }

    pub fn bounded(width: u32, height: u32) -> Self {
        assert!(width > 0 && height > 0, "a grid needs at least one cell");
        Grid { width, height, torus: false }
    }

    #[inline(always)]
    pub fn len(&self) -> usize {
        self.width as usize * self.height as usize
    }

    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline(always)]
    pub fn index(&self, x: u32, y: u32) -> u32 {
        y * self.width + x
    }

    #[inline(always)]
    pub fn xy(&self, cell: u32) -> (u32, u32) {
        (cell % self.width, cell / self.width)
    }

    /// The cell at offset `(dx, dy)` from the cell at `(x, y)`, or `None` off a
    /// bounded grid. Division-free when the offset is smaller than the grid.
    #[inline(always)]
    pub fn offset_xy(&self, x: i32, y: i32, dx: i32, dy: i32) -> Option<u32> {
        let (w, h) = (self.width as i32, self.height as i32);
        let (mut nx, mut ny) = (x + dx, y + dy);
        if self.torus {
            if nx < 0 {
                nx += w;
            } else if nx >= w {
                nx -= w;
            }
            if ny < 0 {
                ny += h;
            } else if ny >= h {
                ny -= h;
            }
            if nx < 0 || nx >= w || ny < 0 || ny >= h {
                nx = nx.rem_euclid(w);
                ny = ny.rem_euclid(h);
            }
        } else if nx < 0 || nx >= w || ny < 0 || ny >= h {
            return None;
        }
        Some((ny * w + nx) as u32)
    }

    /// The cell at offset `(dx, dy)` from `cell`, or `None` off a bounded grid.
    #[inline(always)]
    pub fn offset(&self, cell: u32, dx: i32, dy: i32) -> Option<u32> {
        let (x, y) = self.xy(cell);
        let (w, h) = (self.width as i64, self.height as i64);
        let (nx, ny) = (x as i64 + dx as i64, y as i64 + dy as i64);
        if self.torus {
            Some(self.index(nx.rem_euclid(w) as u32, ny.rem_euclid(h) as u32))
        } else if (0..w).contains(&nx) && (0..h).contains(&ny) {
            Some(self.index(nx as u32, ny as u32))
        } else {
            None
        }
    }
}

/// The shape of a neighbourhood of radius `r` (which may be fractional).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Euclidean disc: `dx² + dy² ≤ r²` (NetLogo's `in-radius`).
    Disc,
    /// Diamond: `|dx| + |dy| ≤ r` (Von Neumann of radius r; Mesa's orthogonal grid).
    VonNeumann,
    /// Square: `max(|dx|, |dy|) ≤ r` (Moore).
    Moore,
    /// The four lattice directions only: `dx = 0` or `dy = 0`, within r
    /// (Sugarscape-style vision, "north, south, east and west").
    Cross,
}

impl Shape {
    /// Half-width of the row at vertical offset `dy` (always ≥ 0 for |dy| ≤ ⌊r⌋).
    pub fn half_width(self, radius: f64, dy: i32) -> i32 {
        let r = radius;
        let ady = dy.unsigned_abs() as f64;
        match self {
            Shape::Disc => ((r * r - ady * ady).max(0.0) + 1e-9).sqrt().floor() as i32,
            Shape::VonNeumann => (r - ady + 1e-9).floor() as i32,
            Shape::Moore => (r + 1e-9).floor() as i32,
            Shape::Cross => {
                if dy == 0 {
                    (r + 1e-9).floor() as i32
                } else {
                    0
                }
            }
        }
    }
}

/// A neighbourhood of a given shape and radius on a given grid, as a list of
/// offsets in a fixed order (row by row from `dy = -r`, left to right), deduplicated
/// so that on a small torus no cell is counted twice.
#[derive(Clone, Debug)]
pub struct Neighbourhood {
    pub shape: Shape,
    pub radius: f64,
    pub include_center: bool,
    offsets: Vec<(i32, i32)>,
    /// `(dy, half_width)` for every row the shape spans, centre row included.
    rows: Vec<(i32, i32)>,
    /// Whether every row span fits the grid without wrapping onto itself, so that
    /// counts can be taken from row prefix sums ([`RowPrefix`]).
    spans_fit: bool,
}

impl Neighbourhood {
    pub fn new(grid: &Grid, shape: Shape, radius: f64, include_center: bool) -> Self {
        assert!(radius >= 0.0 && radius.is_finite(), "radius must be finite and >= 0");
        let r = (radius + 1e-9).floor() as i32;
        let mut rows = Vec::new();
        let mut offsets = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let (w, h) = (grid.width as i32, grid.height as i32);
        for dy in -r..=r {
            let hw = shape.half_width(radius, dy);
            rows.push((dy, hw));
            for dx in -hw..=hw {
                if dx == 0 && dy == 0 && !include_center {
                    continue;
                }
                // Canonical representative on a torus, so aliases are dropped.
                let key = if grid.torus { (dx.rem_euclid(w), dy.rem_euclid(h)) } else { (dx, dy) };
                if (dx != 0 || dy != 0) && grid.torus && key == (0, 0) {
                    continue; // wraps onto the centre itself
                }
                if seen.insert(key) {
                    offsets.push((dx, dy));
                }
            }
        }
        let spans_fit = grid.torus && 2 * r < h && rows.iter().all(|&(_, hw)| 2 * hw < w);
        Neighbourhood { shape, radius, include_center, offsets, rows, spans_fit }
    }

    /// Number of cells in the neighbourhood (of an interior cell, on a bounded grid).
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    pub fn offsets(&self) -> &[(i32, i32)] {
        &self.offsets
    }

    /// The `i`-th cell of the neighbourhood of `cell` (`None` off a bounded grid).
    #[inline(always)]
    pub fn nth(&self, grid: &Grid, cell: u32, i: usize) -> Option<u32> {
        let (dx, dy) = self.offsets[i];
        grid.offset(cell, dx, dy)
    }

    /// Visit every cell of the neighbourhood of `cell`, in a fixed order (row by
    /// row; on a torus whose rows the shape fits, left to right in memory order).
    #[inline]
    pub fn for_each(&self, grid: &Grid, cell: u32, mut f: impl FnMut(u32)) {
        if self.spans_fit {
            self.for_each_span(grid, cell, |start, len| {
                for c in start..start + len {
                    f(c)
                }
            });
            return;
        }
        let (x, y) = grid.xy(cell);
        let (w, h) = (grid.width as i32, grid.height as i32);
        if grid.torus {
            for &(dx, dy) in &self.offsets {
                let nx = (x as i32 + dx).rem_euclid(w);
                let ny = (y as i32 + dy).rem_euclid(h);
                f((ny * w + nx) as u32);
            }
        } else {
            for &(dx, dy) in &self.offsets {
                let (nx, ny) = (x as i32 + dx, y as i32 + dy);
                if nx >= 0 && nx < w && ny >= 0 && ny < h {
                    f((ny * w + nx) as u32);
                }
            }
        }
    }

    /// Visit the neighbourhood of `cell` as runs of consecutive cell indices
    /// `(start, len)`: at most three per row, no division in the loop. Only for
    /// neighbourhoods whose rows fit the torus ([`Self::spans_fit`]).
    #[inline]
    pub fn for_each_span(&self, grid: &Grid, cell: u32, mut f: impl FnMut(u32, u32)) {
        debug_assert!(self.spans_fit);
        let (x, y) = grid.xy(cell);
        let (w, h) = (grid.width as i32, grid.height as i32);
        let (x, y) = (x as i32, y as i32);
        let mut row_span = |ny: i32, x0: i32, x1: i32| {
            // inclusive [x0, x1] with x1 - x0 < w, possibly wrapping
            let base = (ny * w) as u32;
            if x0 < 0 {
                f(base + (x0 + w) as u32, (-x0) as u32);
                f(base, (x1 + 1) as u32);
            } else if x1 >= w {
                f(base + x0 as u32, (w - x0) as u32);
                f(base, (x1 - w + 1) as u32);
            } else {
                f(base + x0 as u32, (x1 - x0 + 1) as u32);
            }
        };
        for &(dy, hw) in &self.rows {
            let mut ny = y + dy;
            if ny < 0 {
                ny += h;
            } else if ny >= h {
                ny -= h;
            }
            if dy == 0 && !self.include_center {
                if hw > 0 {
                    row_span(ny, x - hw, x - 1);
                    row_span(ny, x + 1, x + hw);
                }
            } else {
                row_span(ny, x - hw, x + hw);
            }
        }
    }

    /// Whether [`RowPrefix::count`] may be used with this neighbourhood.
    pub fn spans_fit(&self) -> bool {
        self.spans_fit
    }

    pub fn rows(&self) -> &[(i32, i32)] {
        &self.rows
    }
}

/// Row-wise prefix sums of a per-cell quantity (u64, so several small counts
/// can be packed into one value and summed together) on a torus grid: the sum of any
/// row-convex neighbourhood in `2r + 1` look-ups pairs instead of `O(r²)` reads.
/// This is the spatial index that makes neighbourhood counts cheap at scale.
#[derive(Clone, Debug, Default)]
pub struct RowPrefix {
    width: usize,
    /// `(width + 1)` entries per row; entry `x` is the sum of cells `0..x`.
    sums: Vec<u64>,
}

impl RowPrefix {
    pub fn new(grid: &Grid) -> Self {
        RowPrefix { width: grid.width as usize, sums: vec![0; (grid.width as usize + 1) * grid.height as usize] }
    }

    /// Rebuild from per-cell values, rows in parallel (each row is independent, so
    /// the result does not depend on the thread count).
    pub fn rebuild<F>(&mut self, value: F)
    where
        F: Fn(usize) -> u64 + Sync,
    {
        use rayon::prelude::*;
        let w = self.width;
        self.sums.par_chunks_mut(w + 1).enumerate().for_each(|(y, row)| {
            let mut acc = 0u64;
            row[0] = 0;
            for x in 0..w {
                acc += value(y * w + x);
                row[x + 1] = acc;
            }
        });
    }

    #[inline(always)]
    fn span(&self, y: usize, x0: i64, x1: i64) -> u64 {
        // inclusive span [x0, x1], possibly wrapping, with x1 - x0 < width
        let w = self.width as i64;
        let row = &self.sums[y * (self.width + 1)..(y + 1) * (self.width + 1)];
        if x0 < 0 {
            row[(x1 + 1) as usize] + (row[w as usize] - row[(x0 + w) as usize])
        } else if x1 >= w {
            (row[w as usize] - row[x0 as usize]) + row[(x1 - w + 1) as usize]
        } else {
            row[(x1 + 1) as usize] - row[x0 as usize]
        }
    }

    /// Sum over the neighbourhood `nb` of `cell` (centre included or not as `nb`
    /// says; `own` is the centre cell's value, subtracted when it is excluded).
    #[inline]
    pub fn count(&self, grid: &Grid, nb: &Neighbourhood, cell: u32, own: u64) -> u64 {
        debug_assert!(nb.spans_fit);
        let (x, y) = grid.xy(cell);
        let h = grid.height as i64;
        let mut total = 0u64;
        for &(dy, hw) in &nb.rows {
            let ny = (y as i64 + dy as i64).rem_euclid(h) as usize;
            total += self.span(ny, x as i64 - hw as i64, x as i64 + hw as i64);
        }
        if nb.include_center {
            total
        } else {
            total - own
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_have_the_textbook_sizes() {
        let g = Grid::torus(40, 40);
        // Von Neumann radius r (no centre): 2r(r+1)
        assert_eq!(Neighbourhood::new(&g, Shape::VonNeumann, 7.0, false).len(), 2 * 7 * 8);
        // Moore radius r (no centre): (2r+1)² - 1
        assert_eq!(Neighbourhood::new(&g, Shape::Moore, 1.0, false).len(), 8);
        // Disc radius 1.7 is the 3×3 square (√2 ≤ 1.7)
        assert_eq!(Neighbourhood::new(&g, Shape::Disc, 1.7, true).len(), 9);
        // Disc radius 7 with centre: the Gauss circle count N(7) = 149
        assert_eq!(Neighbourhood::new(&g, Shape::Disc, 7.0, true).len(), 149);
        // Cross radius 2 with centre: 9
        assert_eq!(Neighbourhood::new(&g, Shape::Cross, 2.0, true).len(), 9);
    }

    #[test]
    fn small_torus_never_counts_a_cell_twice() {
        let g = Grid::torus(5, 5);
        let nb = Neighbourhood::new(&g, Shape::Moore, 3.0, true);
        assert_eq!(nb.len(), 25);
        let mut cells = Vec::new();
        nb.for_each(&g, 12, |c| cells.push(c));
        cells.sort();
        cells.dedup();
        assert_eq!(cells.len(), 25);
        let nb = Neighbourhood::new(&g, Shape::Moore, 3.0, false);
        assert_eq!(nb.len(), 24);
    }

    #[test]
    fn spans_visit_the_same_cells_as_offsets() {
        let g = Grid::torus(17, 13);
        for shape in [Shape::Disc, Shape::VonNeumann, Shape::Moore, Shape::Cross] {
            for &(r, centre) in &[(1.0, false), (1.7, true), (5.0, false), (6.0, true)] {
                let nb = Neighbourhood::new(&g, shape, r, centre);
                for cell in [0u32, 5, 16, 17, 100, 220] {
                    let mut a = Vec::new();
                    nb.for_each(&g, cell, |c| a.push(c));
                    let mut b: Vec<u32> = (0..nb.len()).filter_map(|i| nb.nth(&g, cell, i)).collect();
                    assert_eq!(a.len(), nb.len());
                    a.sort();
                    b.sort();
                    assert_eq!(a, b, "{shape:?} r={r} centre={centre} cell={cell}");
                }
            }
        }
    }

    #[test]
    fn bounded_grid_clips() {
        let g = Grid::bounded(10, 10);
        let nb = Neighbourhood::new(&g, Shape::Moore, 1.0, false);
        let mut n = 0;
        nb.for_each(&g, 0, |_| n += 1);
        assert_eq!(n, 3);
    }

    #[test]
    fn prefix_counts_match_direct_counts() {
        let g = Grid::torus(23, 17);
        let values: Vec<u64> = (0..g.len() as u32).map(|i| (i.wrapping_mul(2654435761u32) >> 29) as u64).collect();
        let mut p = RowPrefix::new(&g);
        p.rebuild(|i| values[i]);
        for shape in [Shape::Disc, Shape::VonNeumann, Shape::Moore, Shape::Cross] {
            for &(r, centre) in &[(1.0, false), (1.7, true), (5.0, false), (7.0, true)] {
                let nb = Neighbourhood::new(&g, shape, r, centre);
                assert!(nb.spans_fit());
                for cell in 0..g.len() as u32 {
                    let mut direct = 0;
                    nb.for_each(&g, cell, |c| direct += values[c as usize]);
                    assert_eq!(p.count(&g, &nb, cell, values[cell as usize]), direct, "{shape:?} r={r} cell={cell}");
                }
            }
        }
    }
}
