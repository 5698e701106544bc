//! The generated city files: deterministic for a seed, read by the real importer without a
//! rejected row, and the planted near-duplicates found by the importer's detector.

use kopra_domain::duplicates::{Candidate, find_pairs};
use kopra_domain::{HomeRegion, RegionIndex, RegionLevel};
use kopra_gen::write::{Summary, write_cooperatives, write_umkm};
use kopra_gen::{Config, Cooperatives, Reference, Scale};
use kopra_import::mapping::detect_mapping;
use kopra_import::rows::read_rows;
use kopra_import::table::read_table;
use kopra_import::umkm_rows::{detect_umkm_mapping, read_umkm_rows};
use std::collections::{HashMap, HashSet};
use time::macros::date;

struct Files {
    cooperatives: Vec<u8>,
    reports: Vec<u8>,
    truth: Vec<u8>,
    umkm: Vec<u8>,
    summary: Summary,
}

fn generate(reference: &Reference, config: Config) -> Files {
    let (mut cooperatives, mut reports, mut truth, mut umkm) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut summary = write_cooperatives(reference, config, &mut cooperatives, &mut reports, &mut truth).unwrap();
    summary.umkm = write_umkm(reference, config, &mut umkm).unwrap();
    Files {
        cooperatives,
        reports,
        truth,
        umkm,
        summary,
    }
}

fn index(prefix: &str) -> RegionIndex {
    let csv = include_str!("../../../data/wilayah.csv");
    let rows: Vec<(String, String, RegionLevel)> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .filter_map(|r| {
            let r = r.ok()?;
            let level = RegionLevel::parse(r.get(2)?.trim())?;
            let code = r.get(0)?.to_string();
            let name = r.get(1)?.to_string();
            (code.starts_with(prefix)
                || matches!(
                    level,
                    RegionLevel::Provinsi | RegionLevel::Kabupaten | RegionLevel::Kota
                ))
            .then_some((code, name, level))
        })
        .collect();
    RegionIndex::new(rows.iter().map(|(c, n, l)| (c.as_str(), n.as_str(), *l)))
}

fn digest(bytes: &[u8]) -> u64 {
    // FNV-1a: enough to tell two files apart in a message.
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes() {
    let reference = Reference::embedded().unwrap();
    let a = generate(&reference, Config::new(Scale::City, 1));
    let b = generate(&reference, Config::new(Scale::City, 1));
    let c = generate(&reference, Config::new(Scale::City, 2));
    for (name, x, y, z) in [
        ("cooperatives", &a.cooperatives, &b.cooperatives, &c.cooperatives),
        ("reports", &a.reports, &b.reports, &c.reports),
        ("truth", &a.truth, &b.truth, &c.truth),
        ("umkm", &a.umkm, &b.umkm, &c.umkm),
    ] {
        assert_eq!(digest(x), digest(y), "{name}: same seed");
        assert_eq!(x, y, "{name}: same seed");
        assert_ne!(digest(x), digest(z), "{name}: another seed");
    }
    assert_eq!(a.summary.cooperatives, 1_000);
    assert_eq!(a.summary.duplicates, 10);
    assert_eq!(a.summary.umkm, 38_462);
    // Up to ten book years per cooperative from its founding; about a fifth never reported.
    assert!((5_500..8_000).contains(&a.summary.reports), "{:?}", a.summary);
    assert!(a.summary.with_reports < 900, "{:?}", a.summary);
}

#[test]
fn the_city_cooperatives_import_without_rejections_and_planted_duplicates_are_found() {
    let reference = Reference::embedded().unwrap();
    let files = generate(&reference, Config::new(Scale::City, 1));
    let table = read_table(&files.cooperatives, "cooperatives.csv", None).unwrap();
    let mapping = detect_mapping(&table).unwrap();
    assert_eq!(mapping.header_row, 0);
    let home = HomeRegion::parse("32.75").unwrap();
    let regions = index("32.75");
    let rows = read_rows(
        &table,
        &mapping,
        &regions,
        &home,
        &HashMap::new(),
        date!(2026 - 11 - 29),
    );
    assert_eq!(rows.len(), 1_010);
    let rejected: Vec<_> = rows
        .iter()
        .filter(|r| r.rejected())
        .map(|r| (r.line, &r.messages))
        .collect();
    assert!(rejected.is_empty(), "{rejected:?}");
    // Like ODS, some rows give members or assets without a last RAT date: those figures are
    // not stored, and the row says so; nothing else is worth a warning.
    let warnings: Vec<_> = rows
        .iter()
        .flat_map(|r| &r.messages)
        .filter(|m| m.code != "figures_without_rat")
        .collect();
    assert!(warnings.is_empty(), "{:?}", &warnings[..warnings.len().min(5)]);

    // NIKs: 13 digits, unique, starting with the kab/kota's digits.
    let niks: Vec<&str> = rows.iter().filter_map(|r| r.fields.as_ref()?.nik.as_deref()).collect();
    assert!(niks.iter().all(|n| n.len() == 13 && n.starts_with("3275")));
    assert_eq!(niks.iter().collect::<HashSet<_>>().len(), niks.len());

    // The detector, fed as the importer feeds it.
    let candidates: Vec<Candidate> = rows
        .iter()
        .map(|r| {
            let f = r.fields.as_ref().unwrap();
            Candidate {
                name: f.name.clone(),
                kecamatan: Some(f.kecamatan_code.clone()),
                kelurahan: f.kelurahan_code.clone(),
                legal_entity_number: f.legal_entity_number.clone(),
                phone: f.phone.clone(),
            }
        })
        .collect();
    let pairs = find_pairs(&candidates, 90);
    let by_line: HashMap<u64, usize> = rows.iter().enumerate().map(|(i, r)| (r.line, i)).collect();
    let found: HashSet<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
    let mut truth = csv::Reader::from_reader(files.truth.as_slice());
    let mut planted = 0;
    let mut missed = Vec::new();
    for rec in truth.records() {
        let rec = rec.unwrap();
        let (a, b) = (
            by_line[&rec[1].parse::<u64>().unwrap()],
            by_line[&rec[2].parse::<u64>().unwrap()],
        );
        planted += 1;
        if !found.contains(&(a.min(b), a.max(b))) {
            missed.push(format!("{} ~ {} ({})", &rec[4], &rec[5], &rec[6]));
        }
    }
    assert_eq!(planted, 10);
    let recall = 1.0 - missed.len() as f64 / f64::from(planted);
    assert!(recall >= 0.9, "recall {recall}: missed {missed:?}");
}

#[test]
fn planted_duplicates_are_mostly_found_at_a_higher_rate_too() {
    // 5% planted on the city: enough pairs to measure recall per kind of variation.
    let reference = Reference::embedded().unwrap();
    let mut config = Config::new(Scale::City, 7);
    config.duplicates_per_mille = 50;
    let files = generate(&reference, config);
    let table = read_table(&files.cooperatives, "cooperatives.csv", None).unwrap();
    let mapping = detect_mapping(&table).unwrap();
    let rows = read_rows(
        &table,
        &mapping,
        &index("32.75"),
        &HomeRegion::parse("32.75").unwrap(),
        &HashMap::new(),
        date!(2026 - 11 - 29),
    );
    assert!(rows.iter().all(|r| !r.rejected()));
    let candidates: Vec<Candidate> = rows
        .iter()
        .map(|r| {
            let f = r.fields.as_ref().unwrap();
            Candidate {
                name: f.name.clone(),
                kecamatan: Some(f.kecamatan_code.clone()),
                kelurahan: f.kelurahan_code.clone(),
                legal_entity_number: f.legal_entity_number.clone(),
                phone: None,
            }
        })
        .collect();
    let pairs = find_pairs(&candidates, 90);
    let found: HashSet<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
    let mut per_kind: HashMap<String, (u32, u32)> = HashMap::new();
    let mut truth = csv::Reader::from_reader(files.truth.as_slice());
    for rec in truth.records() {
        let rec = rec.unwrap();
        let a = rec[1].parse::<usize>().unwrap() - 2;
        let b = rec[2].parse::<usize>().unwrap() - 2;
        let e = per_kind.entry(rec[6].to_string()).or_default();
        e.0 += 1;
        e.1 += u32::from(found.contains(&(a.min(b), a.max(b))));
    }
    let planted: u32 = per_kind.values().map(|v| v.0).sum();
    let hits: u32 = per_kind.values().map(|v| v.1).sum();
    eprintln!("planted {planted}, found {hits}: {per_kind:?}");
    eprintln!(
        "pairs reported {}, of which planted {hits} (the rest: look-alikes among the originals)",
        pairs.len()
    );
    assert_eq!(planted, 50);
    assert!(f64::from(hits) / f64::from(planted) >= 0.85, "{per_kind:?}");
}

#[test]
fn the_city_umkm_import_without_rejections() {
    let reference = Reference::embedded().unwrap();
    let mut config = Config::new(Scale::City, 1);
    config.umkm = 3_000;
    let mut umkm = Vec::new();
    write_umkm(&reference, config, &mut umkm).unwrap();
    let table = read_table(&umkm, "umkm.csv", None).unwrap();
    let mapping = detect_umkm_mapping(&table).unwrap();
    assert_eq!(mapping.columns.iter().flatten().count(), 14, "{:?}", mapping.headers);
    let rows = read_umkm_rows(&table, &mapping, &index("32.75"), &HomeRegion::parse("32.75").unwrap());
    assert_eq!(rows.len(), 3_000);
    let rejected: Vec<_> = rows
        .iter()
        .filter(|r| r.rejected())
        .map(|r| &r.messages)
        .take(5)
        .collect();
    assert!(rejected.is_empty(), "{rejected:?}");
}

#[test]
fn reports_belong_to_listed_cooperatives_and_follow_their_book_year() {
    let reference = Reference::embedded().unwrap();
    let mut negative = 0;
    let mut total = 0;
    let mut on_time = 0;
    for g in Cooperatives::new(&reference, Config::new(Scale::City, 3)) {
        let nik = g.cooperative.nik.clone().unwrap();
        let mut last_year = 0;
        for r in &g.reports {
            assert_eq!(r.nik, nik);
            assert!(r.book_year > last_year && (2015..=2024).contains(&r.book_year));
            last_year = r.book_year;
            assert_eq!(r.rat_date.year(), r.book_year + 1);
            assert!(r.assets > 0 && r.business_volume > 0);
            negative += u32::from(r.shu < 0);
            on_time += u32::from(u8::from(r.rat_date.month()) <= 6);
            total += 1;
        }
        assert!(g.cooperative.last_rat.is_some() || g.reports.is_empty());
        if let Some(r) = g.reports.last() {
            assert_eq!(g.cooperative.last_rat, Some(r.rat_date));
        }
    }
    let share = |n: u32| f64::from(n) / f64::from(total);
    assert!(
        (0.04..0.14).contains(&share(negative)),
        "negative SHU {}",
        share(negative)
    );
    assert!((0.78..0.92).contains(&share(on_time)), "RAT by June {}", share(on_time));
}

#[test]
fn the_national_scale_covers_all_514_kabkota_and_the_province_keeps_the_value_set_shares() {
    let reference = Reference::embedded().unwrap();
    let national = Cooperatives::new(&reference, Config::new(Scale::National, 1));
    let allocation = national.allocation();
    assert_eq!(allocation.len(), 514);
    assert_eq!(allocation.iter().map(|a| a.2).sum::<u64>(), 130_000);
    assert!(allocation.iter().all(|a| a.2 >= 1));
    let bekasi = allocation.iter().find(|a| a.0 == "32.75").unwrap().2;
    let jayawijaya = allocation.iter().find(|a| a.1 == "Kabupaten Jayawijaya").unwrap().2;
    assert!(bekasi > jayawijaya, "{bekasi} vs {jayawijaya}");

    let config = Config::new(Scale::Province, 1);
    let mut kelompok: HashMap<&str, u64> = HashMap::new();
    let mut jenis: HashMap<&str, u64> = HashMap::new();
    let mut kabkota = HashSet::new();
    let mut n = 0u64;
    for g in Cooperatives::new(&reference, config) {
        *kelompok.entry(g.cooperative.kelompok).or_default() += 1;
        *jenis.entry(g.cooperative.jenis).or_default() += 1;
        kabkota.insert(g.cooperative.kabkota);
        n += 1;
    }
    assert_eq!(n, 15_000);
    assert_eq!(kabkota.len(), 27);
    for (label, counts, set) in [
        ("Kop. Lainnya", &kelompok, &reference.values.kelompok),
        ("Kop. Serba Usaha", &kelompok, &reference.values.kelompok),
        ("Konsumen", &jenis, &reference.values.jenis),
        ("Simpan Pinjam", &jenis, &reference.values.jenis),
    ] {
        let got = counts[label] as f64 / n as f64;
        let want = set.share(label);
        assert!((got - want).abs() < 0.015, "{label}: {got} vs {want}");
    }
}

#[test]
fn a_long_sheet_checked_on_several_threads_reads_as_row_by_row() {
    // Five copies of the city file, with a blank row between them: long enough for
    // `read_rows` to split the sheet over threads; every row must come out as it does alone.
    let reference = Reference::embedded().unwrap();
    let files = generate(&reference, Config::new(Scale::City, 3));
    let mut table = read_table(&files.cooperatives, "cooperatives.csv", None).unwrap();
    let mapping = detect_mapping(&table).unwrap();
    let (home, regions) = (HomeRegion::parse("32.75").unwrap(), index("32.75"));
    let read = |t: &kopra_import::table::Table| {
        read_rows(t, &mapping, &regions, &home, &HashMap::new(), date!(2026 - 11 - 29))
    };
    let single = read(&table);
    let data: Vec<_> = table.rows[1..].to_vec();
    for _ in 0..4 {
        table.rows.push(vec![]);
        table.rows.extend(data.iter().cloned());
    }
    let long = read(&table);
    assert_eq!(long.len(), single.len() * 5);
    let per_copy = data.len() as u64 + 1;
    for (k, row) in long.iter().enumerate() {
        let alone = &single[k % single.len()];
        let copy = (k / single.len()) as u64;
        assert_eq!(row.line, alone.line + copy * per_copy, "row {k}");
        assert_eq!(row.name, alone.name);
        assert_eq!(row.fields, alone.fields);
        let codes = |r: &kopra_import::rows::ImportRow| r.messages.iter().map(|m| m.code).collect::<Vec<_>>();
        assert_eq!(codes(row), codes(alone));
    }
}

#[test]
fn a_province_umkm_list_finds_each_kecamatan_in_the_kab_kota_it_names() {
    // Jawa Barat has three kecamatan called Sukaraja (Kab. Bogor, Sukabumi, Tasikmalaya):
    // the KAB/KOTA column decides which; a kab/kota outside the province is refused.
    let csv = "NAMA USAHA,PEMILIK,KELURAHAN,KECAMATAN,KAB/KOTA\n\
        Dodol Geulis,Ani,Gunung Geulis,Sukaraja,Kabupaten Bogor\n\
        Kerupuk Selaawi,Budi,Selaawi,Sukaraja,Kab. Sukabumi\n\
        Bakso Malang,Citra,Sukaraja,Sukaraja,Kota Malang\n";
    let table = read_table(csv.as_bytes(), "umkm.csv", None).unwrap();
    let mapping = detect_umkm_mapping(&table).unwrap();
    let rows = read_umkm_rows(&table, &mapping, &index("32"), &HomeRegion::parse("32").unwrap());
    let kelurahan: Vec<Option<String>> = rows
        .iter()
        .map(|r| r.input.as_ref().and_then(|i| i.kelurahan_code.clone()))
        .collect();
    assert_eq!(
        kelurahan,
        [
            Some("32.01.04.2001".to_string()),
            Some("32.02.33.2002".to_string()),
            None
        ]
    );
    let codes: Vec<&str> = rows[2].messages.iter().map(|m| m.code).collect();
    assert_eq!(codes, ["kabkota_outside_region"]);
}
