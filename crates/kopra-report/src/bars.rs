//! A grouped bar chart: for each year, the target and the rate reached.

use crate::esc;

pub struct BarGroup {
    pub label: String,
    /// (value 0..1, colour, tooltip) per bar; `None` leaves a gap (a year still to come).
    pub bars: Vec<Option<(f64, String)>>,
}

pub fn grouped_bars(groups: &[BarGroup], colours: &[&str], legend: &[String], title: &str) -> String {
    let (w, h, left, bottom, top) = (640.0, 260.0, 44.0, 30.0, 30.0);
    let plot_h = h - bottom - top;
    let n = groups.len().max(1) as f64;
    let group_w = (w - left - 10.0) / n;
    let per = groups.iter().map(|g| g.bars.len()).max().unwrap_or(1).max(1) as f64;
    let bar_w = (group_w * 0.8) / per;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"{t}\" class=\"chart\">\n<title>{t}</title>\n",
        t = esc(title)
    );
    for pct in [0, 25, 50, 75, 100] {
        let y = top + plot_h * (1.0 - f64::from(pct) / 100.0);
        out.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{w}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#dddddd\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"11\" text-anchor=\"end\">{pct}%</text>\n",
            tx = left - 4.0,
            ty = y + 4.0
        ));
    }
    for (gi, g) in groups.iter().enumerate() {
        let gx = left + group_w * gi as f64 + group_w * 0.1;
        for (bi, bar) in g.bars.iter().enumerate() {
            if let Some((v, tip)) = bar {
                let bh = plot_h * v.clamp(0.0, 1.0);
                out.push_str(&format!(
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{bh:.1}\" fill=\"{c}\"><title>{tip}</title></rect>\n",
                    x = gx + bar_w * bi as f64,
                    y = top + plot_h - bh,
                    bw = bar_w * 0.92,
                    c = colours.get(bi).copied().unwrap_or("#888888"),
                    tip = esc(tip)
                ));
            }
        }
        out.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{y}\" font-size=\"12\" text-anchor=\"middle\">{l}</text>\n",
            x = gx + group_w * 0.4,
            y = h - 10.0,
            l = esc(&g.label)
        ));
    }
    for (i, l) in legend.iter().enumerate() {
        let x = left + 150.0 * i as f64;
        out.push_str(&format!(
            "<rect x=\"{x}\" y=\"6\" width=\"14\" height=\"14\" fill=\"{c}\"/><text x=\"{tx}\" y=\"18\" font-size=\"12\">{l}</text>\n",
            c = colours.get(i).copied().unwrap_or("#888888"),
            tx = x + 18.0,
            l = esc(l)
        ));
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_have_heights_in_proportion_and_titles() {
        let groups = vec![
            BarGroup {
                label: "2024".into(),
                bars: vec![Some((0.5, "target 50%".into())), Some((0.25, "reached 25%".into()))],
            },
            BarGroup {
                label: "2025".into(),
                bars: vec![Some((0.6, "target 60%".into())), None],
            },
        ];
        let svg = grouped_bars(
            &groups,
            &["#1f77b4", "#2ca02c"],
            &["target".into(), "reached".into()],
            "Plan",
        );
        assert_eq!(svg.matches("<rect x=").count(), 3 + 2, "three bars and two legend keys");
        assert!(svg.contains("height=\"100.0\" fill=\"#1f77b4\"><title>target 50%</title>"));
        assert!(svg.contains("height=\"50.0\" fill=\"#2ca02c\"><title>reached 25%</title>"));
    }
}
