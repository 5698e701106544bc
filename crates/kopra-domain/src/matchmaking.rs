//! Proposals pairing weak cooperatives with UMKM (domain.md §11: the office brings small
//! businesses into cooperatives to form joint buying and selling coalitions; clusters such
//! as the doll makers around Bantargebang). Pure scoring: callers pass in the profiles, the
//! neighbouring kecamatan (`neighbours`, §10) and the pairs never to propose.
//!
//! The score is 0–100, the sum of these parts (our design, not a regulation):
//!
//! | part | points |
//! |---|---|
//! | shared products/commodities (tags) | 1 tag 25, 2 tags 33, 3 or more 40 |
//! | KBLI 2020 | a shared 5-digit code 15; else a shared 2-digit golongan pokok 7 |
//! | distance | same kelurahan 20, same kecamatan 14, neighbouring kecamatan 8, same kab/kota 3 |
//! | cooperative capacity | members ≥ 200: 7, ≥ 100: 6, ≥ 50: 4, ≥ 20: 2; assets ≥ Rp1 bn: +3, ≥ Rp100 m: +2, ≥ Rp10 m: +1; at most 10 |
//! | UMKM size class | mikro 10, kecil 10, menengah 4, besar 0, unknown 0 |
//! | the cooperative is weak (inactive, no data, poor health) | 5 |
//!
//! A pair is proposed only when its score is at least [`MIN_SCORE`] **and** it has a
//! substantive reason: a shared product, a shared KBLI code or golongan pokok, or proximity
//! (same kelurahan, same kecamatan or neighbouring kecamatan; the same kab/kota alone is
//! not enough). Pairs in [`Exclusions`] (already members, or dismissed) are never proposed.
//!
//! Tags must already be normalised ([`crate::umkm::normalise_tag`]); they are compared
//! exactly. The side that is fixed (the cooperative in [`matches_for_cooperative`]) is
//! prepared once into hash sets; the loop over the other side allocates nothing, and the
//! reasons are built only for the pairs returned.

use crate::neighbours::Neighbours;
use crate::umkm::SizeClass;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The lowest score proposed.
pub const MIN_SCORE: u32 = 20;

/// Why a cooperative counts as weak: what the office wants to strengthen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weakness {
    /// Status inactive or dissolution candidate (domain.md §5).
    Inactive,
    /// No RAT on record.
    NoData,
    /// Health category Dalam Pengawasan or Dalam Pengawasan Khusus (domain.md §6).
    PoorHealth,
}

impl Weakness {
    pub fn as_str(self) -> &'static str {
        match self {
            Weakness::Inactive => "inactive",
            Weakness::NoData => "no_data",
            Weakness::PoorHealth => "poor_health",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CooperativeProfile {
    pub id: i64,
    pub name: String,
    /// Kemendagri codes (domain.md §10).
    pub kelurahan_code: Option<String>,
    pub kecamatan_code: String,
    pub kab_kota_code: String,
    /// Products and commodities, normalised.
    pub tags: Vec<String>,
    /// KBLI 2020 codes, 5 digits.
    pub kbli: Vec<String>,
    pub members: i64,
    pub assets: Option<i64>,
    /// Set when the cooperative is weak.
    pub weakness: Option<Weakness>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UmkmProfile {
    pub id: i64,
    pub name: String,
    pub kelurahan_code: Option<String>,
    pub kecamatan_code: String,
    pub kab_kota_code: String,
    pub tags: Vec<String>,
    pub kbli: Vec<String>,
    pub size_class: Option<SizeClass>,
}

/// Pairs `(cooperative_id, umkm_id)` never proposed: the UMKM is already a member, or an
/// officer dismissed the proposal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusions {
    pairs: HashSet<(i64, i64)>,
}

impl Exclusions {
    pub fn new() -> Exclusions {
        Exclusions::default()
    }

    pub fn insert(&mut self, cooperative_id: i64, umkm_id: i64) {
        self.pairs.insert((cooperative_id, umkm_id));
    }

    pub fn contains(&self, cooperative_id: i64, umkm_id: i64) -> bool {
        self.pairs.contains(&(cooperative_id, umkm_id))
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

impl FromIterator<(i64, i64)> for Exclusions {
    fn from_iter<T: IntoIterator<Item = (i64, i64)>>(iter: T) -> Self {
        Exclusions {
            pairs: iter.into_iter().collect(),
        }
    }
}

/// One reason a pair fits. [`Reason::code`] is stable; the web layer may render its own
/// words or use [`Reason::describe_id`] / [`Reason::describe_en`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Products/commodities both have, in the cooperative's order.
    SharedProducts {
        products: Vec<String>,
    },
    /// KBLI codes both have.
    SameKbli {
        codes: Vec<String>,
    },
    /// No KBLI code in common, but the same golongan pokok (2 digits).
    SameKbliDivision {
        divisions: Vec<String>,
    },
    SameKelurahan,
    SameKecamatan,
    NeighbouringKecamatan,
    SameCity,
    /// The cooperative can take members in.
    CooperativeCapacity {
        members: i64,
        assets: Option<i64>,
    },
    /// The UMKM's size fits a cooperative.
    SizeFits {
        size_class: SizeClass,
    },
    /// The cooperative is weak: the office wants it strengthened.
    CooperativeWeak {
        weakness: Weakness,
    },
}

impl Reason {
    /// A stable code (message key suffix).
    pub fn code(&self) -> &'static str {
        match self {
            Reason::SharedProducts { .. } => "shared_products",
            Reason::SameKbli { .. } => "same_kbli",
            Reason::SameKbliDivision { .. } => "same_kbli_division",
            Reason::SameKelurahan => "same_kelurahan",
            Reason::SameKecamatan => "same_kecamatan",
            Reason::NeighbouringKecamatan => "neighbouring_kecamatan",
            Reason::SameCity => "same_city",
            Reason::CooperativeCapacity { .. } => "cooperative_capacity",
            Reason::SizeFits { .. } => "size_fits",
            Reason::CooperativeWeak { .. } => "cooperative_weak",
        }
    }

    /// A sentence in Bahasa Indonesia.
    pub fn describe_id(&self) -> String {
        match self {
            Reason::SharedProducts { products } => format!("Produk sama: {}", products.join(", ")),
            Reason::SameKbli { codes } => format!("KBLI sama: {}", codes.join(", ")),
            Reason::SameKbliDivision { divisions } => {
                format!("Golongan pokok KBLI sama: {}", divisions.join(", "))
            }
            Reason::SameKelurahan => "Satu kelurahan".to_string(),
            Reason::SameKecamatan => "Satu kecamatan".to_string(),
            Reason::NeighbouringKecamatan => "Kecamatan bertetangga".to_string(),
            Reason::SameCity => "Satu kabupaten/kota".to_string(),
            Reason::CooperativeCapacity { members, .. } => {
                format!("Koperasi mampu menampung: {members} anggota")
            }
            Reason::SizeFits { size_class } => format!("Skala usaha cocok: {}", size_class.as_str()),
            Reason::CooperativeWeak { weakness } => match weakness {
                Weakness::Inactive => "Koperasi tidak aktif — perlu diperkuat",
                Weakness::NoData => "Koperasi tanpa data RAT — perlu diperkuat",
                Weakness::PoorHealth => "Kesehatan koperasi rendah — perlu diperkuat",
            }
            .to_string(),
        }
    }

    /// A sentence in English (official Indonesian terms kept).
    pub fn describe_en(&self) -> String {
        match self {
            Reason::SharedProducts { products } => format!("Same products: {}", products.join(", ")),
            Reason::SameKbli { codes } => format!("Same KBLI code: {}", codes.join(", ")),
            Reason::SameKbliDivision { divisions } => format!("Same KBLI division: {}", divisions.join(", ")),
            Reason::SameKelurahan => "Same kelurahan".to_string(),
            Reason::SameKecamatan => "Same kecamatan".to_string(),
            Reason::NeighbouringKecamatan => "Neighbouring kecamatan".to_string(),
            Reason::SameCity => "Same kab/kota".to_string(),
            Reason::CooperativeCapacity { members, .. } => {
                format!("Cooperative can take members in: {members} members")
            }
            Reason::SizeFits { size_class } => format!("Business size fits: {}", size_class.as_str()),
            Reason::CooperativeWeak { weakness } => match weakness {
                Weakness::Inactive => "Cooperative inactive — needs strengthening",
                Weakness::NoData => "Cooperative has no RAT on record — needs strengthening",
                Weakness::PoorHealth => "Cooperative in poor health — needs strengthening",
            }
            .to_string(),
        }
    }
}

/// A proposed pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    pub cooperative_id: i64,
    pub umkm_id: i64,
    /// 0–100.
    pub score: u32,
    /// Strongest first: products, KBLI, distance, capacity, size, weakness.
    pub reasons: Vec<Reason>,
}

/// How near two places are, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Distance {
    SameKelurahan,
    SameKecamatan,
    Neighbouring,
    SameCity,
    Far,
}

/// The counted facts of a pair, from which the score follows.
#[derive(Debug, Clone, Copy)]
struct Parts {
    shared_tags: usize,
    shared_kbli: usize,
    shared_division: bool,
    distance: Distance,
}

fn tag_points(shared: usize) -> u32 {
    match shared {
        0 => 0,
        1 => 25,
        2 => 33,
        _ => 40,
    }
}

fn distance_points(d: Distance) -> u32 {
    match d {
        Distance::SameKelurahan => 20,
        Distance::SameKecamatan => 14,
        Distance::Neighbouring => 8,
        Distance::SameCity => 3,
        Distance::Far => 0,
    }
}

fn capacity_points(members: i64, assets: Option<i64>) -> u32 {
    let by_members = match members {
        200.. => 7,
        100.. => 6,
        50.. => 4,
        20.. => 2,
        _ => 0,
    };
    let by_assets = match assets.unwrap_or(0) {
        1_000_000_000.. => 3,
        100_000_000.. => 2,
        10_000_000.. => 1,
        _ => 0,
    };
    (by_members + by_assets).min(10)
}

fn size_points(size: Option<SizeClass>) -> u32 {
    match size {
        Some(SizeClass::Mikro | SizeClass::Kecil) => 10,
        Some(SizeClass::Menengah) => 4,
        Some(SizeClass::Besar) | None => 0,
    }
}

const WEAKNESS_POINTS: u32 = 5;

/// The cooperative's own points (capacity and weakness): the same for every UMKM.
fn cooperative_points(coop: &CooperativeProfile) -> u32 {
    capacity_points(coop.members, coop.assets) + if coop.weakness.is_some() { WEAKNESS_POINTS } else { 0 }
}

fn pair_points(parts: Parts) -> u32 {
    let kbli = if parts.shared_kbli > 0 {
        15
    } else if parts.shared_division {
        7
    } else {
        0
    };
    tag_points(parts.shared_tags) + kbli + distance_points(parts.distance)
}

fn substantive(parts: Parts) -> bool {
    parts.shared_tags > 0
        || parts.shared_kbli > 0
        || parts.shared_division
        || matches!(
            parts.distance,
            Distance::SameKelurahan | Distance::SameKecamatan | Distance::Neighbouring
        )
}

/// One side of the pairing, prepared once: its tags, KBLI codes and divisions as sets and
/// its place.
struct Prepared<'a> {
    tags: HashSet<&'a str>,
    kbli: HashSet<&'a str>,
    divisions: HashSet<&'a str>,
    kelurahan: Option<&'a str>,
    kecamatan: &'a str,
    kab_kota: &'a str,
    neighbouring: &'a [String],
}

impl<'a> Prepared<'a> {
    fn new(
        tags: &'a [String],
        kbli: &'a [String],
        kelurahan: Option<&'a str>,
        kecamatan: &'a str,
        kab_kota: &'a str,
        neighbours: &'a Neighbours,
    ) -> Self {
        Prepared {
            tags: tags.iter().map(String::as_str).collect(),
            kbli: kbli.iter().map(String::as_str).collect(),
            divisions: kbli.iter().filter_map(|k| division(k)).collect(),
            kelurahan,
            kecamatan,
            kab_kota,
            neighbouring: neighbours.of(kecamatan),
        }
    }

    /// The parts of a pair with the other side's raw fields; allocates nothing.
    fn parts(
        &self,
        tags: &[String],
        kbli: &[String],
        kelurahan: Option<&str>,
        kecamatan: &str,
        kab_kota: &str,
    ) -> Parts {
        Parts {
            shared_tags: count_shared(&self.tags, tags),
            shared_kbli: count_shared(&self.kbli, kbli),
            shared_division: kbli
                .iter()
                .any(|k| division(k).is_some_and(|d| self.divisions.contains(d))),
            distance: self.distance(kelurahan, kecamatan, kab_kota),
        }
    }

    fn distance(&self, kelurahan: Option<&str>, kecamatan: &str, kab_kota: &str) -> Distance {
        if self.kelurahan.is_some() && self.kelurahan == kelurahan {
            Distance::SameKelurahan
        } else if self.kecamatan == kecamatan {
            Distance::SameKecamatan
        } else if self.neighbouring.iter().any(|n| n == kecamatan) {
            Distance::Neighbouring
        } else if self.kab_kota == kab_kota {
            Distance::SameCity
        } else {
            Distance::Far
        }
    }
}

fn division(kbli: &str) -> Option<&str> {
    kbli.get(..2).filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
}

/// How many distinct items of `items` are in `set`.
fn count_shared(set: &HashSet<&str>, items: &[String]) -> usize {
    items
        .iter()
        .enumerate()
        .filter(|(i, t)| set.contains(t.as_str()) && !items[..*i].contains(t))
        .count()
}

/// Distinct items of `ours` (in its order) also in `theirs`.
fn shared_in_order(ours: &[String], theirs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in ours {
        if theirs.contains(t) && !out.contains(t) {
            out.push(t.clone());
        }
    }
    out
}

/// The score and reasons of one pair, whether or not it would be proposed (for a page
/// explaining a pair); [`proposable`] tells whether it would be. Exclusions are not
/// consulted here.
pub fn score_pair(coop: &CooperativeProfile, umkm: &UmkmProfile, neighbours: &Neighbours) -> Match {
    let prepared = prepare_cooperative(coop, neighbours);
    let parts = prepared.parts(
        &umkm.tags,
        &umkm.kbli,
        umkm.kelurahan_code.as_deref(),
        &umkm.kecamatan_code,
        &umkm.kab_kota_code,
    );
    build_match(coop, umkm, parts)
}

/// True when a scored pair meets the proposal rule (score and a substantive reason).
pub fn proposable(m: &Match) -> bool {
    m.score >= MIN_SCORE
        && m.reasons.iter().any(|r| {
            matches!(
                r,
                Reason::SharedProducts { .. }
                    | Reason::SameKbli { .. }
                    | Reason::SameKbliDivision { .. }
                    | Reason::SameKelurahan
                    | Reason::SameKecamatan
                    | Reason::NeighbouringKecamatan
            )
        })
}

fn prepare_cooperative<'a>(coop: &'a CooperativeProfile, neighbours: &'a Neighbours) -> Prepared<'a> {
    Prepared::new(
        &coop.tags,
        &coop.kbli,
        coop.kelurahan_code.as_deref(),
        &coop.kecamatan_code,
        &coop.kab_kota_code,
        neighbours,
    )
}

fn build_match(coop: &CooperativeProfile, umkm: &UmkmProfile, parts: Parts) -> Match {
    let mut reasons = Vec::new();
    if parts.shared_tags > 0 {
        reasons.push(Reason::SharedProducts {
            products: shared_in_order(&coop.tags, &umkm.tags),
        });
    }
    if parts.shared_kbli > 0 {
        reasons.push(Reason::SameKbli {
            codes: shared_in_order(&coop.kbli, &umkm.kbli),
        });
    } else if parts.shared_division {
        let ours: Vec<String> = coop
            .kbli
            .iter()
            .filter_map(|k| division(k))
            .map(str::to_string)
            .collect();
        let theirs: Vec<String> = umkm
            .kbli
            .iter()
            .filter_map(|k| division(k))
            .map(str::to_string)
            .collect();
        reasons.push(Reason::SameKbliDivision {
            divisions: shared_in_order(&ours, &theirs),
        });
    }
    match parts.distance {
        Distance::SameKelurahan => reasons.push(Reason::SameKelurahan),
        Distance::SameKecamatan => reasons.push(Reason::SameKecamatan),
        Distance::Neighbouring => reasons.push(Reason::NeighbouringKecamatan),
        Distance::SameCity => reasons.push(Reason::SameCity),
        Distance::Far => {}
    }
    if capacity_points(coop.members, coop.assets) > 0 {
        reasons.push(Reason::CooperativeCapacity {
            members: coop.members,
            assets: coop.assets,
        });
    }
    if let Some(size_class) = umkm.size_class.filter(|s| size_points(Some(*s)) > 0) {
        reasons.push(Reason::SizeFits { size_class });
    }
    if let Some(weakness) = coop.weakness {
        reasons.push(Reason::CooperativeWeak { weakness });
    }
    Match {
        cooperative_id: coop.id,
        umkm_id: umkm.id,
        score: (pair_points(parts) + cooperative_points(coop) + size_points(umkm.size_class)).min(100),
        reasons,
    }
}

/// The best UMKM for one cooperative, at most `limit`, best first (ties by UMKM id).
pub fn matches_for_cooperative(
    coop: &CooperativeProfile,
    umkms: &[UmkmProfile],
    neighbours: &Neighbours,
    exclusions: &Exclusions,
    limit: usize,
) -> Vec<Match> {
    let prepared = prepare_cooperative(coop, neighbours);
    let fixed = cooperative_points(coop);
    // (score, umkm id, index), no allocation per UMKM beyond this vector.
    let mut candidates: Vec<(u32, i64, usize)> = Vec::new();
    for (i, u) in umkms.iter().enumerate() {
        if exclusions.contains(coop.id, u.id) {
            continue;
        }
        let parts = prepared.parts(
            &u.tags,
            &u.kbli,
            u.kelurahan_code.as_deref(),
            &u.kecamatan_code,
            &u.kab_kota_code,
        );
        if !substantive(parts) {
            continue;
        }
        let score = (pair_points(parts) + fixed + size_points(u.size_class)).min(100);
        if score >= MIN_SCORE {
            candidates.push((score, u.id, i));
        }
    }
    candidates.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates
        .into_iter()
        .take(limit)
        .map(|(_, _, i)| {
            let u = &umkms[i];
            build_match(
                coop,
                u,
                prepared.parts(
                    &u.tags,
                    &u.kbli,
                    u.kelurahan_code.as_deref(),
                    &u.kecamatan_code,
                    &u.kab_kota_code,
                ),
            )
        })
        .collect()
}

/// The best cooperatives for one UMKM, at most `limit`, best first (ties by cooperative
/// id). All cooperatives given are considered; pass only the weak ones to propose those.
pub fn matches_for_umkm(
    umkm: &UmkmProfile,
    coops: &[CooperativeProfile],
    neighbours: &Neighbours,
    exclusions: &Exclusions,
    limit: usize,
) -> Vec<Match> {
    let prepared = Prepared::new(
        &umkm.tags,
        &umkm.kbli,
        umkm.kelurahan_code.as_deref(),
        &umkm.kecamatan_code,
        &umkm.kab_kota_code,
        neighbours,
    );
    let size = size_points(umkm.size_class);
    let mut candidates: Vec<(u32, i64, usize)> = Vec::new();
    for (i, c) in coops.iter().enumerate() {
        if exclusions.contains(c.id, umkm.id) {
            continue;
        }
        // Tags, KBLI and distance are symmetric, so the UMKM's prepared side serves.
        let parts = prepared.parts(
            &c.tags,
            &c.kbli,
            c.kelurahan_code.as_deref(),
            &c.kecamatan_code,
            &c.kab_kota_code,
        );
        if !substantive(parts) {
            continue;
        }
        let score = (pair_points(parts) + cooperative_points(c) + size).min(100);
        if score >= MIN_SCORE {
            candidates.push((score, c.id, i));
        }
    }
    candidates.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates
        .into_iter()
        .take(limit)
        .map(|(_, _, i)| score_pair(&coops[i], umkm, neighbours))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANTARGEBANG: &str = "32.75.07";
    const KEL_BANTARGEBANG: &str = "32.75.07.1003";
    const MUSTIKA_JAYA: &str = "32.75.11";
    const MEDAN_SATRIA: &str = "32.75.06";
    const BEKASI: &str = "32.75";

    fn tags(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    fn bekasi_neighbours() -> Neighbours {
        crate::neighbours::neighbours_from_geojson(
            include_str!("../../../data/geo/kota_bekasi_kecamatan.geojson"),
            "kode",
        )
        .unwrap()
    }

    fn doll_cooperative() -> CooperativeProfile {
        CooperativeProfile {
            id: 21,
            name: "Koperasi Sentra Pengrajin Boneka".into(),
            kelurahan_code: Some(KEL_BANTARGEBANG.into()),
            kecamatan_code: BANTARGEBANG.into(),
            kab_kota_code: BEKASI.into(),
            tags: tags(&["boneka", "dakron"]),
            kbli: tags(&["32402"]),
            members: 45,
            assets: Some(150_000_000),
            weakness: Some(Weakness::Inactive),
        }
    }

    fn umkm(id: i64, kelurahan: Option<&str>, kecamatan: &str, t: &[&str], kbli: &[&str]) -> UmkmProfile {
        UmkmProfile {
            id,
            name: format!("UMKM {id}"),
            kelurahan_code: kelurahan.map(str::to_string),
            kecamatan_code: kecamatan.into(),
            kab_kota_code: BEKASI.into(),
            tags: tags(t),
            kbli: tags(kbli),
            size_class: Some(SizeClass::Mikro),
        }
    }

    fn candidates() -> Vec<UmkmProfile> {
        vec![
            // A food producer in the same kelurahan.
            umkm(
                1,
                Some(KEL_BANTARGEBANG),
                BANTARGEBANG,
                &["keripik singkong"],
                &["10794"],
            ),
            // A doll maker in neighbouring Mustika Jaya.
            umkm(
                2,
                Some("32.75.11.1001"),
                MUSTIKA_JAYA,
                &["boneka", "dakron"],
                &["32402"],
            ),
            // A doll maker in the same kelurahan.
            umkm(
                3,
                Some(KEL_BANTARGEBANG),
                BANTARGEBANG,
                &["boneka", "dakron", "kain"],
                &["32402"],
            ),
            // A shoe maker in Medan Satria: nothing in common, not close.
            umkm(4, Some("32.75.06.1001"), MEDAN_SATRIA, &["sepatu"], &["15201"]),
        ]
    }

    #[test]
    fn doll_makers_nearby_come_first() {
        let coop = doll_cooperative();
        let found = matches_for_cooperative(&coop, &candidates(), &bekasi_neighbours(), &Exclusions::new(), 10);
        let order: Vec<i64> = found.iter().map(|m| m.umkm_id).collect();
        assert_eq!(order, [3, 2, 1]);
        // Same kelurahan: 33 (2 tags) + 15 (KBLI) + 20 + capacity 4 (45 members, Rp150 m)
        // + 10 (mikro) + 5 (inactive) = 87.
        assert_eq!(found[0].score, 87);
        assert_eq!(
            found[0].reasons,
            [
                Reason::SharedProducts {
                    products: tags(&["boneka", "dakron"])
                },
                Reason::SameKbli {
                    codes: tags(&["32402"])
                },
                Reason::SameKelurahan,
                Reason::CooperativeCapacity {
                    members: 45,
                    assets: Some(150_000_000)
                },
                Reason::SizeFits {
                    size_class: SizeClass::Mikro
                },
                Reason::CooperativeWeak {
                    weakness: Weakness::Inactive
                },
            ]
        );
        assert_eq!(found[0].reasons[0].describe_id(), "Produk sama: boneka, dakron");
        assert_eq!(found[0].reasons[0].describe_en(), "Same products: boneka, dakron");
        assert_eq!(found[0].reasons[0].code(), "shared_products");
        // Neighbouring kecamatan: 33 + 15 + 8 + 4 + 10 + 5 = 75.
        assert_eq!(found[1].score, 75);
        assert!(found[1].reasons.contains(&Reason::NeighbouringKecamatan));
        // Same kelurahan, different trade: 20 + 4 + 10 + 5 = 39, still a proposal.
        assert_eq!(found[2].score, 39);
        assert!(!found[2].reasons.iter().any(|r| r.code() == "shared_products"));
        // The Medan Satria shoe maker has no substantive reason.
        let shoe = score_pair(&coop, &candidates()[3], &bekasi_neighbours());
        assert_eq!(shoe.score, 3 + 4 + 10 + 5);
        assert!(!proposable(&shoe));
        assert!(proposable(&found[2]));
    }

    #[test]
    fn excluded_pairs_are_never_proposed() {
        let coop = doll_cooperative();
        let exclusions: Exclusions = [(21, 3), (99, 2)].into_iter().collect();
        let found = matches_for_cooperative(&coop, &candidates(), &bekasi_neighbours(), &exclusions, 10);
        assert_eq!(found.iter().map(|m| m.umkm_id).collect::<Vec<_>>(), [2, 1]);
        let for_umkm = matches_for_umkm(&candidates()[2], &[coop], &bekasi_neighbours(), &exclusions, 10);
        assert!(for_umkm.is_empty());
    }

    #[test]
    fn both_directions_agree() {
        let coop = doll_cooperative();
        let other = CooperativeProfile {
            id: 5,
            name: "KSU Makmur".into(),
            kelurahan_code: None,
            kecamatan_code: MEDAN_SATRIA.into(),
            kab_kota_code: BEKASI.into(),
            tags: tags(&["sepatu", "boneka"]),
            kbli: tags(&["32409"]),
            members: 250,
            assets: Some(2_000_000_000),
            weakness: None,
        };
        let doll_maker = &candidates()[1];
        let n = bekasi_neighbours();
        let found = matches_for_umkm(doll_maker, &[other.clone(), coop.clone()], &n, &Exclusions::new(), 10);
        assert_eq!(found.iter().map(|m| m.cooperative_id).collect::<Vec<_>>(), [21, 5]);
        let from_coop = matches_for_cooperative(&coop, &candidates(), &n, &Exclusions::new(), 10);
        let same = from_coop.iter().find(|m| m.umkm_id == doll_maker.id).unwrap();
        assert_eq!(same, &found[0]);
        // Medan Satria and Mustika Jaya: 25 (boneka) + 7 (KBLI division 32) + 3 (same city)
        // + 10 (capacity) + 10 (mikro) = 55.
        assert_eq!(found[1].score, 55);
        assert_eq!(
            found[1].reasons[1],
            Reason::SameKbliDivision {
                divisions: tags(&["32"])
            }
        );
        assert_eq!(found[1].reasons[1].describe_id(), "Golongan pokok KBLI sama: 32");
        assert_eq!(found[1].reasons[2].describe_id(), "Satu kabupaten/kota");
        // The limit holds.
        assert_eq!(
            matches_for_umkm(doll_maker, &[other, coop], &n, &Exclusions::new(), 1).len(),
            1
        );
    }

    #[test]
    fn reasons_render_in_both_languages() {
        let weak = Reason::CooperativeWeak {
            weakness: Weakness::Inactive,
        };
        assert_eq!(weak.describe_id(), "Koperasi tidak aktif — perlu diperkuat");
        assert_eq!(weak.describe_en(), "Cooperative inactive — needs strengthening");
        assert_eq!(Reason::NeighbouringKecamatan.describe_id(), "Kecamatan bertetangga");
        assert_eq!(Reason::SameKelurahan.describe_id(), "Satu kelurahan");
        assert_eq!(
            serde_json::to_value(&weak).unwrap(),
            serde_json::json!({"kind": "cooperative_weak", "weakness": "inactive"})
        );
        assert_eq!(
            serde_json::to_value(Reason::SharedProducts {
                products: tags(&["boneka"])
            })
            .unwrap(),
            serde_json::json!({"kind": "shared_products", "products": ["boneka"]})
        );
    }

    #[test]
    fn size_and_capacity_points_follow_the_table() {
        assert_eq!(capacity_points(19, None), 0);
        assert_eq!(capacity_points(20, None), 2);
        assert_eq!(capacity_points(3_327, Some(300_000_000_000)), 10);
        assert_eq!(size_points(Some(SizeClass::Kecil)), 10);
        assert_eq!(size_points(Some(SizeClass::Menengah)), 4);
        assert_eq!(size_points(Some(SizeClass::Besar)), 0);
        assert_eq!((tag_points(1), tag_points(2), tag_points(7)), (25, 33, 40));
        // The maximum is 100.
        assert_eq!(40 + 15 + 20 + 10 + 10 + WEAKNESS_POINTS, 100);
    }

    #[test]
    fn a_whole_city_is_scored() {
        let n = bekasi_neighbours();
        let kecamatan: Vec<String> = (1..=12).map(|k| format!("32.75.{k:02}")).collect();
        let products = [
            "boneka", "dakron", "keripik", "batik", "sepatu", "tas", "kopi", "madu", "sabun", "kue", "jamu", "tahu",
        ];
        let coops: Vec<CooperativeProfile> = (0..1_000)
            .map(|i| {
                let kec = &kecamatan[i % 12];
                CooperativeProfile {
                    id: i as i64,
                    name: format!("Koperasi {i}"),
                    kelurahan_code: Some(format!("{kec}.100{}", i % 5 + 1)),
                    kecamatan_code: kec.clone(),
                    kab_kota_code: BEKASI.into(),
                    tags: tags(&[products[i % 12], products[(i / 12) % 12]]),
                    kbli: vec![format!("{:05}", 10_000 + (i % 40) * 517)],
                    members: (i % 300) as i64,
                    assets: Some((i as i64) * 10_000_000),
                    weakness: match i % 3 {
                        0 => Some(Weakness::Inactive),
                        1 => Some(Weakness::NoData),
                        _ => None,
                    },
                }
            })
            .collect();
        let umkms: Vec<UmkmProfile> = (0..500)
            .map(|i| {
                let kec = &kecamatan[(i * 7) % 12];
                UmkmProfile {
                    id: 10_000 + i as i64,
                    name: format!("UMKM {i}"),
                    kelurahan_code: Some(format!("{kec}.100{}", i % 5 + 1)),
                    kecamatan_code: kec.clone(),
                    kab_kota_code: BEKASI.into(),
                    tags: tags(&[products[(i * 5) % 12]]),
                    kbli: vec![format!("{:05}", 10_000 + (i % 40) * 517)],
                    size_class: Some(SizeClass::ALL[i % 4]),
                }
            })
            .collect();
        let exclusions: Exclusions = (0..1_000).map(|i| (i, 10_000 + i % 500)).collect();
        let mut total = 0;
        for coop in coops.iter().filter(|c| c.weakness.is_some()) {
            let found = matches_for_cooperative(coop, &umkms, &n, &exclusions, 20);
            assert!(found.len() <= 20);
            for pair in found.windows(2) {
                assert!(
                    pair[0].score > pair[1].score
                        || (pair[0].score == pair[1].score && pair[0].umkm_id < pair[1].umkm_id)
                );
            }
            for m in &found {
                assert!(m.score >= MIN_SCORE && m.score <= 100);
                assert!(proposable(m));
                assert!(!exclusions.contains(m.cooperative_id, m.umkm_id));
            }
            total += found.len();
        }
        assert!(total > 0);
        let found = matches_for_umkm(&umkms[0], &coops, &n, &exclusions, 50);
        assert_eq!(found.len(), 50);
        assert!(found.iter().all(proposable));
    }
}
