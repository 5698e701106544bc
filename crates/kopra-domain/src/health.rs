//! The health assessment of savings-and-loan cooperatives (domain.md §6).
//!
//! The regulation's structure — aspects, weights, indicators, bands, category cut-offs —
//! is configuration (`data/health/*.json`), versioned by regulation id and kept on every
//! assessment: Permenkop 9/2020 with Juknis 15/2021 for current years, Perdep 06/2016 for
//! older ones. This module scores answers against such a configuration:
//! - a checklist indicator scores by the share of items met: >75% → 4, >50% → 3,
//!   >25% → 2, else 1;
//! - a ratio indicator scores by its bands (`lower`: value ≤ limit; `higher`: value >
//!   limit; `higher_or_equal`: value ≥ limit; first band that holds);
//! - a points indicator is entered as scored on the worksheet (0…scale);
//! - aspect % = Σ scores ÷ (indicators × scale max) × 100; total = Σ aspect % × weight ÷ 100;
//! - category by the cut-offs (≥ 80 Sehat, 66 to < 80 Cukup Sehat, 51 to < 66 Dalam
//!   Pengawasan, < 51 Dalam Pengawasan Khusus).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Regulation {
    pub id: String,
    pub title: String,
    pub scale_max: f64,
    #[serde(default)]
    pub note: String,
    pub categories: Vec<Category>,
    pub aspects: Vec<Aspect>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Category {
    pub min: f64,
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Aspect {
    pub key: String,
    pub label: String,
    pub weight: f64,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Indicator {
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub kind: IndicatorKind,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndicatorKind {
    Checklist {
        items: u32,
    },
    Ratio {
        better: Better,
        bands: Vec<Band>,
        otherwise: f64,
    },
    Points,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Lower,
    Higher,
    HigherOrEqual,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Band {
    pub limit: f64,
    pub score: f64,
}

/// Why answers were refused: indicator key → problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AnswerError {
    Missing,
    OutOfRange,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IndicatorScore {
    pub key: String,
    pub label: String,
    pub answer: f64,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AspectResult {
    pub key: String,
    pub label: String,
    pub weight: f64,
    pub percent: f64,
    pub indicators: Vec<IndicatorScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HealthResult {
    pub regulation: String,
    pub aspects: Vec<AspectResult>,
    /// Weighted total, 0…100, rounded to two decimals.
    pub total: f64,
    pub category: String,
    pub category_label: String,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The checklist band of Juknis 15/2021.
pub fn checklist_score(met: u32, items: u32) -> f64 {
    let pct = f64::from(met) / f64::from(items.max(1)) * 100.0;
    if pct > 75.0 {
        4.0
    } else if pct > 50.0 {
        3.0
    } else if pct > 25.0 {
        2.0
    } else {
        1.0
    }
}

pub fn ratio_score(value: f64, better: Better, bands: &[Band], otherwise: f64) -> f64 {
    bands
        .iter()
        .find(|b| match better {
            Better::Lower => value <= b.limit,
            Better::Higher => value > b.limit,
            Better::HigherOrEqual => value >= b.limit,
        })
        .map_or(otherwise, |b| b.score)
}

impl Regulation {
    /// Scores `answers` (indicator key → items met, ratio %, or points).
    pub fn assess(&self, answers: &BTreeMap<String, f64>) -> Result<HealthResult, BTreeMap<String, AnswerError>> {
        let mut errors = BTreeMap::new();
        for key in answers.keys() {
            if !self.aspects.iter().any(|a| a.indicators.iter().any(|i| &i.key == key)) {
                errors.insert(key.clone(), AnswerError::Unknown);
            }
        }
        let mut aspects = Vec::new();
        for a in &self.aspects {
            let mut scores = Vec::new();
            for ind in &a.indicators {
                let Some(&v) = answers.get(&ind.key) else {
                    errors.insert(ind.key.clone(), AnswerError::Missing);
                    continue;
                };
                let score = match &ind.kind {
                    IndicatorKind::Checklist { items } => {
                        if !(v.fract() == 0.0 && v >= 0.0 && v <= f64::from(*items)) {
                            errors.insert(ind.key.clone(), AnswerError::OutOfRange);
                            continue;
                        }
                        checklist_score(v as u32, *items)
                    }
                    IndicatorKind::Ratio {
                        better,
                        bands,
                        otherwise,
                    } => {
                        if !v.is_finite() {
                            errors.insert(ind.key.clone(), AnswerError::OutOfRange);
                            continue;
                        }
                        ratio_score(v, *better, bands, *otherwise)
                    }
                    IndicatorKind::Points => {
                        if !(0.0..=self.scale_max).contains(&v) {
                            errors.insert(ind.key.clone(), AnswerError::OutOfRange);
                            continue;
                        }
                        v
                    }
                };
                scores.push(IndicatorScore {
                    key: ind.key.clone(),
                    label: ind.label.clone(),
                    answer: v,
                    score,
                });
            }
            let sum: f64 = scores.iter().map(|s| s.score).sum();
            let percent = sum / (a.indicators.len().max(1) as f64 * self.scale_max) * 100.0;
            aspects.push(AspectResult {
                key: a.key.clone(),
                label: a.label.clone(),
                weight: a.weight,
                percent: round2(percent),
                indicators: scores,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Weighted from unrounded aspect percentages, then rounded once.
        let total: f64 = self
            .aspects
            .iter()
            .zip(&aspects)
            .map(|(a, r)| {
                let sum: f64 = r.indicators.iter().map(|s| s.score).sum();
                sum / (a.indicators.len().max(1) as f64 * self.scale_max) * 100.0 * a.weight / 100.0
            })
            .sum();
        let total = round2(total);
        let cat = self
            .categories
            .iter()
            .find(|c| total >= c.min)
            .or(self.categories.last());
        Ok(HealthResult {
            regulation: self.id.clone(),
            aspects,
            total,
            category: cat.map(|c| c.key.clone()).unwrap_or_default(),
            category_label: cat.map(|c| c.label.clone()).unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn juknis() -> Regulation {
        serde_json::from_str(include_str!("../../../data/health/permenkop-9-2020.json")).unwrap()
    }

    fn answers(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn bands_follow_juknis_15_2021() {
        assert_eq!(
            (
                checklist_score(7, 7),
                checklist_score(8, 10),
                checklist_score(6, 10),
                checklist_score(6, 12),
                checklist_score(3, 12)
            ),
            (4.0, 4.0, 3.0, 2.0, 1.0)
        );
        let loans = [
            Band {
                limit: 75.0,
                score: 4.0,
            },
            Band {
                limit: 85.0,
                score: 3.0,
            },
            Band {
                limit: 95.0,
                score: 2.0,
            },
        ];
        assert_eq!(ratio_score(75.0, Better::Lower, &loans, 1.0), 4.0);
        assert_eq!(ratio_score(85.1, Better::Lower, &loans, 1.0), 2.0);
        assert_eq!(ratio_score(96.0, Better::Lower, &loans, 1.0), 1.0);
        let equity = [
            Band {
                limit: 30.0,
                score: 4.0,
            },
            Band {
                limit: 20.0,
                score: 3.0,
            },
            Band {
                limit: 10.0,
                score: 2.0,
            },
        ];
        assert_eq!(
            ratio_score(30.0, Better::Higher, &equity, 1.0),
            3.0,
            "equity ÷ assets must exceed 30% for 4"
        );
        let growth = [
            Band {
                limit: 10.0,
                score: 4.0,
            },
            Band { limit: 7.0, score: 3.0 },
            Band { limit: 4.0, score: 2.0 },
        ];
        assert_eq!(
            ratio_score(10.0, Better::HigherOrEqual, &growth, 1.0),
            4.0,
            "growth of 10% or more scores 4"
        );
    }

    #[test]
    fn a_sample_ksp_reproduces_the_hand_computed_score() {
        // Tata kelola: 7/7 → 4, 8/10 → 4, 6/10 → 3: 11 of 12 = 91.67%.
        // Profil risiko: 6/12 (50%, not above) → 2, 5/8 → 3: 5 of 8 = 62.5%.
        // Kinerja keuangan: loans ÷ productive assets 80% → 3, equity growth 8% → 3,
        //   education cost ÷ SHU 2% → 2: 8 of 12 = 66.67%.
        // Permodalan: equity ÷ assets 25% → 3: 75%.
        // Total = 0.30 × 91.667 + 0.15 × 62.5 + 0.40 × 66.667 + 0.15 × 75 = 74.79 → Cukup Sehat.
        let r = juknis()
            .assess(&answers(&[
                ("prinsip_koperasi", 7.0),
                ("kelengkapan_kelembagaan", 8.0),
                ("tata_kelola_manajemen", 6.0),
                ("risiko_inheren", 6.0),
                ("manajemen_risiko", 5.0),
                ("pinjaman_per_aset_produktif", 80.0),
                ("pertumbuhan_modal_sendiri", 8.0),
                ("biaya_pendidikan_per_shu", 2.0),
                ("modal_sendiri_per_aset", 25.0),
            ]))
            .unwrap();
        let pcts: Vec<f64> = r.aspects.iter().map(|a| a.percent).collect();
        assert_eq!(pcts, vec![91.67, 62.5, 66.67, 75.0]);
        assert_eq!(r.total, 74.79);
        assert_eq!(
            (r.category.as_str(), r.category_label.as_str()),
            ("cukup_sehat", "Cukup Sehat")
        );
    }

    #[test]
    fn cut_offs_are_inclusive_at_their_lower_end() {
        let reg = juknis();
        let all4 = answers(&[
            ("prinsip_koperasi", 7.0),
            ("kelengkapan_kelembagaan", 10.0),
            ("tata_kelola_manajemen", 10.0),
            ("risiko_inheren", 12.0),
            ("manajemen_risiko", 8.0),
            ("pinjaman_per_aset_produktif", 50.0),
            ("pertumbuhan_modal_sendiri", 12.0),
            ("biaya_pendidikan_per_shu", 6.0),
            ("modal_sendiri_per_aset", 35.0),
        ]);
        let r = reg.assess(&all4).unwrap();
        assert_eq!((r.total, r.category.as_str()), (100.0, "sehat"));
        let mut worst = all4.clone();
        for (k, v) in [
            ("prinsip_koperasi", 0.0),
            ("kelengkapan_kelembagaan", 0.0),
            ("tata_kelola_manajemen", 0.0),
            ("risiko_inheren", 0.0),
            ("manajemen_risiko", 0.0),
            ("pinjaman_per_aset_produktif", 99.0),
            ("pertumbuhan_modal_sendiri", 0.0),
            ("biaya_pendidikan_per_shu", 0.0),
            ("modal_sendiri_per_aset", 5.0),
        ] {
            worst.insert(k.into(), v);
        }
        let r = reg.assess(&worst).unwrap();
        assert_eq!((r.total, r.category.as_str()), (25.0, "dalam_pengawasan_khusus"));
    }

    #[test]
    fn answers_are_checked() {
        let reg = juknis();
        let e = reg
            .assess(&answers(&[("prinsip_koperasi", 8.0), ("tidak_ada", 1.0)]))
            .unwrap_err();
        assert_eq!(e.get("prinsip_koperasi"), Some(&AnswerError::OutOfRange));
        assert_eq!(e.get("tidak_ada"), Some(&AnswerError::Unknown));
        assert_eq!(e.get("modal_sendiri_per_aset"), Some(&AnswerError::Missing));
    }

    #[test]
    fn the_2016_structure_has_seven_aspects_weighing_100() {
        let reg: Regulation = serde_json::from_str(include_str!("../../../data/health/perdep-06-2016.json")).unwrap();
        assert_eq!(reg.aspects.len(), 7);
        assert_eq!(reg.aspects.iter().map(|a| a.weight).sum::<f64>(), 100.0);
        let IndicatorKind::Ratio {
            better,
            bands,
            otherwise,
        } = &reg.aspects[1].indicators[0].kind
        else {
            panic!("a ratio")
        };
        // domain.md's example: loans to members ÷ all loans <25% → 0, 25–50 → 50, 50–75 → 75, ≥75 → 100.
        assert_eq!(
            [10.0, 25.0, 60.0, 75.0].map(|v| ratio_score(v, *better, bands, *otherwise)),
            [0.0, 50.0, 75.0, 100.0]
        );
        assert_eq!(juknis().aspects.iter().map(|a| a.weight).sum::<f64>(), 100.0);
    }
}

/// Ratios the annual reports already answer, as percentages: equity ÷ assets, loans ÷
/// assets (total assets standing in for productive assets until the report carries them),
/// and equity growth against the previous book year.
pub fn prefill_from_reports(
    this: &crate::annual_report::AnnualReport,
    previous: Option<&crate::annual_report::AnnualReport>,
) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let pct = |a: i64, b: i64| (a as f64 / b as f64 * 10000.0).round() / 100.0;
    if let (Some(ms), Some(assets)) = (this.modal_sendiri, this.assets.filter(|a| *a > 0)) {
        out.insert("modal_sendiri_per_aset".into(), pct(ms, assets));
    }
    if let (Some(loans), Some(assets)) = (this.loans_given, this.assets.filter(|a| *a > 0)) {
        out.insert("pinjaman_per_aset_produktif".into(), pct(loans, assets));
    }
    if let (Some(now), Some(before)) = (
        this.modal_sendiri,
        previous.and_then(|p| p.modal_sendiri).filter(|b| *b > 0),
    ) {
        out.insert("pertumbuhan_modal_sendiri".into(), pct(now - before, before));
    }
    out
}

#[cfg(test)]
mod prefill_tests {
    use super::*;
    use crate::annual_report::AnnualReport;

    #[test]
    fn ratios_come_from_the_reports() {
        let prev = AnnualReport {
            book_year: 2023,
            modal_sendiri: Some(1_000_000_000),
            ..Default::default()
        };
        let this = AnnualReport {
            book_year: 2024,
            modal_sendiri: Some(1_080_000_000),
            assets: Some(4_320_000_000),
            loans_given: Some(3_456_000_000),
            ..Default::default()
        };
        let p = prefill_from_reports(&this, Some(&prev));
        assert_eq!(p["modal_sendiri_per_aset"], 25.0);
        assert_eq!(p["pinjaman_per_aset_produktif"], 80.0);
        assert_eq!(p["pertumbuhan_modal_sendiri"], 8.0);
        assert!(prefill_from_reports(&AnnualReport::default(), None).is_empty());
    }
}
