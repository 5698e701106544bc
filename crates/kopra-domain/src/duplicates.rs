//! Finding the same cooperative written twice (re-registration issue): names normalised
//! with Indonesian legal-form knowledge, compared with Jaro-Winkler (strsim), combined with
//! place, legal-entity number and phone. Candidates are blocked by kecamatan and by a name
//! token before comparing, so the national register (130,000) is compared in seconds.

use crate::names::compact_key;
use serde::Serialize;
use std::collections::HashMap;

/// Words that say what kind of organisation it is, not which one.
const LEGAL_FORM_WORDS: [&str; 22] = [
    "koperasi", "kop", "ksp", "ksu", "kpri", "kopkar", "primkop", "kopwan", "kspps", "kjks", "koppas", "kud", "usp",
    "pt", "cv", "tbk", "persero", "pd", "the", "dan", "and", "serba",
];

/// Abbreviations offices use, expanded.
const ABBREVIATIONS: [(&str, &str); 14] = [
    ("pdk", "pondok"),
    ("gd", "gede"),
    ("jkt", "jakarta"),
    ("bks", "bekasi"),
    ("peg", "pegawai"),
    ("kary", "karyawan"),
    ("kry", "karyawan"),
    ("gr", "guru"),
    ("smun", "sman"),
    ("sdn", "sdn"),
    ("kel", "kelurahan"),
    ("kec", "kecamatan"),
    ("jl", "jalan"),
    ("sej", "sejahtera"),
];

/// The words of a name that tell cooperatives apart, lower case, abbreviations expanded,
/// legal-form and company words dropped.
pub fn name_words(name: &str) -> Vec<String> {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .map(|w| {
            ABBREVIATIONS
                .iter()
                .find(|(a, _)| *a == w)
                .map_or(w.clone(), |(_, full)| full.to_string())
        })
        .collect();
    // Legal forms written out ("Koperasi Simpan Pinjam", "Koperasi Serba Usaha") are the
    // same forms as their abbreviations (KSP, KSU): their words are dropped too.
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| words[j].as_str());
        let next = words.get(i + 1).map(String::as_str);
        let written_out = matches!(
            (prev, w.as_str(), next),
            (_, "simpan", Some("pinjam")) | (Some("simpan"), "pinjam", _) | (Some("serba"), "usaha", _)
        );
        if !written_out && !LEGAL_FORM_WORDS.contains(&w.as_str()) {
            out.push(w.clone());
        }
    }
    out
}

/// What the detector knows about one record or row.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub name: String,
    pub kecamatan: Option<String>,
    pub kelurahan: Option<String>,
    pub legal_entity_number: Option<String>,
    pub phone: Option<String>,
}

/// Why two records look alike.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    /// 0…100.
    pub score: u32,
    pub evidence: Vec<String>,
}

/// A legal-entity number reduced to letters and digits, upper case.
pub fn legal_number_key(raw: &str) -> String {
    compact_key(raw).to_uppercase()
}

/// Name similarity 0…1: a fuzzy Jaccard over the words, each word weighted by how rare it
/// is in the register (so "karyawan" counts little and "jamsostek" much), words matching
/// when Jaro-Winkler ≥ 0.92 (numbers only when equal: SMPN 4 is not SMPN 7).
fn name_similarity(wa: &[String], wb: &[String], idf: &dyn Fn(&str) -> f64) -> f64 {
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let total_a: f64 = wa.iter().map(|w| idf(w)).sum();
    let total_b: f64 = wb.iter().map(|w| idf(w)).sum();
    let mut matched = 0.0;
    let mut used = vec![false; wb.len()];
    for a in wa {
        let numeric = a.bytes().all(|b| b.is_ascii_digit());
        let best = wb
            .iter()
            .enumerate()
            .filter(|(j, _)| !used[*j])
            .map(|(j, b)| {
                (
                    j,
                    if numeric || b.bytes().all(|c| c.is_ascii_digit()) {
                        f64::from(u8::from(a == b))
                    } else {
                        strsim::jaro_winkler(a, b)
                    },
                )
            })
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((j, sim)) = best.filter(|(_, sim)| *sim >= 0.92) {
            used[j] = true;
            matched += sim * (idf(a) + idf(&wb[j])) / 2.0;
        }
    }
    matched / (total_a + total_b - matched)
}

fn score(a: &Candidate, b: &Candidate, wa: &[String], wb: &[String], idf: &dyn Fn(&str) -> f64) -> (u32, Vec<String>) {
    let name = name_similarity(wa, wb, idf);
    let mut evidence = vec![format!("name {:.0}%", name * 100.0)];
    let mut s = name * 80.0;
    if a.kecamatan.is_some() && a.kecamatan == b.kecamatan {
        s += 10.0;
        evidence.push("same kecamatan".into());
    }
    if a.kelurahan.is_some() && a.kelurahan == b.kelurahan {
        s += 5.0;
        evidence.push("same kelurahan".into());
    }
    let la = a
        .legal_entity_number
        .as_deref()
        .map(legal_number_key)
        .filter(|k| k.len() >= 4);
    if la.is_some() && la == b.legal_entity_number.as_deref().map(legal_number_key) {
        s += 20.0;
        evidence.push("same legal-entity number".into());
    }
    if a.phone.is_some() && a.phone == b.phone {
        s += 10.0;
        evidence.push("same phone".into());
    }
    ((s.min(100.0)).round() as u32, evidence)
}

/// Every pair scoring at least `min_score`, best first. Pairs are only compared within a
/// block: the same kecamatan and a shared name word (one of the two rarest of its words),
/// or the same legal-entity number.
pub fn find_pairs(records: &[Candidate], min_score: u32) -> Vec<Pair> {
    let words: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            let mut ws = name_words(&r.name);
            let mut seen = std::collections::HashSet::new();
            ws.retain(|w| seen.insert(w.clone()));
            ws
        })
        .collect();
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for ws in &words {
        for w in ws {
            *freq.entry(w.as_str()).or_default() += 1;
        }
    }
    let n = records.len().max(1) as f64;
    let idf = |w: &str| (1.0 + n / freq.get(w).copied().unwrap_or(1) as f64).ln();
    // Block key: kecamatan + each of the record's two rarest words.
    let mut blocks: HashMap<(Option<&str>, &str), Vec<usize>> = HashMap::new();
    for (i, ws) in words.iter().enumerate() {
        let mut sorted: Vec<&String> = ws.iter().collect();
        sorted.sort_by_key(|w| (freq[w.as_str()], w.as_str()));
        sorted.dedup();
        for w in sorted.into_iter().take(2) {
            blocks
                .entry((records[i].kecamatan.as_deref(), w.as_str()))
                .or_default()
                .push(i);
        }
    }
    // A second way in: the same legal-entity number, wherever the records are.
    let mut by_number: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if let Some(k) = r
            .legal_entity_number
            .as_deref()
            .map(legal_number_key)
            .filter(|k| k.len() >= 4)
        {
            by_number.entry(k).or_default().push(i);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut pairs = Vec::new();
    for members in blocks.values().chain(by_number.values()) {
        if members.len() > 200 {
            continue; // a word so common it tells nothing
        }
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let key = (i.min(j), i.max(j));
                if !seen.insert(key) {
                    continue;
                }
                let (s, evidence) = score(&records[key.0], &records[key.1], &words[key.0], &words[key.1], &idf);
                if s >= min_score {
                    pairs.push(Pair {
                        a: key.0,
                        b: key.1,
                        score: s,
                        evidence,
                    });
                }
            }
        }
    }
    pairs.sort_by(|p, q| q.score.cmp(&p.score).then(p.a.cmp(&q.a)).then(p.b.cmp(&q.b)));
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &str, kec: &str) -> Candidate {
        Candidate {
            name: name.into(),
            kecamatan: Some(kec.into()),
            kelurahan: None,
            legal_entity_number: None,
            phone: None,
        }
    }

    #[test]
    fn legal_forms_and_abbreviations_do_not_tell_cooperatives_apart() {
        assert_eq!(
            name_words("Kop. Karyawan PT. Hrapan M.Utm "),
            name_words("Koperasi Karyawan PT. Hrapan M.Utm")
        );
        assert_eq!(name_words("KSP Lima Garuda"), vec!["lima", "garuda"]);
        assert_eq!(
            name_words("Koperasi Gr & Peg. SMUN 3 Bks"),
            vec!["guru", "pegawai", "sman", "3", "bekasi"]
        );
    }

    #[test]
    fn legal_forms_written_out_equal_their_abbreviations() {
        assert_eq!(
            name_words("KSP Mitra Usaha"),
            name_words("Koperasi Simpan Pinjam Mitra Usaha")
        );
        assert_eq!(name_words("KSU Harapan"), name_words("Koperasi Serba Usaha Harapan"));
        assert_eq!(
            name_words("Kop. Usaha Bersama"),
            vec!["usaha", "bersama"],
            "usaha alone is a name word"
        );
    }

    #[test]
    fn a_retyped_cooperative_pairs_with_its_original_and_different_ones_do_not() {
        let records = vec![
            c("Koperasi Mitra Mandiri Berkarya", "32.75.01"),
            c("Kop. Mitra Mandiri Berkarya ", "32.75.01"),
            c("Koperasi Mitra Usaha Mandiri", "32.75.01"),
            c("KOPERASI KONSUMEN SUKSES EKONOMI RAKYAT", "32.75.04"),
            c("Kop. Konsumen Sukses Ekonomi Rakyat", "32.75.04"),
            // The same name in another kecamatan is a different cooperative unless more says so.
            c("Koperasi Swadaya", "32.75.02"),
            c("Koperasi Swadaya", "32.75.09"),
        ];
        let pairs = find_pairs(&records, 90);
        let found: Vec<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
        assert_eq!(found, vec![(0, 1), (3, 4)]);
        assert!(pairs[0].evidence.contains(&"same kecamatan".to_string()));
    }

    #[test]
    fn a_shared_legal_entity_number_is_strong_evidence() {
        // Moved to another kecamatan: the name alone (80) is not enough, the number decides.
        let mut a = c("Koperasi Karya Bersama", "32.75.01");
        let mut b = c("Kop. Karya Bersama", "32.75.02");
        assert!(find_pairs(&[a.clone(), b.clone()], 90).is_empty());
        a.legal_entity_number = Some("518/BH/XVI.22/493/426.110/2011".into());
        b.legal_entity_number = Some("518/BH/XVI.22/493/426.110/2011 ".into());
        let p = find_pairs(&[a, b], 90);
        assert_eq!(p.len(), 1);
        assert!(p[0].evidence.iter().any(|e| e == "same legal-entity number"));
    }
}
