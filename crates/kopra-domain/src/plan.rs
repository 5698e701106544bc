//! The activation plan (RPJMD): from a baseline year to a target share of active
//! cooperatives over a horizon, in yearly milestones (domain.md §5: Kota Bekasi's goal is
//! at least 65% within five years, in steps).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Plan {
    pub baseline_year: i32,
    /// The activation rate in the baseline year (0..1), where the line starts; `None`
    /// means "as measured on 31 December of the baseline year".
    #[serde(default)]
    pub baseline_rate: Option<f64>,
    pub target_rate: f64,
    pub horizon_years: i32,
    /// Milestones set by hand, replacing the linear ones for those years.
    #[serde(default)]
    pub milestone_overrides: Vec<Milestone>,
    /// supervised (default) or all
    pub scope: String,
    /// Final target rates for some kecamatan (code → rate); the others follow the city's.
    #[serde(default)]
    pub kecamatan_targets: std::collections::BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Milestone {
    pub year: i32,
    pub target_rate: f64,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            baseline_year: 2025,
            baseline_rate: None,
            target_rate: 0.65,
            horizon_years: 5,
            milestone_overrides: vec![],
            scope: "supervised".into(),
            kecamatan_targets: Default::default(),
        }
    }
}

/// Why a plan was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanError {
    TargetRate,
    Horizon,
    BaselineYear,
    Scope,
}

impl Plan {
    pub fn validate(&self) -> Result<(), (&'static str, PlanError)> {
        if !(0.0..=1.0).contains(&self.target_rate) || self.baseline_rate.is_some_and(|r| !(0.0..=1.0).contains(&r)) {
            return Err(("target_rate", PlanError::TargetRate));
        }
        if !(1..=20).contains(&self.horizon_years) {
            return Err(("horizon_years", PlanError::Horizon));
        }
        if !(2000..=2100).contains(&self.baseline_year) {
            return Err(("baseline_year", PlanError::BaselineYear));
        }
        if self.scope != "supervised" && self.scope != "all" {
            return Err(("scope", PlanError::Scope));
        }
        if self.kecamatan_targets.values().any(|r| !(0.0..=1.0).contains(r)) {
            return Err(("kecamatan_targets", PlanError::TargetRate));
        }
        for m in &self.milestone_overrides {
            if !(0.0..=1.0).contains(&m.target_rate) {
                return Err(("milestones", PlanError::TargetRate));
            }
        }
        Ok(())
    }

    /// One milestone per year after the baseline, phased linearly from the baseline rate
    /// (given, or `measured_baseline`) to the target unless set by hand; rounded to 0.1
    /// percentage point.
    pub fn milestones(&self, measured_baseline: f64) -> Vec<Milestone> {
        let start = self.baseline_rate.unwrap_or(measured_baseline);
        (1..=self.horizon_years)
            .map(|i| {
                let year = self.baseline_year + i;
                let linear = start + (self.target_rate - start) * f64::from(i) / f64::from(self.horizon_years);
                let rate = self
                    .milestone_overrides
                    .iter()
                    .find(|m| m.year == year)
                    .map_or(linear, |m| m.target_rate);
                Milestone {
                    year,
                    target_rate: (rate * 1000.0).round() / 1000.0,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestones_climb_linearly_to_the_target() {
        // Kota Bekasi: about 60% active in 2019, at least 65% within five years.
        let p = Plan {
            baseline_year: 2019,
            ..Plan::default()
        };
        let m: Vec<(i32, f64)> = p.milestones(0.60).iter().map(|m| (m.year, m.target_rate)).collect();
        assert_eq!(
            m,
            vec![(2020, 0.61), (2021, 0.62), (2022, 0.63), (2023, 0.64), (2024, 0.65)]
        );
    }

    #[test]
    fn a_milestone_set_by_hand_replaces_the_linear_one() {
        let p = Plan {
            baseline_year: 2025,
            baseline_rate: Some(0.15),
            milestone_overrides: vec![Milestone {
                year: 2026,
                target_rate: 0.2,
            }],
            ..Plan::default()
        };
        let m = p.milestones(0.5);
        assert_eq!(m[0].target_rate, 0.2);
        assert_eq!(
            m[4],
            Milestone {
                year: 2030,
                target_rate: 0.65
            }
        );
    }

    #[test]
    fn a_kecamatan_with_its_own_target_is_phased_like_the_city() {
        let mut p = Plan {
            baseline_year: 2025,
            baseline_rate: Some(0.15),
            ..Plan::default()
        };
        p.kecamatan_targets.insert("32.75.07".into(), 0.40);
        // The city goes 0.15 → 0.65 (0.25 in 2026, a fifth of the way); Bantargebang 0.15 → 0.40.
        assert_eq!(p.kecamatan_milestone("32.75.07", 2026, 0.0), Some(0.2));
        assert_eq!(p.kecamatan_milestone("32.75.07", 2030, 0.0), Some(0.4));
        assert_eq!(p.kecamatan_milestone("32.75.04", 2026, 0.0), Some(0.25));
        p.kecamatan_targets.insert("32.75.01".into(), 1.2);
        assert!(p.validate().is_err());
    }

    #[test]
    fn nonsense_plans_are_refused() {
        assert!(
            Plan {
                target_rate: 1.5,
                ..Plan::default()
            }
            .validate()
            .is_err()
        );
        assert!(
            Plan {
                horizon_years: 0,
                ..Plan::default()
            }
            .validate()
            .is_err()
        );
        assert!(
            Plan {
                scope: "semua".into(),
                ..Plan::default()
            }
            .validate()
            .is_err()
        );
        assert!(Plan::default().validate().is_ok());
    }
}

/// Where the plan stands at the pace of the last twelve months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Projection {
    /// Net change in active cooperatives per month over the last 12 months.
    pub pace_per_month: f64,
    /// Active cooperatives still needed to reach the target share of those registered now.
    pub still_needed: i64,
    /// The month the target is reached at that pace (`YYYY-MM`), or `None` when the pace is
    /// not positive (never, at this pace) — or already reached (`still_needed` = 0).
    pub reached_in: Option<String>,
    /// Activations per month needed to reach the target by the plan's end.
    pub needed_per_month: Option<f64>,
    /// Months left until the end of the plan (31 December of its last year).
    pub months_left: i64,
}

impl Plan {
    /// A kecamatan's milestone for `year`: its own final target phased like the city's
    /// (same start, same share of the way each year), or the city's milestone.
    pub fn kecamatan_milestone(&self, code: &str, year: i32, measured_baseline: f64) -> Option<f64> {
        let city = self.milestones(measured_baseline);
        let m = city.iter().find(|m| m.year == year).or_else(|| {
            if year < self.baseline_year {
                city.first()
            } else {
                city.last()
            }
        })?;
        match self.kecamatan_targets.get(code) {
            None => Some(m.target_rate),
            Some(target) => {
                let start = self.baseline_rate.unwrap_or(measured_baseline);
                let share = if (self.target_rate - start).abs() < f64::EPSILON {
                    1.0
                } else {
                    (m.target_rate - start) / (self.target_rate - start)
                };
                Some(((start + (target - start) * share) * 1000.0).round() / 1000.0)
            }
        }
    }

    /// The projection, from today's counts and the active count twelve months ago.
    pub fn projection(
        &self,
        today: time::Date,
        active_now: i64,
        registered_now: i64,
        active_a_year_ago: i64,
    ) -> Projection {
        let pace = (active_now - active_a_year_ago) as f64 / 12.0;
        let target_count = (self.target_rate * registered_now as f64).ceil() as i64;
        let still_needed = (target_count - active_now).max(0);
        let end_year = self.baseline_year + self.horizon_years;
        let months_left = (i64::from(end_year - today.year()) * 12 + 12 - i64::from(u8::from(today.month()))).max(0);
        let reached_in = (still_needed > 0 && pace > 0.0).then(|| {
            let months = (still_needed as f64 / pace).ceil() as i64;
            let total = i64::from(today.year()) * 12 + i64::from(u8::from(today.month())) - 1 + months;
            format!("{}-{:02}", total / 12, total % 12 + 1)
        });
        let needed_per_month = (still_needed > 0 && months_left > 0)
            .then(|| (still_needed as f64 / months_left as f64 * 10.0).round() / 10.0);
        Projection {
            pace_per_month: (pace * 10.0).round() / 10.0,
            still_needed,
            reached_in,
            needed_per_month,
            months_left,
        }
    }
}

#[cfg(test)]
mod projection_tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn at_the_current_pace_the_target_is_reached_in_a_known_month() {
        // 780 registered, 65% → 507 needed; 300 active now, 276 a year ago: 2 a month.
        let p = Plan {
            baseline_year: 2025,
            horizon_years: 5,
            ..Plan::default()
        };
        let pr = p.projection(date!(2026 - 11 - 29), 300, 780, 276);
        assert_eq!(pr.pace_per_month, 2.0);
        assert_eq!(pr.still_needed, 207);
        // 207 / 2 = 103.5 → 104 months after November 2026: July 2035.
        assert_eq!(pr.reached_in.as_deref(), Some("2035-07"));
        // The plan ends on 31 December 2030: 49 months left, 207 / 49 ≈ 4.2 a month.
        assert_eq!(pr.months_left, 49);
        assert_eq!(pr.needed_per_month, Some(4.2));
    }

    #[test]
    fn a_shrinking_count_never_reaches_the_target_and_a_met_target_needs_nothing() {
        let p = Plan::default();
        let falling = p.projection(date!(2026 - 11 - 29), 80, 780, 96);
        assert_eq!((falling.reached_in, falling.pace_per_month < 0.0), (None, true));
        let met = p.projection(date!(2026 - 11 - 29), 600, 780, 590);
        assert_eq!(
            (met.still_needed, met.reached_in, met.needed_per_month),
            (0, None, None)
        );
    }
}
