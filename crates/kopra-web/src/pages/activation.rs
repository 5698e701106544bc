//! The activation page: the rate with its numerator and denominator, the map and table by
//! kecamatan, and the plan's milestones against what was reached.

use crate::AppState;
use crate::auth::PageUser;
use crate::error::{AppError, PageError};
use crate::i18n::{Lang, Tr};
use crate::pages::{Nav, Opt, render};
use crate::register::{plan_progress, resolve_scope, today};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kopra_db::status::{Activation, ActivationScope};
use kopra_domain::cooperative::parse_iso_date;
use kopra_domain::{FieldError, FieldErrors, HomeRegion, Permission};
use kopra_report::bars::{BarGroup, grouped_bars};
use kopra_report::choropleth::{AreaValue, Classes, choropleth};
use kopra_report::percent;
use serde::Deserialize;
use std::collections::HashMap;

const KOTA_BEKASI_KECAMATAN: &str = include_str!("../../../../data/geo/kota_bekasi_kecamatan.geojson");
const COLOURS: [&str; 5] = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"];
/// Class bounds: finer at the low end, where most offices start, and the plan's 65% target.
const BOUNDS: [f64; 4] = [0.1, 0.2, 0.4, 0.65];

#[derive(Deserialize)]
pub struct Params {
    as_of: Option<String>,
    scope: Option<String>,
}

pub struct Row {
    target: String,
    gap: i64,
    code: String,
    name: String,
    registered: i64,
    active: i64,
    inactive: i64,
    no_data: i64,
    rate: String,
}

#[derive(Template)]
#[template(path = "activation.html")]
struct ActivationPage {
    t: Tr,
    nav: Option<Nav>,
    as_of: String,
    scopes: Vec<Opt>,
    rate: String,
    formula: String,
    parts: String,
    rule: String,
    rows: Vec<Row>,
    map_svg: Option<String>,
    plan_svg: String,
    plan_help: String,
    projection: Vec<String>,
    funnel: Vec<(String, i64, u32)>,
    target_year: i32,
    scope: String,
}

fn pct(rate: f64, lang: Lang) -> String {
    percent(rate, lang == Lang::Id)
}

const KABKOTA: &str = include_str!("../../../../data/geo/indonesia_kabkota.geojson");
const PROVINSI: &str = include_str!("../../../../data/geo/indonesia_provinsi.geojson");

/// The features of `geojson` whose `kode` starts with `prefix`, as GeoJSON text.
fn features_within(geojson: &str, prefix: &str) -> Option<String> {
    let mut v: serde_json::Value = serde_json::from_str(geojson).ok()?;
    let features = v.get_mut("features")?.as_array_mut()?;
    features.retain(|f| f["properties"]["kode"].as_str().is_some_and(|k| k.starts_with(prefix)));
    Some(v.to_string())
}

/// The office's map: the city's kecamatan (Kota Bekasi's boundaries ship with Kopra), a
/// province's kab/kota, or the country's provinces; counts summed to the map's areas.
pub fn activation_map(a: &Activation, home: &HomeRegion, tr: &Tr, scope: ActivationScope) -> Option<String> {
    let (geojson, segments) = match home {
        HomeRegion::KabKota(c) if c.as_str() == "32.75" => (KOTA_BEKASI_KECAMATAN.to_string(), 3),
        HomeRegion::KabKota(_) => return None,
        HomeRegion::Province(p) => (features_within(KABKOTA, &format!("{}.", p.as_str()))?, 2),
        HomeRegion::National => (PROVINSI.to_string(), 1),
    };
    let mut sums: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for k in &a.by_kecamatan {
        let area: String = k.code.split('.').take(segments).collect::<Vec<_>>().join(".");
        let e = sums.entry(area).or_default();
        e.0 += k.counts.registered;
        e.1 += k.counts.active;
        e.2 += k.counts.no_data;
    }
    let supervised = if scope == ActivationScope::Supervised {
        "&supervised=true"
    } else {
        ""
    };
    // Kecamatan carry their official (Kemendagri) names; larger areas the boundary file's.
    let names: HashMap<&str, &str> = a
        .by_kecamatan
        .iter()
        .map(|k| (k.code.as_str(), k.name.as_str()))
        .collect();
    let values: HashMap<String, AreaValue> = sums
        .into_iter()
        .map(|(code, (registered, active, no_data))| {
            let rate = if registered > 0 {
                active as f64 / registered as f64
            } else {
                0.0
            };
            let name = if segments == 3 {
                names.get(code.as_str()).copied().unwrap_or("{nama}")
            } else {
                "{nama}"
            };
            let title = format!(
                "{name}: {} ({active} / {registered}; {no_data} {})",
                pct(rate, tr.lang),
                tr.key("activation.no_data").to_lowercase()
            );
            let href = (segments == 3).then(|| format!("/koperasi?kecamatan={code}{supervised}"));
            (
                code,
                AreaValue {
                    value: (registered > 0).then_some(rate),
                    title,
                    href,
                },
            )
        })
        .collect();
    let labels: Vec<String> = (0..5).map(|i| tr.key(&format!("activation.class_{i}"))).collect();
    let none = tr.key("activation.class_none");
    let classes = Classes {
        bounds: &BOUNDS,
        colours: &COLOURS,
        labels: &labels,
        no_data_colour: "#d9d9d9",
        no_data_label: &none,
    };
    choropleth(&geojson, &values, &classes, 560.0, &tr.key("activation.map")).ok()
}

pub async fn page(
    State(state): State<AppState>,
    user: PageUser,
    Query(p): Query<Params>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewDashboard)?;
    let tr = Tr::new(user.ctx.lang);
    let as_of = match p.as_of.as_deref().filter(|s| !s.is_empty()) {
        None => today(),
        Some(s) => parse_iso_date(s)
            .ok_or_else(|| user.fail(AppError::Invalid(FieldErrors::single("as_of", FieldError::DateFormat))))?,
    };
    let scope = resolve_scope(&state, p.scope.as_deref())
        .await
        .map_err(|e| user.fail(e))?;
    let a = state
        .db
        .activation(as_of, scope, &state.office)
        .await
        .map_err(|e| user.fail(e))?;
    let rules = state.db.status_rules().await.map_err(|e| user.fail(e))?;
    let c = &a.counts;
    let n = |v: i64| v.to_string();
    let plan = state.db.plan().await.map_err(|e| user.fail(e))?;
    let progress = plan_progress(&state, plan.clone()).await.map_err(|e| user.fail(e))?;
    // This year's milestone (or the nearest one) applies to every kecamatan by default.
    let target = progress
        .milestones
        .iter()
        .find(|m| m.year == as_of.year())
        .or_else(|| {
            if as_of.year() < plan.baseline_year {
                progress.milestones.first()
            } else {
                progress.milestones.last()
            }
        })
        .map_or(plan.target_rate, |m| m.target_rate);
    let target_year = progress
        .milestones
        .iter()
        .find(|m| m.target_rate == target)
        .map_or(as_of.year(), |m| m.year);
    let rows = a
        .by_kecamatan
        .iter()
        .map(|k| {
            let target = plan
                .kecamatan_milestone(&k.code, target_year, progress.measured_baseline_rate)
                .unwrap_or(target);
            Row {
                target: pct(target, tr.lang),
                gap: ((target * k.counts.registered as f64).ceil() as i64 - k.counts.active).max(0),
                code: k.code.clone(),
                name: k.name.clone(),
                registered: k.counts.registered,
                active: k.counts.active,
                inactive: k.counts.inactive,
                no_data: k.counts.no_data,
                rate: pct(k.counts.rate, tr.lang),
            }
        })
        .collect();
    let f = state
        .db
        .funnel(as_of, scope, &state.office)
        .await
        .map_err(|e| user.fail(e))?;
    let share = |v: i64| {
        if f.registered == 0 {
            0
        } else {
            (v as f64 / f.registered as f64 * 100.0).round() as u32
        }
    };
    let funnel = vec![
        (tr.key("funnel.registered"), f.registered, share(f.registered)),
        (
            tr.key("funnel.with_rat"),
            f.with_rat_on_record,
            share(f.with_rat_on_record),
        ),
        (
            tr.fill("funnel.rat_held", &[("year", &(as_of.year() - 1).to_string())]),
            f.rat_held_last_year,
            share(f.rat_held_last_year),
        ),
        (
            tr.fill("funnel.reported", &[("year", &(as_of.year() - 1).to_string())]),
            f.reported_last_year,
            share(f.reported_last_year),
        ),
        (tr.key("funnel.active"), f.active, share(f.active)),
    ];
    let target_label = tr.key("activation.target");
    let reached = tr.key("activation.reached");
    let groups: Vec<BarGroup> = progress
        .milestones
        .iter()
        .map(|m| BarGroup {
            label: m.year.to_string(),
            bars: vec![
                Some((
                    m.target_rate,
                    format!("{} {}: {}", target_label, m.year, pct(m.target_rate, tr.lang)),
                )),
                m.actual_rate
                    .map(|r| (r, format!("{} {}: {}", reached, m.year, pct(r, tr.lang)))),
            ],
        })
        .collect();
    let plan_svg = grouped_bars(
        &groups,
        &["#9ecae1", "#08519c"],
        &[target_label.clone(), reached.clone()],
        &tr.key("activation.plan"),
    );
    let scopes = vec![
        Opt {
            value: "supervised".into(),
            label: tr.key("activation.scope_supervised").into(),
            selected: scope == ActivationScope::Supervised,
        },
        Opt {
            value: "all".into(),
            label: tr.key("activation.scope_all").into(),
            selected: scope == ActivationScope::All,
        },
    ];
    let page = ActivationPage {
        t: tr,
        nav: Nav::of(&user.user),
        as_of: as_of.to_string(),
        scopes,
        rate: pct(c.rate, tr.lang),
        formula: tr.fill(
            "activation.formula",
            &[("active", &n(c.active)), ("registered", &n(c.registered))],
        ),
        parts: tr.fill(
            "activation.parts",
            &[
                ("inactive", &n(c.inactive)),
                ("candidates", &n(c.dissolution_candidate)),
                ("no_data", &n(c.no_data)),
            ],
        ),
        rule: tr.fill("activation.rule", &[("window", &rules.active_window_years.to_string())]),
        map_svg: activation_map(&a, &state.office.home, &tr, scope),
        rows,
        plan_svg,
        plan_help: tr.fill(
            "activation.plan_help",
            &[
                ("target", &pct(plan.target_rate, tr.lang)),
                ("years", &plan.horizon_years.to_string()),
                ("baseline", &plan.baseline_year.to_string()),
                ("start", &pct(progress.measured_baseline_rate, tr.lang)),
            ],
        ),
        projection: projection_sentences(&tr, &progress.projection, plan.target_rate),
        funnel,
        target_year,
        scope: scope.as_str().into(),
    };
    Ok(render(&page))
}

fn projection_sentences(tr: &Tr, p: &kopra_domain::plan::Projection, target: f64) -> Vec<String> {
    let target = pct(target, tr.lang);
    let number = |v: f64| {
        let s = format!("{v:+.1}");
        if tr.lang == Lang::Id { s.replace('.', ",") } else { s }
    };
    let mut out = vec![tr.fill("projection.pace", &[("pace", &number(p.pace_per_month))])];
    out.push(match (&p.reached_in, p.still_needed) {
        (_, 0) => tr.fill("projection.met", &[("target", &target)]),
        (Some(month), _) => tr.fill(
            "projection.reached",
            &[
                ("target", &target),
                ("month", month),
                ("n", &p.still_needed.to_string()),
            ],
        ),
        (None, _) => tr.fill(
            "projection.never",
            &[("target", &target), ("n", &p.still_needed.to_string())],
        ),
    });
    if let Some(n) = p.needed_per_month {
        let n = format!("{n:.1}");
        let n = if tr.lang == Lang::Id { n.replace('.', ",") } else { n };
        out.push(tr.fill(
            "projection.needed",
            &[("months", &p.months_left.to_string()), ("n", &n)],
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kopra_db::status::{ActivationCounts, KecamatanActivation};

    fn kec(code: &str, registered: i64, active: i64) -> KecamatanActivation {
        KecamatanActivation {
            code: code.into(),
            name: code.into(),
            counts: ActivationCounts {
                registered,
                active,
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_province_map_sums_kecamatan_into_kab_kota() {
        let a = Activation {
            as_of: time::macros::date!(2021 - 12 - 31),
            scope: ActivationScope::All,
            counted_from: kopra_db::status::CountedFrom::Evidence,
            counts: ActivationCounts::default(),
            by_kecamatan: vec![kec("32.75.01", 10, 5), kec("32.75.02", 10, 1), kec("32.16.01", 4, 4)],
        };
        let tr = Tr::new(crate::i18n::Lang::Id);
        let svg = activation_map(&a, &HomeRegion::parse("32").unwrap(), &tr, ActivationScope::All).unwrap();
        assert_eq!(svg.matches("<path ").count(), 27, "Jawa Barat has 27 kab/kota");
        assert!(svg.contains("<title>Kota Bekasi: 30,0% (6 / 20; 0 belum ada data)</title>"));
        assert!(svg.contains("<title>Kabupaten Bekasi: 100,0% (4 / 4;"));
        let national = activation_map(&a, &HomeRegion::National, &tr, ActivationScope::All).unwrap();
        assert_eq!(national.matches("<path ").count(), 38);
        assert!(national.contains("<title>Jawa Barat: 41,7% (10 / 24;"));
        assert!(activation_map(&a, &HomeRegion::parse("32.16").unwrap(), &tr, ActivationScope::All).is_none());
    }
}
