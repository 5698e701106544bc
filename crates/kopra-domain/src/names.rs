//! Name normalisation: the keys by which names typed in many ways are matched
//! (domain.md §10: "lower case, no spaces or punctuation, 'Kec.' stripped").

/// Lower-case ASCII letters and digits only: `Rawa Lumbu` and `RAWALUMBU` → `rawalumbu`.
pub fn compact_key(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `a` and `b` have the same [`compact_key`], compared without building either.
pub fn compact_eq(a: &str, b: &str) -> bool {
    fn lower(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase)
    }
    fn ascii_lower(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
    }
    if a.is_ascii() && b.is_ascii() {
        ascii_lower(a).eq(ascii_lower(b))
    } else {
        lower(a).eq(lower(b))
    }
}

/// Lower-case words separated by one space, punctuation turned into spaces.
fn words(raw: &str) -> Vec<String> {
    raw.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Removes leading words such as `Kec.`, `Kecamatan`, `Kel.`, `Kelurahan`, `Desa`, then
/// compacts. Kab/kota words are kept: `Kota Bekasi` and `Kab. Bekasi` are different places.
pub fn region_name_key(raw: &str) -> String {
    // "Jaka Mulya, Kec. Bekasi Selatan" names the kelurahan first: keep what precedes a comma.
    let first = raw.split(',').next().unwrap_or("");
    let mut ws = words(first);
    while let Some(w) = ws.first() {
        if matches!(w.as_str(), "kec" | "kecamatan" | "kel" | "kelurahan" | "desa" | "ds") && ws.len() > 1 {
            ws.remove(0);
        } else {
            break;
        }
    }
    ws.concat()
}

/// Key for a kab/kota name: `Kota Bekasi` → `kotabekasi`, `Kab. Bekasi` and
/// `Kabupaten Bekasi` → `kabupatenbekasi`.
pub fn kabkota_name_key(raw: &str) -> String {
    let mut ws = words(raw);
    if let Some(w) = ws.first_mut()
        && w == "kab"
    {
        *w = "kabupaten".into();
    }
    ws.concat()
}

/// Words that prefix cooperative names without telling them apart.
const GENERIC_PREFIXES: [&str; 12] = [
    "koperasi", "kop", "ksp", "kopkar", "ksu", "kspps", "kpri", "kud", "kopwan", "primkop", "kjks", "kopsyah",
];

/// The search key of a cooperative name: lower-case words, punctuation removed, leading
/// generic words ("Koperasi", "Kop.", "KSP", …) dropped. Both stored names and queries
/// pass through it, so "Kop. Lima Garuda" finds "KOPERASI SIMPAN PINJAM LIMA GARUDA".
pub fn cooperative_search_key(raw: &str) -> String {
    let ws = words(raw);
    let start = ws
        .iter()
        .position(|w| !GENERIC_PREFIXES.contains(&w.as_str()))
        .unwrap_or(ws.len());
    ws[start..].join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_eq_agrees_with_compact_key() {
        for (a, b) in [
            ("Kop. Pegawai Negeri (KPRI)", "kop pegawai negeri kpri"),
            ("Simpan Pinjam", "SIMPAN-PINJAM"),
            ("Primer Kabupaten/Kota", "primer kabupaten kota"),
            ("Jasa", "Jasa Keuangan"),
            ("Pemasaran", "Pemasaran!"),
            ("Koperasi Karyawan Ö", "koperasi karyawan ö"),
            ("Simpan Pinjam", "Simpan Pinjam Syariah"),
            ("", "-"),
        ] {
            assert_eq!(compact_eq(a, b), compact_key(a) == compact_key(b), "{a:?} vs {b:?}");
        }
        assert!(compact_eq("Simpan Pinjam", "simpan  pinjam"));
        assert!(!compact_eq("Jasa", "Jasa Keuangan"));
    }

    #[test]
    fn region_spellings_meet_in_one_key() {
        for (a, b) in [
            ("Medan Satria", "Medansatria"),
            ("Pondok Gede", "Pondokgede"),
            ("Kec. Rawa Lumbu", "Rawalumbu"),
            ("Kecamatan Bantar Gebang", "Bantargebang"),
            ("Jati Sampurna", "JATISAMPURNA"),
            ("Kel. Marga Jaya", "Margajaya"),
            ("Jaka Mulya, Kec. Bekasi Selatan", "Jakamulya"),
        ] {
            assert_eq!(region_name_key(a), region_name_key(b), "{a} vs {b}");
        }
        assert_ne!(kabkota_name_key("Kota Bekasi"), kabkota_name_key("Kab. Bekasi"));
        assert_eq!(kabkota_name_key("Kab. Bekasi"), kabkota_name_key("Kabupaten Bekasi"));
    }

    #[test]
    fn search_key_drops_generic_prefixes() {
        assert_eq!(
            cooperative_search_key("KOPERASI SIMPAN PINJAM LIMA GARUDA"),
            "simpan pinjam lima garuda"
        );
        assert_eq!(cooperative_search_key("Kop. Lima Garuda"), "lima garuda");
        assert_eq!(cooperative_search_key("KSP  Lima-Garuda"), "lima garuda");
        assert_eq!(cooperative_search_key("Kopkar Bridgestone"), "bridgestone");
        assert!(
            cooperative_search_key("KOPERASI SIMPAN PINJAM LIMA GARUDA")
                .contains(&cooperative_search_key("Koperasi Lima Garuda"))
        );
        // A name made only of generic words keeps nothing, and matches everything.
        assert_eq!(cooperative_search_key("Koperasi"), "");
    }
}
