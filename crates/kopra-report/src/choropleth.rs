//! A choropleth map from GeoJSON, projected equirectangularly with longitude scaled by
//! cos(latitude) — good enough for a city or a province, and simple enough to test.

use crate::esc;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("not GeoJSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("no features with coordinates")]
    Empty,
}

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: HashMap<String, serde_json::Value>,
    geometry: Geometry,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

impl Geometry {
    fn polygons(&self) -> Vec<&Vec<Vec<[f64; 2]>>> {
        match self {
            Geometry::Polygon(p) => vec![p],
            Geometry::MultiPolygon(m) => m.iter().collect(),
        }
    }
}

/// One area's figure.
#[derive(Debug, Clone)]
pub struct AreaValue {
    /// 0..1, or `None` when there is nothing to show (drawn grey).
    pub value: Option<f64>,
    /// The tooltip: name and figures, already in the user's language; `{nama}` is replaced
    /// by the feature's own name.
    pub title: String,
    pub href: Option<String>,
}

/// Colour classes: upper bounds (exclusive) and colours, light to dark.
pub struct Classes<'a> {
    pub bounds: &'a [f64],
    pub colours: &'a [&'a str],
    pub labels: &'a [String],
    pub no_data_colour: &'a str,
    pub no_data_label: &'a str,
}

fn class_of(v: f64, bounds: &[f64]) -> usize {
    bounds.iter().position(|b| v < *b).unwrap_or(bounds.len())
}

/// One area projected to SVG path data.
struct Shape {
    code: String,
    name: String,
    d: String,
}

/// A GeoJSON file projected at a width: the expensive part of a map, the same on every request.
struct Projection {
    height: f64,
    shapes: Vec<Shape>,
}

/// Points closer than this (px) to the last one drawn are left out.
const MIN_STEP: f64 = 0.6;
/// Rings smaller than this (px) across are left out, except each feature's largest.
const MIN_RING: f64 = 1.5;

fn project(geojson: &str, width: f64) -> Result<Projection, MapError> {
    let fc: Collection = serde_json::from_str(geojson)?;
    let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for f in &fc.features {
        for poly in f.geometry.polygons() {
            for ring in poly {
                for [lon, lat] in ring {
                    min_lon = min_lon.min(*lon);
                    max_lon = max_lon.max(*lon);
                    min_lat = min_lat.min(*lat);
                    max_lat = max_lat.max(*lat);
                }
            }
        }
    }
    if min_lon > max_lon {
        return Err(MapError::Empty);
    }
    let k = ((min_lat + max_lat) / 2.0).to_radians().cos();
    let (w_geo, h_geo) = ((max_lon - min_lon) * k, max_lat - min_lat);
    let scale = width / w_geo.max(1e-9);
    let height = (h_geo * scale).ceil();
    let x = |lon: f64| (lon - min_lon) * k * scale;
    let y = |lat: f64| (max_lat - lat) * scale;
    let shapes = fc
        .features
        .iter()
        .map(|f| {
            let code = f.properties.get("kode").and_then(|v| v.as_str()).unwrap_or("");
            let name = f.properties.get("nama").and_then(|v| v.as_str()).unwrap_or(code);
            // Drawn at screen resolution: a point within MIN_STEP px of the last one drawn is
            // left out, and so is a ring (an islet) smaller than MIN_RING px across, except a
            // feature's largest. The national province map shrinks from about 580 kB of path
            // data to a fraction of it, with no visible difference at this width.
            let rings: Vec<Vec<(f64, f64)>> = f
                .geometry
                .polygons()
                .into_iter()
                .flatten()
                .map(|ring| ring.iter().map(|[lon, lat]| (x(*lon), y(*lat))).collect())
                .collect();
            let extent = |r: &Vec<(f64, f64)>| {
                let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
                for (x, y) in r {
                    (x0, x1, y0, y1) = (x0.min(*x), x1.max(*x), y0.min(*y), y1.max(*y));
                }
                (x1 - x0).max(y1 - y0)
            };
            let largest = rings
                .iter()
                .map(extent)
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i);
            let mut d = String::new();
            for (ri, ring) in rings.iter().enumerate() {
                if Some(ri) != largest && extent(ring) < MIN_RING {
                    continue;
                }
                let mut last: Option<(f64, f64)> = None;
                for (i, &(px, py)) in ring.iter().enumerate() {
                    let is_last = i + 1 == ring.len();
                    if let Some((lx, ly)) = last
                        && !is_last
                        && (px - lx).hypot(py - ly) < MIN_STEP
                    {
                        continue;
                    }
                    d.push_str(&format!("{}{px:.1},{py:.1}", if last.is_none() { "M" } else { "L" }));
                    last = Some((px, py));
                }
                d.push('Z');
            }
            Shape {
                code: code.to_string(),
                name: name.to_string(),
                d,
            }
        })
        .collect();
    Ok(Projection { height, shapes })
}

type ProjectionKey = (usize, usize, u64, [u8; 16]);

/// Projections already made, by the GeoJSON text's address, length, a sample of its end and
/// the width: the boundary files are compiled into the binary, so each is parsed once per
/// process instead of on every dashboard request (the national files are 1–2 MB).
static PROJECTIONS: std::sync::LazyLock<std::sync::Mutex<HashMap<ProjectionKey, std::sync::Arc<Projection>>>> =
    std::sync::LazyLock::new(Default::default);

fn projection(geojson: &str, width: f64) -> Result<std::sync::Arc<Projection>, MapError> {
    let mut tail = [0u8; 16];
    let bytes = geojson.as_bytes();
    let n = bytes.len().min(16);
    tail[..n].copy_from_slice(&bytes[bytes.len() - n..]);
    let key = (geojson.as_ptr() as usize, geojson.len(), width.to_bits(), tail);
    if let Some(p) = PROJECTIONS.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(p);
    }
    let p = std::sync::Arc::new(project(geojson, width)?);
    if let Ok(mut m) = PROJECTIONS.lock() {
        if m.len() > 64 {
            m.clear();
        }
        m.insert(key, p.clone());
    }
    Ok(p)
}

/// Draws every feature of `geojson` (matched on its `kode` property) shaded by its value.
pub fn choropleth(
    geojson: &str,
    values: &HashMap<String, AreaValue>,
    classes: &Classes<'_>,
    width: f64,
    title: &str,
) -> Result<String, MapError> {
    let projected = projection(geojson, width)?;
    let height = projected.height;
    let legend_h = 22.0 * (classes.colours.len() as f64 + 1.0) + 10.0;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"{t}\" class=\"map\">\n<title>{t}</title>\n",
        w = width.ceil(),
        h = height + legend_h,
        t = esc(title)
    );
    for shape in &projected.shapes {
        let (code, name, d) = (shape.code.as_str(), shape.name.as_str(), shape.d.as_str());
        let v = values.get(code);
        let fill = match v.and_then(|v| v.value) {
            Some(val) => classes.colours[class_of(val, classes.bounds).min(classes.colours.len() - 1)],
            None => classes.no_data_colour,
        };
        let tip = v.map_or_else(|| name.to_string(), |v| v.title.replace("{nama}", name));
        let path = format!(
            "<path d=\"{d}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"1\" data-code=\"{code}\"><title>{tip}</title></path>",
            code = esc(code),
            tip = esc(&tip)
        );
        match v.and_then(|v| v.href.as_deref()) {
            Some(href) => out.push_str(&format!("<a href=\"{}\">{path}</a>\n", esc(href))),
            None => out.push_str(&format!("{path}\n")),
        }
    }
    // Legend.
    let mut ly = height + 10.0;
    for (i, colour) in classes.colours.iter().enumerate() {
        let label = classes.labels.get(i).map(String::as_str).unwrap_or("");
        out.push_str(&format!(
            "<rect x=\"4\" y=\"{ly}\" width=\"16\" height=\"16\" fill=\"{colour}\"/><text x=\"26\" y=\"{ty}\" font-size=\"13\">{}</text>\n",
            esc(label),
            ty = ly + 13.0
        ));
        ly += 22.0;
    }
    out.push_str(&format!(
        "<rect x=\"4\" y=\"{ly}\" width=\"16\" height=\"16\" fill=\"{}\"/><text x=\"26\" y=\"{ty}\" font-size=\"13\">{}</text>\n</svg>\n",
        classes.no_data_colour,
        esc(classes.no_data_label),
        ty = ly + 13.0
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARES: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"kode":"A","nama":"Alpha"},"geometry":{"type":"Polygon","coordinates":[[[106.9,-6.3],[107.0,-6.3],[107.0,-6.2],[106.9,-6.2],[106.9,-6.3]]]}},
      {"type":"Feature","properties":{"kode":"B","nama":"Beta"},"geometry":{"type":"MultiPolygon","coordinates":[[[[107.0,-6.3],[107.1,-6.3],[107.1,-6.2],[107.0,-6.2],[107.0,-6.3]]]]}}]}"#;

    fn classes<'a>(labels: &'a [String]) -> Classes<'a> {
        Classes {
            bounds: &[0.5],
            colours: &["#eeeeee", "#333333"],
            labels,
            no_data_colour: "#cccccc",
            no_data_label: "no data",
        }
    }

    #[test]
    fn areas_are_shaded_by_class_titled_and_linked() {
        let labels = vec!["< 50%".to_string(), "≥ 50%".to_string()];
        let values = HashMap::from([
            (
                "A".to_string(),
                AreaValue {
                    value: Some(0.7),
                    title: "Alpha: 70% <active>".into(),
                    href: Some("/k?a=1&b=2".into()),
                },
            ),
            (
                "B".to_string(),
                AreaValue {
                    value: None,
                    title: "Beta".into(),
                    href: None,
                },
            ),
        ]);
        let svg = choropleth(SQUARES, &values, &classes(&labels), 200.0, "Map").unwrap();
        assert_eq!(svg.matches("<path ").count(), 2);
        assert!(svg.contains("fill=\"#333333\" stroke=\"#ffffff\" stroke-width=\"1\" data-code=\"A\""));
        assert!(svg.contains("fill=\"#cccccc\" stroke=\"#ffffff\" stroke-width=\"1\" data-code=\"B\""));
        assert!(
            svg.contains("<title>Alpha: 70% &lt;active&gt;</title>"),
            "titles are escaped"
        );
        assert!(svg.contains("<a href=\"/k?a=1&amp;b=2\">"));
        // Two squares side by side: the map is twice as wide as high (times cos(latitude)).
        assert!(svg.contains("M0.0,"), "the west edge is at x = 0");
    }

    /// The national map: every province drawn, in a page-sized SVG (it was 580 kB).
    #[test]
    fn the_province_map_keeps_every_province_at_screen_resolution() {
        let provinces = include_str!("../../../data/geo/indonesia_provinsi.geojson");
        let svg = choropleth(provinces, &HashMap::new(), &classes(&[]), 560.0, "Peta").unwrap();
        let codes = provinces.matches("\"kode\"").count();
        assert!(codes >= 34, "{codes} provinces in the file");
        assert_eq!(svg.matches("<path ").count(), codes, "one path per province");
        assert!(svg.len() < 200_000, "{} bytes", svg.len());
        assert!(!svg.contains("d=\"\""), "no province left empty");
    }

    #[test]
    fn broken_geojson_is_an_error() {
        assert!(choropleth("{", &HashMap::new(), &classes(&[]), 100.0, "x").is_err());
        assert!(matches!(
            choropleth(r#"{"features":[]}"#, &HashMap::new(), &classes(&[]), 100.0, "x"),
            Err(MapError::Empty)
        ));
    }
}
