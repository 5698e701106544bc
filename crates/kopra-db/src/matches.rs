//! Matchmaking from the register: builds the profiles the domain scores
//! (`kopra_domain::matchmaking`) in a few queries, and remembers dismissed proposals.
//!
//! A cooperative's products are what it is known to deal in: the commodities of the
//! coalitions it anchors, the products of its member UMKM, and the product words in its own
//! name ("Koperasi Sentra Pengrajin Boneka" deals in `boneka`). Its members and assets come
//! from its newest annual report; it is weak when its status is inactive or without data,
//! or its newest health assessment is "dalam pengawasan" (khusus).

use crate::audit::AuditEntry;
use crate::{Actor, Db, DbError, now, on_pool, write_audit};
use kopra_domain::matchmaking::{
    CooperativeProfile, Exclusions, Match, UmkmProfile, Weakness, matches_for_cooperative, matches_for_umkm,
};
use kopra_domain::neighbours::{Neighbours, neighbours_from_geojson};
use kopra_domain::umkm::normalise_tag;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

/// Kota Bekasi's kecamatan adjacency, derived once from the boundary file.
static NEIGHBOURS: LazyLock<Neighbours> = LazyLock::new(|| {
    neighbours_from_geojson(include_str!("../../../data/geo/kota_bekasi_kecamatan.geojson"), "kode").unwrap_or_default()
});

/// One proposal with the names to show.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Proposal {
    pub cooperative_id: i64,
    pub cooperative_name: String,
    pub umkm_id: i64,
    pub umkm_name: String,
    pub score: u32,
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<kopra_domain::matchmaking::Reason>,
}

type CoopRow = (
    i64,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

impl Db {
    fn umkm_profiles(records: &[crate::umkm::UmkmRecord]) -> Vec<UmkmProfile> {
        records
            .iter()
            .map(|u| UmkmProfile {
                id: u.id,
                name: u.fields.name.clone(),
                kelurahan_code: Some(u.fields.kelurahan_code.clone()),
                kecamatan_code: u.fields.kecamatan_code.clone(),
                kab_kota_code: u
                    .fields
                    .kecamatan_code
                    .rsplit_once('.')
                    .map(|(k, _)| k.to_string())
                    .unwrap_or_default(),
                tags: u.fields.products.clone(),
                kbli: u.fields.kbli.clone(),
                size_class: u.size_class,
            })
            .collect()
    }

    /// Cooperative profiles (all non-archived, or one), with the products they deal in.
    async fn cooperative_profiles(
        &self,
        only: Option<i64>,
        vocabulary: &BTreeSet<String>,
    ) -> Result<Vec<CooperativeProfile>, DbError> {
        let rows: Vec<CoopRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT c.id, c.name, c.kelurahan_code, c.kecamatan_code, c.kabkota_code, c.status, r.members_total, r.assets, \
             (SELECT h.category FROM health_assessments h WHERE h.cooperative_id = c.id ORDER BY h.id DESC LIMIT 1) \
             FROM cooperatives c LEFT JOIN annual_reports r ON r.id = (SELECT r2.id FROM annual_reports r2 WHERE r2.cooperative_id = c.id \
                 AND r2.review_status = 'verified' ORDER BY r2.book_year DESC LIMIT 1) \
             WHERE c.archived = $1 AND c.id BETWEEN $2 AND $3 ORDER BY c.id",
        ).bind(false).bind(only.unwrap_or(i64::MIN)).bind(only.unwrap_or(i64::MAX)).fetch_all(p).await)?;
        // Products from coalitions anchored and from member UMKM, in two queries.
        let commodities: Vec<(i64, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT anchor_cooperative_id, commodities FROM coalitions WHERE ($1 IS NULL OR anchor_cooperative_id = $1)",
        ).bind(only).fetch_all(p).await)?;
        let member_products: Vec<(i64, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT m.cooperative_id, u.products FROM umkm_memberships m JOIN umkm u ON u.id = m.umkm_id \
             WHERE m.left_on IS NULL AND ($1 IS NULL OR m.cooperative_id = $1)",
        ).bind(only).fetch_all(p).await)?;
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, list) in commodities.into_iter().chain(member_products) {
            let entry = tags.entry(id).or_default();
            for t in list.split(',').filter(|t| !t.is_empty()) {
                if !entry.iter().any(|e| e == t) {
                    entry.push(t.to_string());
                }
            }
        }
        Ok(rows
            .into_iter()
            .map(|(id, name, kel, kec, kabkota, status, members, assets, health)| {
                let mut own = tags.remove(&id).unwrap_or_default();
                for word in name.split(|c: char| !c.is_alphanumeric()).filter_map(normalise_tag) {
                    if vocabulary.contains(&word) && !own.contains(&word) {
                        own.push(word);
                    }
                }
                let weakness = match status.as_str() {
                    "inactive" | "dissolution_candidate" => Some(Weakness::Inactive),
                    "no_data" => Some(Weakness::NoData),
                    _ if health.as_deref().is_some_and(|h| h.starts_with("dalam_pengawasan")) => {
                        Some(Weakness::PoorHealth)
                    }
                    _ => None,
                };
                CooperativeProfile {
                    id,
                    name,
                    kelurahan_code: kel,
                    kecamatan_code: kec,
                    kab_kota_code: kabkota,
                    tags: own,
                    kbli: vec![],
                    members: members.unwrap_or(0),
                    assets,
                    weakness,
                }
            })
            .collect())
    }

    /// Pairs never to propose again: memberships, coalition members, dismissals.
    async fn match_exclusions(&self) -> Result<Exclusions, DbError> {
        let pairs: Vec<(i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT cooperative_id, umkm_id FROM umkm_memberships WHERE left_on IS NULL \
             UNION SELECT co.anchor_cooperative_id, m.umkm_id FROM coalition_members m JOIN coalitions co ON co.id = m.coalition_id \
                 WHERE m.umkm_id IS NOT NULL AND m.left_on IS NULL \
             UNION SELECT cooperative_id, umkm_id FROM match_dismissals",
        ).fetch_all(p).await)?;
        Ok(pairs.into_iter().collect())
    }

    /// UMKM to bring into a cooperative, best first, with their reasons.
    pub async fn cooperative_matches(&self, cooperative_id: i64, limit: usize) -> Result<Vec<Proposal>, DbError> {
        let coop = self.cooperative(cooperative_id).await?;
        let records = self.all_umkm().await?;
        let vocabulary: BTreeSet<String> = records.iter().flat_map(|u| u.fields.products.iter().cloned()).collect();
        let profile = self
            .cooperative_profiles(Some(cooperative_id), &vocabulary)
            .await?
            .pop()
            .ok_or(DbError::NotFound)?;
        let umkms = Self::umkm_profiles(&records);
        let names: HashMap<i64, &str> = records.iter().map(|u| (u.id, u.fields.name.as_str())).collect();
        let exclusions = self.match_exclusions().await?;
        Ok(
            matches_for_cooperative(&profile, &umkms, &NEIGHBOURS, &exclusions, limit)
                .into_iter()
                .map(|m: Match| Proposal {
                    cooperative_id,
                    cooperative_name: coop.fields.name.clone(),
                    umkm_name: names.get(&m.umkm_id).copied().unwrap_or_default().to_string(),
                    umkm_id: m.umkm_id,
                    score: m.score,
                    reasons: m.reasons,
                })
                .collect(),
        )
    }

    /// Cooperatives a UMKM could join (weak ones first in the office's interest), best first.
    pub async fn umkm_matches(&self, umkm_id: i64, limit: usize) -> Result<Vec<Proposal>, DbError> {
        let umkm = self.umkm(umkm_id).await?;
        let records = self.all_umkm().await?;
        let vocabulary: BTreeSet<String> = records.iter().flat_map(|u| u.fields.products.iter().cloned()).collect();
        let coops = self.cooperative_profiles(None, &vocabulary).await?;
        let names: HashMap<i64, String> = coops.iter().map(|c| (c.id, c.name.clone())).collect();
        let profile = Self::umkm_profiles(std::slice::from_ref(&umkm))
            .pop()
            .ok_or(DbError::NotFound)?;
        let exclusions = self.match_exclusions().await?;
        Ok(matches_for_umkm(&profile, &coops, &NEIGHBOURS, &exclusions, limit)
            .into_iter()
            .map(|m| Proposal {
                cooperative_name: names.get(&m.cooperative_id).cloned().unwrap_or_default(),
                cooperative_id: m.cooperative_id,
                umkm_id,
                umkm_name: umkm.fields.name.clone(),
                score: m.score,
                reasons: m.reasons,
            })
            .collect())
    }

    /// Dismisses a proposal; it is never proposed again.
    pub async fn dismiss_match(
        &self,
        cooperative_id: i64,
        umkm_id: i64,
        reason: Option<&str>,
        actor: &Actor,
    ) -> Result<(), DbError> {
        self.cooperative(cooperative_id).await?;
        self.umkm(umkm_id).await?;
        let t = now();
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO match_dismissals (cooperative_id, umkm_id, reason, dismissed_by, at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (cooperative_id, umkm_id) DO NOTHING")
                .bind(cooperative_id).bind(umkm_id).bind(reason.map(String::from)).bind(actor.name.clone()).bind(t)
                .execute(&mut *tx).await?;
            write_audit!(&mut *tx, actor, AuditEntry {
                action: "match.dismiss", entity_type: "cooperative", entity_id: Some(cooperative_id.to_string()),
                before: None, after: Some(json!({"umkm_id": umkm_id, "reason": reason})),
            })?;
            tx.commit().await?;
        });
        Ok(())
    }
}
