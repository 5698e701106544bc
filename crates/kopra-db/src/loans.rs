//! Soft-loan readiness from the register: the facts a channel's criteria are checked
//! against (domain.md §8), gathered for one cooperative. The criteria themselves are
//! configuration (`data/loans/*.json`), evaluated by `kopra_domain::loan::evaluate`.

use crate::{Db, DbError};
use kopra_domain::loan::{Channel, ChannelCriteria, HealthCategory, Readiness, ReadinessFacts, evaluate};
use std::sync::LazyLock;
use time::Date;

/// The readiness criteria of each channel, as shipped in `data/loans/`.
static CRITERIA: LazyLock<Vec<ChannelCriteria>> = LazyLock::new(|| {
    [
        include_str!("../../../data/loans/lpdb.json"),
        include_str!("../../../data/loans/kur.json"),
        include_str!("../../../data/loans/himbara.json"),
        include_str!("../../../data/loans/bprs.json"),
    ]
    .iter()
    .filter_map(|text| ChannelCriteria::from_json(text).ok())
    .collect()
});

/// The configured criteria of a channel (`None` for a channel without criteria).
pub fn channel_criteria(channel: Channel) -> Option<&'static ChannelCriteria> {
    CRITERIA.iter().find(|c| c.channel == channel)
}

impl Db {
    /// What the register knows about a cooperative that a lender's criteria ask about.
    pub async fn readiness_facts(&self, cooperative_id: i64, today: Date) -> Result<ReadinessFacts, DbError> {
        let c = self.cooperative(cooperative_id).await?;
        let reports = self.annual_reports(cooperative_id).await?;
        let verified: Vec<_> = reports.iter().filter(|r| r.review_status == "verified").collect();
        let last_book_year = verified
            .iter()
            .max_by_key(|r| r.report.book_year)
            .map(|r| (r.report.book_year, r.report.shu));
        let last_rat_date = verified.iter().filter_map(|r| r.report.rat_date).max();
        let health = self
            .health_assessments(cooperative_id)
            .await?
            .into_iter()
            .max_by_key(|a| a.id)
            .and_then(|a| match a.result.category.as_str() {
                "sehat" => Some(HealthCategory::Sehat),
                "cukup_sehat" => Some(HealthCategory::CukupSehat),
                "dalam_pengawasan" => Some(HealthCategory::DalamPengawasan),
                "dalam_pengawasan_khusus" => Some(HealthCategory::DalamPengawasanKhusus),
                _ => None,
            });
        let mut facts = ReadinessFacts::new(today);
        facts.has_legal_entity = c.fields.legal_entity_number.is_some();
        facts.legal_entity_number = c.fields.legal_entity_number.clone();
        facts.last_rat_date = last_rat_date;
        facts.last_book_year = last_book_year;
        facts.nik = c.fields.nik.clone();
        facts.office_address = c.fields.address.clone();
        facts.business_started = c.fields.legal_entity_date;
        facts.active = Some(c.status == "active");
        facts.health_category = health;
        Ok(facts)
    }

    /// A cooperative's readiness for a channel: each criterion met or missing, in words.
    pub async fn loan_readiness(
        &self,
        cooperative_id: i64,
        channel: Channel,
        today: Date,
    ) -> Result<Option<Readiness>, DbError> {
        let Some(criteria) = channel_criteria(channel) else {
            return Ok(None);
        };
        let facts = self.readiness_facts(cooperative_id, today).await?;
        Ok(Some(evaluate(criteria, &facts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_channel_file_parses() {
        for channel in [Channel::Lpdb, Channel::Kur, Channel::Himbara, Channel::Bprs] {
            assert!(channel_criteria(channel).is_some(), "{channel:?}");
        }
    }
}
