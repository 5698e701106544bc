//! Awards on Hari Koperasi, 12 July ("Koperasi Berprestasi"; domain.md §9).
//!
//! The national worksheet scores weighted indicators grouped in four aspects
//! (kelembagaan/organisation, usaha/business, keuangan/finance, manfaat/benefit). Only the
//! paid-up simpanan pokok and simpanan wajib indicators are confirmed (weight 2 each;
//! 100% → 100 points, 80 to < 100 → 75, 60 to < 80 → 50, 50 to < 60 → 25, < 50 → 0); the
//! rest of `data/awards/default.json` is a plausible default. Criteria are configuration
//! per award and year ([`AwardCriteria`]).
//!
//! Scoring:
//! - a `bands` indicator: the juror enters the measured value (a percentage or a number);
//!   the points are those of the first band whose `min` (inclusive) is ≤ the value, bands
//!   listed from the highest `min` down; below every band, `otherwise` (default 0);
//! - a `points` indicator: the juror enters points directly, 0…100;
//! - one juror's total = Σ(points × weight) ÷ Σ(weight), 0…100, rounded to 2 decimals;
//! - a nominee's score = the mean of its jurors' (rounded) totals, rounded to 2 decimals,
//!   so that it can be checked by hand from the sheets;
//! - [`rank`]: best first; equal scores share a rank and the next rank skips (1, 1, 3);
//!   nominees without any juror sheet come last, unranked.

use crate::code_enum::code_enum;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The highest points an indicator can give.
pub const MAX_POINTS: f64 = 100.0;

code_enum! {
    /// What a banded indicator measures, for the entry form.
    pub enum Unit {
        Percent => "percent", "%", "%";
        Count => "count", "jumlah", "count";
        Rupiah => "rupiah", "Rupiah", "Rupiah";
        Days => "days", "hari", "days";
        /// 1 for yes, 0 for no.
        YesNo => "yes_no", "ya (1) / tidak (0)", "yes (1) / no (0)";
    }
}

/// One award's criteria for one year (`data/awards/*.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardCriteria {
    pub id: String,
    pub title: String,
    /// The award year, when the criteria belong to one.
    #[serde(default)]
    pub year: Option<i32>,
    pub source: String,
    #[serde(default)]
    pub note: String,
    pub aspects: Vec<Aspect>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aspect {
    pub code: String,
    pub label_id: String,
    pub label_en: String,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub label_id: String,
    pub label_en: String,
    pub weight: f64,
    #[serde(flatten)]
    pub kind: IndicatorKind,
}

/// How an indicator turns a juror's entry into points (JSON: `"kind"` plus parameters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndicatorKind {
    /// The juror enters the measured value; bands give the points.
    Bands {
        unit: Unit,
        bands: Vec<Band>,
        #[serde(default)]
        otherwise: f64,
    },
    /// The juror enters points directly (0…100).
    Points,
}

/// Points for values from `min` (inclusive) up to the next higher band's `min`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub min: f64,
    pub points: f64,
}

/// Why an award configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AwardConfigError {
    #[error("config_json: {0}")]
    Json(String),
    #[error("config_no_indicators")]
    NoIndicators,
    #[error("config_empty_field: {0}")]
    EmptyField(String),
    #[error("config_duplicate_code: {0}")]
    DuplicateCode(String),
    /// A weight that is not a finite number above zero.
    #[error("config_weight: {0}")]
    Weight(String),
    /// Bands empty, not strictly descending by `min`, or points outside 0…100.
    #[error("config_bands: {0}")]
    Bands(String),
}

/// Why a juror's entry for one indicator was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetError {
    /// No entry for an indicator of the criteria.
    Missing,
    /// An entry for an indicator the criteria do not have.
    Unknown,
    /// Not a finite number, or points outside 0…100.
    OutOfRange,
}

/// The first band whose `min` ≤ `value` (bands from the highest `min` down), else
/// `otherwise`.
pub fn score_bands(bands: &[Band], otherwise: f64, value: f64) -> f64 {
    bands.iter().find(|b| value >= b.min).map_or(otherwise, |b| b.points)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Indicator {
    /// The points for a juror's entry.
    pub fn score_indicator(&self, value: f64) -> Result<f64, SheetError> {
        if !value.is_finite() {
            return Err(SheetError::OutOfRange);
        }
        match &self.kind {
            IndicatorKind::Bands { bands, otherwise, .. } => Ok(score_bands(bands, *otherwise, value)),
            IndicatorKind::Points if (0.0..=MAX_POINTS).contains(&value) => Ok(value),
            IndicatorKind::Points => Err(SheetError::OutOfRange),
        }
    }
}

/// One juror's entries: indicator code → measured value (`bands`) or points (`points`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JurorSheet {
    pub juror: String,
    pub values: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorPoints {
    pub code: String,
    pub value: f64,
    pub points: f64,
    pub weight: f64,
}

/// One juror's scored sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JurorTotal {
    pub juror: String,
    /// Σ(points × weight) ÷ Σ(weight), 0…100, 2 decimals.
    pub total: f64,
    pub indicators: Vec<IndicatorPoints>,
}

/// A nominee in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub id: String,
    /// Mean of the jurors' totals, 2 decimals; none when no juror scored the nominee.
    pub average: Option<f64>,
    /// How many juror sheets the average is over.
    pub jurors: usize,
    /// 1 for the best; equal averages share a rank; none when unscored.
    pub rank: Option<u32>,
}

impl AwardCriteria {
    /// Parses and checks: at least one indicator; codes unique across aspects; labels
    /// non-blank; weights finite and above zero; bands non-empty, strictly descending by
    /// `min`, points (and `otherwise`) within 0…100.
    pub fn from_json(json: &str) -> Result<Self, AwardConfigError> {
        let c: AwardCriteria = serde_json::from_str(json).map_err(|e| AwardConfigError::Json(e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    pub fn validate(&self) -> Result<(), AwardConfigError> {
        for (field, v) in [("id", &self.id), ("title", &self.title), ("source", &self.source)] {
            if v.trim().is_empty() {
                return Err(AwardConfigError::EmptyField(field.into()));
            }
        }
        let mut aspect_codes = BTreeSet::new();
        let mut codes = BTreeSet::new();
        for a in &self.aspects {
            for (field, v) in [("code", &a.code), ("label_id", &a.label_id), ("label_en", &a.label_en)] {
                if v.trim().is_empty() {
                    return Err(AwardConfigError::EmptyField(format!("aspects[{}].{field}", a.code)));
                }
            }
            if !aspect_codes.insert(a.code.as_str()) {
                return Err(AwardConfigError::DuplicateCode(a.code.clone()));
            }
            for i in &a.indicators {
                for (field, v) in [("code", &i.code), ("label_id", &i.label_id), ("label_en", &i.label_en)] {
                    if v.trim().is_empty() {
                        return Err(AwardConfigError::EmptyField(format!("indicators[{}].{field}", i.code)));
                    }
                }
                if !codes.insert(i.code.as_str()) {
                    return Err(AwardConfigError::DuplicateCode(i.code.clone()));
                }
                if !(i.weight.is_finite() && i.weight > 0.0) {
                    return Err(AwardConfigError::Weight(i.code.clone()));
                }
                if let IndicatorKind::Bands { bands, otherwise, .. } = &i.kind {
                    let points_ok = |p: f64| (0.0..=MAX_POINTS).contains(&p);
                    let descending = bands.windows(2).all(|w| w[0].min > w[1].min);
                    if bands.is_empty()
                        || !descending
                        || !bands.iter().all(|b| b.min.is_finite() && points_ok(b.points))
                        || !points_ok(*otherwise)
                    {
                        return Err(AwardConfigError::Bands(i.code.clone()));
                    }
                }
            }
        }
        if codes.is_empty() {
            return Err(AwardConfigError::NoIndicators);
        }
        Ok(())
    }

    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.aspects.iter().flat_map(|a| a.indicators.iter())
    }

    /// Scores one juror's sheet; every indicator must have an entry.
    pub fn total(&self, sheet: &JurorSheet) -> Result<JurorTotal, BTreeMap<String, SheetError>> {
        let mut errors = BTreeMap::new();
        for code in sheet.values.keys() {
            if !self.indicators().any(|i| &i.code == code) {
                errors.insert(code.clone(), SheetError::Unknown);
            }
        }
        let mut scored = Vec::new();
        for i in self.indicators() {
            let Some(&value) = sheet.values.get(&i.code) else {
                errors.insert(i.code.clone(), SheetError::Missing);
                continue;
            };
            match i.score_indicator(value) {
                Ok(points) => scored.push(IndicatorPoints {
                    code: i.code.clone(),
                    value,
                    points,
                    weight: i.weight,
                }),
                Err(e) => {
                    errors.insert(i.code.clone(), e);
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let weights: f64 = scored.iter().map(|s| s.weight).sum();
        let weighted: f64 = scored.iter().map(|s| s.points * s.weight).sum();
        Ok(JurorTotal {
            juror: sheet.juror.clone(),
            total: round2(weighted / weights),
            indicators: scored,
        })
    }
}

/// The mean of the jurors' totals, 2 decimals; none without jurors.
pub fn average(totals: &[JurorTotal]) -> Option<f64> {
    if totals.is_empty() {
        return None;
    }
    Some(round2(
        totals.iter().map(|t| t.total).sum::<f64>() / totals.len() as f64,
    ))
}

/// Ranks nominees (id, their jurors' totals): best average first; equal averages share a
/// rank, ordered by id; nominees without juror totals last, in the order given, unranked.
pub fn rank(nominees: &[(String, Vec<JurorTotal>)]) -> Vec<Ranked> {
    let (mut scored, unscored): (Vec<Ranked>, Vec<Ranked>) = nominees
        .iter()
        .map(|(id, totals)| Ranked {
            id: id.clone(),
            average: average(totals),
            jurors: totals.len(),
            rank: None,
        })
        .partition(|r| r.average.is_some());
    scored.sort_by(|a, b| {
        b.average
            .unwrap_or(0.0)
            .total_cmp(&a.average.unwrap_or(0.0))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut prev: Option<(f64, u32)> = None;
    for (i, r) in scored.iter_mut().enumerate() {
        let avg = r.average.unwrap_or(0.0);
        let rank = match prev {
            Some((p, rk)) if p == avg => rk,
            _ => i as u32 + 1,
        };
        r.rank = Some(rank);
        prev = Some((avg, rank));
    }
    scored.extend(unscored);
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_criteria() -> AwardCriteria {
        AwardCriteria::from_json(include_str!("../../../data/awards/default.json")).unwrap()
    }

    fn indicator(c: &AwardCriteria, code: &str) -> Indicator {
        c.indicators().find(|i| i.code == code).unwrap().clone()
    }

    fn juror(name: &str, total: f64) -> JurorTotal {
        JurorTotal {
            juror: name.into(),
            total,
            indicators: vec![],
        }
    }

    #[test]
    fn paid_up_simpanan_follows_the_national_worksheet() {
        let c = default_criteria();
        for code in ["simpanan_pokok_lunas", "simpanan_wajib_lunas"] {
            let i = indicator(&c, code);
            assert_eq!(i.weight, 2.0);
            let points: Vec<f64> = [100.0, 80.0, 79.99, 60.0, 50.0, 49.9, 0.0]
                .iter()
                .map(|v| i.score_indicator(*v).unwrap())
                .collect();
            assert_eq!(points, vec![100.0, 75.0, 50.0, 50.0, 25.0, 0.0, 0.0], "{code}");
        }
    }

    #[test]
    fn the_default_has_four_aspects() {
        let c = default_criteria();
        let aspects: Vec<&str> = c.aspects.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(aspects, ["kelembagaan", "usaha", "keuangan", "manfaat"]);
        assert!(c.note.contains("not confirmed"));
    }

    /// A small worksheet: two banded indicators of weight 2, one points indicator of weight 1.
    fn small() -> AwardCriteria {
        AwardCriteria::from_json(
            r#"{"id":"t","title":"t","source":"domain.md §9","aspects":[
              {"code":"kelembagaan","label_id":"Kelembagaan","label_en":"Organisation","indicators":[
                {"code":"pokok","label_id":"p","label_en":"p","weight":2,"kind":"bands","unit":"percent",
                 "bands":[{"min":100,"points":100},{"min":80,"points":75},{"min":60,"points":50},{"min":50,"points":25}]},
                {"code":"wajib","label_id":"w","label_en":"w","weight":2,"kind":"bands","unit":"percent",
                 "bands":[{"min":100,"points":100},{"min":80,"points":75},{"min":60,"points":50},{"min":50,"points":25}]},
                {"code":"rat","label_id":"r","label_en":"r","weight":1,"kind":"points"}]}]}"#,
        )
        .unwrap()
    }

    fn sheet(name: &str, pairs: &[(&str, f64)]) -> JurorSheet {
        JurorSheet {
            juror: name.into(),
            values: pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    #[test]
    fn two_jurors_are_averaged() {
        let c = small();
        // Juror A: pokok 100% → 100, wajib 85% → 75, rat 90 points:
        //   (100×2 + 75×2 + 90×1) ÷ 5 = 440 ÷ 5 = 88.
        let a = c
            .total(&sheet("A", &[("pokok", 100.0), ("wajib", 85.0), ("rat", 90.0)]))
            .unwrap();
        assert_eq!(a.total, 88.0);
        // Juror B: pokok 92% → 75, wajib 55% → 25, rat 70: (150 + 50 + 70) ÷ 5 = 54.
        let b = c
            .total(&sheet("B", &[("pokok", 92.0), ("wajib", 55.0), ("rat", 70.0)]))
            .unwrap();
        assert_eq!(b.total, 54.0);
        assert_eq!(average(&[a, b]), Some(71.0));
        // Totals keep two decimals: (75×2 + 75×2 + 33×1) ÷ 5 = 66.6; (…+ 34) ÷ 5 = 66.8.
        let c3 = c
            .total(&sheet("C", &[("pokok", 80.0), ("wajib", 80.0), ("rat", 33.0)]))
            .unwrap();
        assert_eq!(c3.total, 66.6);
        assert_eq!(
            average(&[juror("x", 66.67), juror("y", 70.0), juror("z", 70.0)]),
            Some(68.89)
        );
    }

    #[test]
    fn sheets_are_checked() {
        let e = small()
            .total(&sheet("A", &[("pokok", 100.0), ("rat", 101.0), ("lain", 1.0)]))
            .unwrap_err();
        assert_eq!(e.get("wajib"), Some(&SheetError::Missing));
        assert_eq!(e.get("rat"), Some(&SheetError::OutOfRange));
        assert_eq!(e.get("lain"), Some(&SheetError::Unknown));
        let nan = small()
            .total(&sheet("A", &[("pokok", f64::NAN), ("wajib", 1.0), ("rat", 1.0)]))
            .unwrap_err();
        assert_eq!(nan.get("pokok"), Some(&SheetError::OutOfRange));
    }

    #[test]
    fn ties_share_a_rank_and_unscored_nominees_come_last() {
        let r = rank(&[
            ("kop-d".into(), vec![]),
            ("kop-c".into(), vec![juror("A", 70.0)]),
            ("kop-b".into(), vec![juror("A", 80.0), juror("B", 90.0)]),
            ("kop-a".into(), vec![juror("A", 85.0)]),
            ("kop-e".into(), vec![]),
        ]);
        let got: Vec<(&str, Option<f64>, usize, Option<u32>)> =
            r.iter().map(|x| (x.id.as_str(), x.average, x.jurors, x.rank)).collect();
        assert_eq!(
            got,
            vec![
                ("kop-a", Some(85.0), 1, Some(1)),
                ("kop-b", Some(85.0), 2, Some(1)),
                ("kop-c", Some(70.0), 1, Some(3)),
                ("kop-d", None, 0, None),
                ("kop-e", None, 0, None),
            ]
        );
    }

    #[test]
    fn configurations_are_checked() {
        let with = |ind: &str| {
            format!(
                r#"{{"id":"t","title":"t","source":"s","aspects":[{{"code":"a","label_id":"a","label_en":"a","indicators":[{ind}]}}]}}"#
            )
        };
        let unordered = with(
            r#"{"code":"x","label_id":"x","label_en":"x","weight":2,"kind":"bands","unit":"percent",
                "bands":[{"min":50,"points":25},{"min":100,"points":100}]}"#,
        );
        assert_eq!(
            AwardCriteria::from_json(&unordered),
            Err(AwardConfigError::Bands("x".into()))
        );
        let zero_weight = with(r#"{"code":"x","label_id":"x","label_en":"x","weight":0,"kind":"points"}"#);
        assert_eq!(
            AwardCriteria::from_json(&zero_weight),
            Err(AwardConfigError::Weight("x".into()))
        );
        let unknown_kind = with(r#"{"code":"x","label_id":"x","label_en":"x","weight":1,"kind":"stars"}"#);
        assert!(matches!(
            AwardCriteria::from_json(&unknown_kind),
            Err(AwardConfigError::Json(_))
        ));
        let empty = r#"{"id":"t","title":"t","source":"s","aspects":[]}"#;
        assert_eq!(AwardCriteria::from_json(empty), Err(AwardConfigError::NoIndicators));
    }
}
