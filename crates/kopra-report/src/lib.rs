//! Charts and maps as server-side SVG (style.md: works offline, prints, snapshot-testable,
//! and the same SVG can go into PDFs). Every shape has a `<title>` for its figure and,
//! where it makes sense, a link for drill-down. Text is escaped.

pub mod bars;
pub mod choropleth;
pub mod xlsx;

/// Escapes text for SVG/XML content and attributes.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A rate as a percentage with one decimal, Indonesian style (`61,5%`) or English (`61.5%`).
pub fn percent(rate: f64, decimal_comma: bool) -> String {
    let s = format!("{:.1}%", rate * 100.0);
    if decimal_comma { s.replace('.', ",") } else { s }
}
