//! Neighbouring areas derived from boundary GeoJSON (domain.md §10, `data/geo/`).
//!
//! Two areas are neighbours when their boundaries touch: a vertex of one lies within a
//! tolerance of a vertex of the other (default 0.0005°, about 50 m at the equator; a shared
//! vertex, the usual case for boundaries cut from one topology, is distance 0). Vertices are
//! put in a grid with cells one tolerance wide, so each vertex is compared only with the
//! vertices of the 3 × 3 cells around it: linear in the number of vertices, not quadratic.
//!
//! Limitation: a vertex lying on the middle of the other area's long straight edge, far
//! from that edge's ends, is not seen. Boundaries from one source (as ours) share vertices
//! along common borders, so this does not arise there.
//!
//! Features are `Polygon`, `MultiPolygon` or a `GeometryCollection` of those; a feature with
//! a null geometry is an area without neighbours. Several features with the same code are
//! one area. The area code is read from `properties[code_property]` (a string, or a number
//! written as is); the Kemendagri code is in `kode` in Kopra's files.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The default tolerance in degrees (≈ 50 m).
pub const DEFAULT_TOLERANCE_DEGREES: f64 = 0.0005;

/// The smallest tolerance used, so the grid's cells never shrink to nothing.
const MIN_TOLERANCE_DEGREES: f64 = 1e-7;

/// Why a GeoJSON text could not be read. The code is stable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeoError {
    #[error("geo_json: {0}")]
    Json(String),
    #[error("geo_not_feature_collection")]
    NotFeatureCollection,
    #[error("geo_missing_code: feature {feature}")]
    MissingCode { feature: usize },
    #[error("geo_geometry: feature {feature}")]
    Geometry { feature: usize },
    #[error("geo_unsupported_geometry: feature {feature} is a {kind}")]
    UnsupportedGeometry { feature: usize, kind: String },
}

impl GeoError {
    pub fn code(&self) -> &'static str {
        match self {
            GeoError::Json(_) => "geo_json",
            GeoError::NotFeatureCollection => "geo_not_feature_collection",
            GeoError::MissingCode { .. } => "geo_missing_code",
            GeoError::Geometry { .. } => "geo_geometry",
            GeoError::UnsupportedGeometry { .. } => "geo_unsupported_geometry",
        }
    }
}

/// Which areas border which. Every area read is a key (an island has an empty list);
/// lists are sorted. In JSON it is that map: `{"32.75.07": ["32.75.05", "32.75.11"], …}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "BTreeMap<String, Vec<String>>", into = "BTreeMap<String, Vec<String>>")]
pub struct Neighbours {
    by_area: BTreeMap<String, Vec<String>>,
}

impl Neighbours {
    /// Neighbours from known pairs (each pair counts both ways; a pair of one area with
    /// itself is ignored).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Neighbours {
        let mut sets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in pairs {
            if a == b {
                continue;
            }
            sets.entry(a.to_string()).or_default().insert(b.to_string());
            sets.entry(b.to_string()).or_default().insert(a.to_string());
        }
        Neighbours {
            by_area: sets.into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect(),
        }
    }

    /// True when `a` and `b` are different areas that touch.
    pub fn are_neighbours(&self, a: &str, b: &str) -> bool {
        self.of(a).binary_search_by(|x| x.as_str().cmp(b)).is_ok()
    }

    /// The neighbours of `a`, sorted; empty for an unknown area.
    pub fn of(&self, a: &str) -> &[String] {
        self.by_area.get(a).map_or(&[], Vec::as_slice)
    }

    /// Every area read, sorted.
    pub fn areas(&self) -> impl Iterator<Item = &str> {
        self.by_area.keys().map(String::as_str)
    }

    /// Each neighbouring pair once, `(a, b)` with `a < b`.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_area
            .iter()
            .flat_map(|(a, bs)| bs.iter().filter(move |b| a < *b).map(move |b| (a.as_str(), b.as_str())))
    }
}

impl From<BTreeMap<String, Vec<String>>> for Neighbours {
    /// Lists are sorted and deduplicated, so lookups stay correct for any input.
    fn from(mut by_area: BTreeMap<String, Vec<String>>) -> Self {
        for v in by_area.values_mut() {
            v.sort();
            v.dedup();
        }
        Neighbours { by_area }
    }
}

impl From<Neighbours> for BTreeMap<String, Vec<String>> {
    fn from(value: Neighbours) -> Self {
        value.by_area
    }
}

/// Neighbours of the areas in a GeoJSON FeatureCollection, codes read from
/// `properties[code_property]`, with the default tolerance.
pub fn neighbours_from_geojson(geojson: &str, code_property: &str) -> Result<Neighbours, GeoError> {
    neighbours_from_geojson_with(geojson, code_property, DEFAULT_TOLERANCE_DEGREES)
}

/// As [`neighbours_from_geojson`], with the tolerance in degrees.
pub fn neighbours_from_geojson_with(
    geojson: &str,
    code_property: &str,
    tolerance_degrees: f64,
) -> Result<Neighbours, GeoError> {
    let doc: Value = serde_json::from_str(geojson).map_err(|e| GeoError::Json(e.to_string()))?;
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(GeoError::NotFeatureCollection);
    }
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or(GeoError::NotFeatureCollection)?;

    let mut codes: Vec<String> = Vec::new();
    let mut index_of: HashMap<String, u32> = HashMap::new();
    // (area, x, y) for every vertex.
    let mut vertices: Vec<(u32, f64, f64)> = Vec::new();
    for (i, feature) in features.iter().enumerate() {
        let code = match feature.get("properties").and_then(|p| p.get(code_property)) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(GeoError::MissingCode { feature: i }),
        };
        let area = *index_of.entry(code.clone()).or_insert_with(|| {
            codes.push(code);
            (codes.len() - 1) as u32
        });
        match feature.get("geometry") {
            None | Some(Value::Null) => {}
            Some(g) => collect_geometry(g, i, area, &mut vertices)?,
        }
    }

    let tol = if tolerance_degrees.is_finite() {
        tolerance_degrees.max(MIN_TOLERANCE_DEGREES)
    } else {
        DEFAULT_TOLERANCE_DEGREES
    };
    let cell = |v: f64| (v / tol).floor() as i64;
    let mut grid: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for (n, &(_, x, y)) in vertices.iter().enumerate() {
        grid.entry((cell(x), cell(y))).or_default().push(n as u32);
    }
    let tol2 = tol * tol;
    let mut pairs: BTreeSet<(u32, u32)> = BTreeSet::new();
    for (&(cx, cy), here) in &grid {
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(there) = grid.get(&(cx + dx, cy + dy)) else {
                    continue;
                };
                for &p in here {
                    let (a, ax, ay) = vertices[p as usize];
                    for &q in there {
                        let (b, bx, by) = vertices[q as usize];
                        if a < b && !pairs.contains(&(a, b)) {
                            let (ex, ey) = (ax - bx, ay - by);
                            if ex * ex + ey * ey <= tol2 {
                                pairs.insert((a, b));
                            }
                        }
                    }
                }
            }
        }
    }

    let mut by_area: BTreeMap<String, Vec<String>> = codes.iter().map(|c| (c.clone(), Vec::new())).collect();
    for (a, b) in pairs {
        let (a, b) = (&codes[a as usize], &codes[b as usize]);
        if let Some(v) = by_area.get_mut(a) {
            v.push(b.clone());
        }
        if let Some(v) = by_area.get_mut(b) {
            v.push(a.clone());
        }
    }
    for v in by_area.values_mut() {
        v.sort();
        v.dedup();
    }
    Ok(Neighbours { by_area })
}

fn collect_geometry(g: &Value, feature: usize, area: u32, out: &mut Vec<(u32, f64, f64)>) -> Result<(), GeoError> {
    let kind = g.get("type").and_then(Value::as_str).unwrap_or("");
    let bad = || GeoError::Geometry { feature };
    match kind {
        "Polygon" => {
            let rings = g.get("coordinates").and_then(Value::as_array).ok_or_else(bad)?;
            collect_rings(rings, feature, area, out)
        }
        "MultiPolygon" => {
            let polygons = g.get("coordinates").and_then(Value::as_array).ok_or_else(bad)?;
            for polygon in polygons {
                collect_rings(polygon.as_array().ok_or_else(bad)?, feature, area, out)?;
            }
            Ok(())
        }
        "GeometryCollection" => {
            let parts = g.get("geometries").and_then(Value::as_array).ok_or_else(bad)?;
            for part in parts {
                collect_geometry(part, feature, area, out)?;
            }
            Ok(())
        }
        "" => Err(bad()),
        other => Err(GeoError::UnsupportedGeometry {
            feature,
            kind: other.to_string(),
        }),
    }
}

fn collect_rings(rings: &[Value], feature: usize, area: u32, out: &mut Vec<(u32, f64, f64)>) -> Result<(), GeoError> {
    let bad = || GeoError::Geometry { feature };
    for ring in rings {
        for position in ring.as_array().ok_or_else(bad)? {
            let p = position.as_array().ok_or_else(bad)?;
            let (Some(x), Some(y)) = (p.first().and_then(Value::as_f64), p.get(1).and_then(Value::as_f64)) else {
                return Err(bad());
            };
            out.push((area, x, y));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEKASI: &str = include_str!("../../../data/geo/kota_bekasi_kecamatan.geojson");

    const BEKASI_TIMUR: &str = "32.75.01";
    const BEKASI_BARAT: &str = "32.75.02";
    const BEKASI_UTARA: &str = "32.75.03";
    const BEKASI_SELATAN: &str = "32.75.04";
    const RAWALUMBU: &str = "32.75.05";
    const MEDAN_SATRIA: &str = "32.75.06";
    const BANTARGEBANG: &str = "32.75.07";
    const PONDOK_GEDE: &str = "32.75.08";
    const JATIASIH: &str = "32.75.09";
    const JATISAMPURNA: &str = "32.75.10";
    const MUSTIKA_JAYA: &str = "32.75.11";
    const PONDOK_MELATI: &str = "32.75.12";

    #[test]
    fn kota_bekasi_kecamatan_border_where_the_map_says() {
        let n = neighbours_from_geojson(BEKASI, "kode").unwrap();
        assert_eq!(n.areas().count(), 12);
        // Bantargebang, in the south-east, borders Mustika Jaya and Rawalumbu only.
        assert_eq!(n.of(BANTARGEBANG), [RAWALUMBU, MUSTIKA_JAYA]);
        assert!(n.are_neighbours(BANTARGEBANG, MUSTIKA_JAYA));
        assert!(n.are_neighbours(MUSTIKA_JAYA, BANTARGEBANG));
        assert!(!n.are_neighbours(BANTARGEBANG, MEDAN_SATRIA));
        // Bekasi Utara borders Medan Satria (west) and Bekasi Timur (south-east).
        assert!(n.are_neighbours(BEKASI_UTARA, MEDAN_SATRIA));
        assert!(n.are_neighbours(BEKASI_UTARA, BEKASI_TIMUR));
        assert!(!n.are_neighbours(BEKASI_UTARA, JATISAMPURNA));
        // The southern corner: Jatisampurna borders Jatiasih and Pondok Melati.
        assert_eq!(n.of(JATISAMPURNA), [JATIASIH, PONDOK_MELATI]);
        assert!(n.are_neighbours(PONDOK_GEDE, PONDOK_MELATI));
        assert!(n.are_neighbours(BEKASI_BARAT, MEDAN_SATRIA));
        assert!(n.are_neighbours(BEKASI_SELATAN, JATIASIH));
        // Medan Satria, in the north-west, is far from the south.
        for far in [BANTARGEBANG, MUSTIKA_JAYA, JATISAMPURNA, PONDOK_MELATI, JATIASIH] {
            assert!(!n.are_neighbours(MEDAN_SATRIA, far), "{far}");
        }
        // Symmetric, never reflexive.
        for a in n.areas() {
            assert!(!n.are_neighbours(a, a));
            for b in n.of(a) {
                assert!(n.are_neighbours(b, a), "{a} {b}");
            }
        }
        assert_eq!(n.of("32.75.99"), [] as [&str; 0]);
    }

    fn square(code: &str, x0: f64, y0: f64, size: f64) -> String {
        let (x1, y1) = (x0 + size, y0 + size);
        format!(
            r#"{{"type":"Feature","properties":{{"kode":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}}}"#
        )
    }

    #[test]
    fn squares_sharing_an_edge_touch_and_one_apart_does_not() {
        let doc = format!(
            r#"{{"type":"FeatureCollection","features":[{},{},{},{}]}}"#,
            square("A", 107.0, -6.3, 0.01),
            square("B", 107.01, -6.3, 0.01),
            // 0.0003° (≈ 33 m) from B's corner: a digitising gap, still neighbours.
            square("C", 107.0203, -6.3, 0.01),
            // A kilometre away from everything.
            square("D", 107.05, -6.3, 0.01),
        );
        let n = neighbours_from_geojson(&doc, "kode").unwrap();
        assert!(n.are_neighbours("A", "B"));
        assert!(n.are_neighbours("B", "C"));
        assert!(!n.are_neighbours("A", "C"));
        assert!(n.of("D").is_empty());
        assert_eq!(n.pairs().collect::<Vec<_>>(), [("A", "B"), ("B", "C")]);
        // With an exact-only tolerance the gap separates B and C.
        let exact = neighbours_from_geojson_with(&doc, "kode", 1e-6).unwrap();
        assert!(exact.are_neighbours("A", "B"));
        assert!(!exact.are_neighbours("B", "C"));
    }

    #[test]
    fn multipolygons_and_numeric_codes_are_read() {
        let doc = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":3275},"geometry":{"type":"MultiPolygon","coordinates":[
                [[[0,0],[1,0],[1,1],[0,0]]],
                [[[5,5],[6,5],[6,6],[5,5]]]]}},
            {"type":"Feature","properties":{"id":3276},"geometry":{"type":"Polygon","coordinates":[[[6,6],[7,6],[7,7],[6,6]]]}},
            {"type":"Feature","properties":{"id":3277},"geometry":null}
        ]}"#;
        let n = neighbours_from_geojson(doc, "id").unwrap();
        assert!(n.are_neighbours("3275", "3276"));
        assert!(n.of("3277").is_empty());
        assert_eq!(n.areas().count(), 3);
    }

    #[test]
    fn malformed_input_gives_typed_errors() {
        assert_eq!(neighbours_from_geojson("{", "kode").unwrap_err().code(), "geo_json");
        assert_eq!(
            neighbours_from_geojson(r#"{"type":"Feature"}"#, "kode"),
            Err(GeoError::NotFeatureCollection)
        );
        let no_code = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            square("A", 0.0, 0.0, 1.0)
        );
        assert_eq!(
            neighbours_from_geojson(&no_code, "nama"),
            Err(GeoError::MissingCode { feature: 0 })
        );
        let point = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"A"},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#;
        assert_eq!(
            neighbours_from_geojson(point, "kode").unwrap_err().code(),
            "geo_unsupported_geometry"
        );
        let broken = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kode":"A"},"geometry":{"type":"Polygon","coordinates":[[["x",0]]]}}]}"#;
        assert_eq!(
            neighbours_from_geojson(broken, "kode"),
            Err(GeoError::Geometry { feature: 0 })
        );
    }

    #[test]
    fn pairs_build_the_same_structure() {
        let n = Neighbours::from_pairs([("b", "a"), ("a", "c"), ("a", "a")]);
        assert_eq!(n.of("a"), ["b", "c"]);
        assert_eq!(n.of("b"), ["a"]);
        assert!(n.are_neighbours("c", "a"));
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, r#"{"a":["b","c"],"b":["a"],"c":["a"]}"#);
        assert_eq!(serde_json::from_str::<Neighbours>(&json).unwrap(), n);
        let unsorted: Neighbours = serde_json::from_str(r#"{"a":["c","b","c"]}"#).unwrap();
        assert!(unsorted.are_neighbours("a", "b"));
    }
}
