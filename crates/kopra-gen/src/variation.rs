//! Near-duplicates as offices make them: the same cooperative typed again from another
//! list — "Kop." for "Koperasi", "KSP" for "Koperasi", "Kary." for "Karyawan", a slipped
//! key, capitals — in the same kecamatan and (mostly) kelurahan, often without the NIK,
//! sometimes with the legal-entity number spaced or cased differently.

use crate::cooperative::{CooperativeRow, PlantedDuplicate};
use crate::rng::Rng;

/// Legal-form words that begin names and say nothing about which cooperative it is.
const FORMS: [&str; 10] = [
    "KSP", "KSU", "KPRI", "Kopwan", "Kopkar", "KUD", "KSPPS", "Koppas", "Kop.", "Kop",
];

/// Abbreviations offices write (those `kopra_domain::duplicates` expands).
const ABBREVIATIONS: [(&str, &str); 9] = [
    ("Karyawan", "Kary."),
    ("Karyawan", "Kry."),
    ("Pegawai", "Peg."),
    ("Sejahtera", "Sej."),
    ("Guru", "Gr."),
    ("Bekasi", "Bks"),
    ("Pondok", "Pdk"),
    ("Gede", "Gd"),
    ("Jakarta", "Jkt"),
];

/// Short forms and what they stand for (the detector does not know these).
const EXPANSIONS: [(&str, &str); 4] = [
    ("KSP", "Koperasi Simpan Pinjam"),
    ("KSU", "Koperasi Serba Usaha"),
    ("Kopwan", "Koperasi Wanita"),
    ("Kopkar", "Koperasi Karyawan"),
];

fn is_upper(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

fn same_case(template: &str, word: &str) -> String {
    if is_upper(template) {
        word.to_uppercase()
    } else {
        word.to_string()
    }
}

/// "Koperasi X" → "Kop. X", "KSP X" → "Koperasi X", "Kop. X" → "Koperasi X".
fn legal_form(rng: &mut Rng, name: &str) -> Option<String> {
    let (first, rest) = name.split_once(' ')?;
    let replacement = if first.eq_ignore_ascii_case("koperasi") {
        *rng.pick(&["Kop.", "Kop", "KOP."])
    } else if FORMS.iter().any(|f| f.eq_ignore_ascii_case(first)) {
        *rng.pick(&["Koperasi", "Kop."])
    } else {
        return None;
    };
    Some(format!("{} {rest}", same_case(name, replacement)))
}

fn abbreviation(rng: &mut Rng, name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let options: Vec<(usize, &str)> = words
        .iter()
        .enumerate()
        .flat_map(|(i, w)| {
            ABBREVIATIONS
                .iter()
                .filter(move |(full, _)| full.eq_ignore_ascii_case(w))
                .map(move |(_, short)| (i, *short))
        })
        .collect();
    if options.is_empty() {
        return None;
    }
    let (i, short) = *rng.pick(&options);
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[i] = same_case(words[i], short);
    Some(out.join(" "))
}

/// One slipped key in the longest distinctive word: a letter dropped, doubled or swapped.
fn typo(rng: &mut Rng, name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let (i, word) = words
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, w)| w.chars().count() >= 6 && w.chars().all(char::is_alphabetic))
        .max_by_key(|(i, w)| (w.chars().count(), usize::MAX - i))?;
    let mut chars: Vec<char> = word.chars().collect();
    let at = rng.between(2, chars.len() as i64 - 2) as usize;
    match rng.below(3) {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, chars[at]),
        _ => chars.swap(at, at + 1),
    }
    let typed: String = chars.into_iter().collect();
    if typed == *word {
        return None;
    }
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[i] = typed;
    Some(out.join(" "))
}

/// Capitals and spacing: "KOPERASI MAJU JAYA" ↔ "Koperasi Maju Jaya", a doubled space.
fn case_spacing(rng: &mut Rng, name: &str) -> String {
    let cased = if is_upper(name) {
        name.split(' ')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_string() + &c.as_str().to_lowercase())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        name.to_uppercase()
    };
    match rng.below(3) {
        0 => cased.replacen(' ', "  ", 1),
        1 => format!("{cased}."),
        _ => cased,
    }
}

/// "KSP X" → "Koperasi Simpan Pinjam X" and back: words the detector cannot see through.
fn form_changed(name: &str) -> Option<(String, &'static str)> {
    for (short, long) in EXPANSIONS {
        if let Some(rest) = name.strip_prefix(&format!("{short} ")) {
            return Some((format!("{long} {rest}"), "form_expanded"));
        }
        if let Some(rest) = name.strip_prefix(&format!("{long} ")) {
            return Some((format!("{short} {rest}"), "form_contracted"));
        }
    }
    None
}

fn retype_name(rng: &mut Rng, name: &str) -> (String, String) {
    let mut kinds: Vec<&str> = Vec::new();
    let roll = rng.below(100);
    let mut typed = if roll < 5 {
        form_changed(name).map(|(n, k)| {
            kinds.push(k);
            n
        })
    } else if roll < 35 {
        legal_form(rng, name).inspect(|_| kinds.push("legal_form"))
    } else if roll < 55 {
        abbreviation(rng, name).inspect(|_| kinds.push("abbreviation"))
    } else if roll < 85 {
        typo(rng, name).inspect(|_| kinds.push("typo"))
    } else {
        None
    };
    // What did not apply falls back to the legal form, then to capitals and spacing.
    if typed.is_none() {
        typed = legal_form(rng, name).inspect(|_| kinds.push("legal_form"));
    }
    let mut typed = typed.unwrap_or_else(|| {
        kinds.push("case_spacing");
        case_spacing(rng, name)
    });
    if !kinds.contains(&"case_spacing") && rng.chance(300) {
        typed = case_spacing(rng, &typed);
        kinds.push("case_spacing");
    }
    (typed, kinds.join("+"))
}

/// "878/BH/Meneg.I/XII/2009" → "878 / BH / MENEG.I / XII / 2009" (same letters and digits).
fn rewrite_number(rng: &mut Rng, number: &str) -> String {
    match rng.below(3) {
        0 => number.replace('/', " / "),
        1 => number.to_lowercase(),
        _ => number.replace('/', "-"),
    }
}

/// "Jl." ↔ "Jalan", "No." → "No".
fn retype_address(rng: &mut Rng, address: &str) -> Option<String> {
    match rng.below(10) {
        0..=1 => None,
        2..=5 => Some(address.replace("Jl.", "Jalan").replace("No. ", "No.")),
        6..=7 => Some(address.to_uppercase()),
        _ => Some(address.to_string()),
    }
}

/// The duplicate row of `original`, with `own_nik` or none.
pub fn plant<'r>(rng: &mut Rng, original: &CooperativeRow<'r>, own_nik: Option<String>) -> PlantedDuplicate<'r> {
    let (name, variation) = retype_name(rng, &original.name);
    let (legal_number, legal_kind) = match (rng.below(100), &original.legal_number) {
        (0..=44, _) | (_, None) => (None, "absent"),
        (45..=79, Some(n)) => (Some(rewrite_number(rng, n)), "rewritten"),
        (_, Some(n)) => (Some(n.clone()), "same"),
    };
    let mut row = original.clone();
    row.nik = own_nik;
    row.name = name;
    row.legal_number = legal_number;
    row.legal_date = original.legal_date.filter(|_| rng.chance(600));
    row.amendment = None;
    row.last_rat = original.last_rat.filter(|_| rng.chance(500));
    row.address = original.address.as_deref().and_then(|a| retype_address(rng, a));
    if rng.chance(80) {
        row.kelurahan = "";
    }
    // Members from another year's list.
    let factor = 0.9 + rng.unit() * 0.2;
    row.members_male = (row.members_male as f64 * factor).round() as i64;
    row.members_female = (row.members_female as f64 * factor).round() as i64;
    row.certificate_status = "Belum Bersertifikat";
    row.certificate_valid_until = None;
    row.grade = "D";
    PlantedDuplicate {
        row,
        variation,
        legal_number: legal_kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variations_keep_the_distinctive_words() {
        let mut rng = Rng::new(3);
        assert_eq!(
            legal_form(&mut rng, "KOPERASI MAJU JAYA")
                .unwrap()
                .split_once(' ')
                .unwrap()
                .1,
            "MAJU JAYA"
        );
        let f = legal_form(&mut rng, "KSP Maju Jaya").unwrap();
        assert!(f == "Koperasi Maju Jaya" || f == "Kop. Maju Jaya", "{f}");
        assert!(legal_form(&mut rng, "Primkopad Kodim 0507/Bekasi Jaya").is_none());
        let a = abbreviation(&mut rng, "Koperasi Karyawan PT Sinar Jaya Tekstil").unwrap();
        assert!(
            a.starts_with("Koperasi Kary. ") || a.starts_with("Koperasi Kry. "),
            "{a}"
        );
        for seed in 0..50 {
            let t = typo(&mut Rng::new(seed), "Koperasi Sejahtera Abadi").unwrap();
            assert_ne!(t, "Koperasi Sejahtera Abadi");
            assert!(t.starts_with("Koperasi Se") && t.ends_with(" Abadi"), "{t}");
        }
        assert_eq!(
            form_changed("KSP Maju Jaya").unwrap(),
            ("Koperasi Simpan Pinjam Maju Jaya".to_string(), "form_expanded")
        );
        assert_eq!(
            rewrite_number(&mut Rng::new(0), "1/BH/X")
                .chars()
                .filter(|c| c.is_alphanumeric())
                .count(),
            4
        );
    }
}
