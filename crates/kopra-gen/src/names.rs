//! Word lists for plausible, clearly invented Indonesian names: cooperatives (after the
//! patterns of the ODS list: "KSP …", "Koperasi Karyawan PT …", "KPRI …", "Kopwan …"),
//! companies (invented: no real company is named), streets, people and businesses.

use crate::reference::{KabKota, Kecamatan, Village};
use crate::rng::Rng;

/// Words of hope and unity that most cooperative names are made of.
pub const HOPE: &[&str] = &[
    "Sejahtera",
    "Makmur",
    "Mandiri",
    "Sentosa",
    "Jaya",
    "Abadi",
    "Bersama",
    "Berkah",
    "Barokah",
    "Maju",
    "Bersatu",
    "Harapan",
    "Karya",
    "Mulia",
    "Lestari",
    "Amanah",
    "Tunas",
    "Mekar",
    "Sumber",
    "Rezeki",
    "Bina",
    "Bakti",
    "Mitra",
    "Sinar",
    "Cahaya",
    "Gemilang",
    "Utama",
    "Prima",
    "Sehati",
    "Setia",
    "Kencana",
    "Permata",
    "Mutiara",
    "Nusantara",
    "Pertiwi",
    "Merdeka",
    "Bangkit",
    "Sukses",
    "Rakyat",
    "Warga",
    "Rukun",
    "Guyub",
    "Damai",
    "Artha",
    "Mulya",
    "Wijaya",
    "Manunggal",
    "Subur",
    "Insani",
    "Anugerah",
    "Agung",
    "Bahari",
    "Pelangi",
    "Puspita",
    "Kartika",
    "Swadaya",
    "Tirta",
    "Pratama",
    "Sauyunan",
    "Harmoni",
    "Dharma",
    "Santosa",
    "Lancar",
    "Sakinah",
    "Gotong Royong",
    "Murni",
    "Makarya",
    "Sido Rukun",
    "Ngudi Rejeki",
    "Tentrem",
    "Wibawa",
    "Cipta",
    "Graha",
    "Kharisma",
    "Pusaka",
    "Samudra",
    "Bintang",
    "Fajar",
    "Harum",
    "Indah",
    "Kurnia",
    "Lentera",
    "Melati",
    "Nurani",
    "Pijar",
    "Rahayu",
    "Sabar",
    "Sumringah",
    "Teguh",
    "Wahana",
    "Widya",
    "Yakin",
];

/// Islamic words for KSPPS, BMT and pesantren cooperatives.
pub const ISLAMIC: &[&str] = &[
    "Al-Ikhlas",
    "Al-Hikmah",
    "Al-Falah",
    "Nurul Huda",
    "Darul Ulum",
    "Miftahul Jannah",
    "Darussalam",
    "Baitul Hikmah",
    "Nurul Iman",
    "Al-Muttaqin",
    "Ar-Rahmah",
    "Hidayatullah",
    "At-Taqwa",
    "Al-Amin",
    "Ummat Sejahtera",
    "Insan Kamil",
    "Mardhatillah",
    "Al-Barokah",
    "Nurul Falah",
    "Ash-Shiddiq",
];

/// Invented company name parts for employees' cooperatives.
const COMPANY_HEAD: &[&str] = &[
    "Sinar", "Mitra", "Bumi", "Cahaya", "Karya", "Prima", "Duta", "Graha", "Sarana", "Tunas", "Surya", "Mega", "Inti",
    "Putra", "Cipta", "Gemilang", "Samudra", "Kencana", "Harapan", "Nusa",
];
const COMPANY_TAIL: &[&str] = &[
    "Plastindo",
    "Tekstil",
    "Logistik",
    "Elektrindo",
    "Farma",
    "Garmen",
    "Metalindo",
    "Pangan",
    "Kimia",
    "Motor",
    "Kemasan",
    "Baja",
    "Kertas",
    "Karet",
    "Keramik",
    "Otomotif",
    "Sandang",
    "Agro",
    "Energi",
    "Mandiri Utama",
];

const STREETS: &[&str] = &[
    "Sudirman",
    "Ahmad Yani",
    "Diponegoro",
    "Gatot Subroto",
    "Imam Bonjol",
    "Pahlawan",
    "Merdeka",
    "Veteran",
    "Kartini",
    "Cut Nyak Dien",
    "Pattimura",
    "Hasanuddin",
    "Sisingamangaraja",
    "Dewi Sartika",
    "Ki Hajar Dewantara",
    "Teuku Umar",
    "Melati",
    "Mawar",
    "Kenanga",
    "Anggrek",
    "Flamboyan",
    "Cempaka",
    "Dahlia",
    "Nusa Indah",
    "Kamboja",
    "Rambutan",
    "Durian",
    "Mangga",
    "Jambu",
    "Nangka",
    "Kelapa Gading",
    "Pramuka",
    "Pemuda",
    "Siliwangi",
    "Pelita",
    "Bhayangkara",
    "Masjid",
    "Pasar Baru",
    "Stasiun",
    "Perintis Kemerdekaan",
    "Pendidikan",
    "Swadaya",
    "Kesehatan",
    "Irigasi",
    "Persatuan",
    "Cendrawasih",
];

pub const GIVEN: &[&str] = &[
    "Sari", "Ani", "Dewi", "Rina", "Yati", "Siti", "Nur", "Wati", "Lina", "Tuti", "Budi", "Agus", "Joko", "Dedi",
    "Asep", "Ujang", "Hendra", "Rudi", "Eko", "Yusuf", "Iwan", "Dian", "Fitri", "Maya", "Slamet", "Bambang", "Sri",
    "Endang", "Ahmad", "Muhammad", "Rahmat", "Wahyu", "Yuni", "Ratna", "Indah", "Putu", "Made", "Komang", "Ketut",
    "Andi", "Ismail", "Hasan", "Nining", "Ucok", "Butet", "Teguh", "Rizky", "Aditya", "Nurul", "Lestari",
];
pub const FAMILY: &[&str] = &[
    "Suryani",
    "Rahmawati",
    "Hidayat",
    "Setiawan",
    "Nugraha",
    "Kurniawan",
    "Saputra",
    "Lestari",
    "Hasanah",
    "Pratama",
    "Wibowo",
    "Permana",
    "Maulana",
    "Fauzi",
    "Siregar",
    "Nasution",
    "Simanjuntak",
    "Lubis",
    "Harahap",
    "Sinaga",
    "Wijaya",
    "Susanto",
    "Hartono",
    "Gunawan",
    "Santoso",
    "Purnomo",
    "Sulistyo",
    "Handayani",
    "Yulianti",
    "Pane",
    "Manurung",
    "Daeng",
    "Pattiasina",
    "Wenda",
    "Kogoya",
];

/// A choice of words not yet used in this name.
fn hope_words(rng: &mut Rng, n: usize) -> String {
    let mut words: Vec<&str> = Vec::with_capacity(n);
    while words.len() < n {
        let w = *rng.pick(HOPE);
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words.join(" ")
}

/// Two or three hope words, sometimes with the place.
fn distinctive(rng: &mut Rng, village: &Village) -> String {
    match rng.below(20) {
        0..=7 => hope_words(rng, 2),
        8..=14 => hope_words(rng, 3),
        _ => format!("{} {}", hope_words(rng, 2), village.name),
    }
}

fn company(rng: &mut Rng) -> String {
    format!(
        "PT {} {} {}",
        rng.pick(COMPANY_HEAD),
        rng.pick(HOPE),
        rng.pick(COMPANY_TAIL)
    )
}

/// A cooperative's name from its kelompok and jenis, as registers write them.
pub fn cooperative_name(
    rng: &mut Rng,
    kelompok: &str,
    jenis: &str,
    kabkota: &KabKota,
    kecamatan: &Kecamatan,
    village: &Village,
) -> String {
    let kab = kabkota.short_name();
    let d = distinctive(rng, village);
    let pick = |rng: &mut Rng, options: &[String]| options[rng.below(options.len() as u64) as usize].clone();
    let h1 = hope_words(rng, 1);
    let h2 = hope_words(rng, 2);
    match kelompok {
        "Kop. Simpan Pinjam" => pick(
            rng,
            &[
                format!("KSP {d}"),
                format!("Koperasi Simpan Pinjam {d}"),
                format!("Koperasi Simpan Pinjam {d}"),
                format!("KSP {d}"),
                format!("Kopdit {d}"),
            ],
        ),
        "Kop. Simpan Pinjam dan Pembiayaan Syariah" => {
            let i = *rng.pick(ISLAMIC);
            pick(
                rng,
                &[
                    format!("KSPPS BMT {i}"),
                    format!("KSPPS {i} {}", h1),
                    format!("Koperasi Simpan Pinjam dan Pembiayaan Syariah {i}"),
                    format!("Koperasi Syariah {i} {}", h1),
                ],
            )
        }
        "Kop. Serba Usaha" => pick(rng, &[format!("KSU {d}"), format!("Koperasi Serba Usaha {d}")]),
        "Kop. Pegawai Negeri (KPRI)" => {
            let n = rng.between(1, 30);
            let institution = pick(
                rng,
                &[
                    format!("Guru SDN {n} {}", kecamatan.name),
                    format!("Guru SMPN {n} {kab}"),
                    format!("Dinas Pendidikan {kab}"),
                    format!("RSUD {kab}"),
                    format!("Kecamatan {}", kecamatan.name),
                    format!("Kantor Kemenag {kab}"),
                    format!("Setda {kab} {h1}"),
                    format!("SMAN {n} {kab}"),
                    format!("Puskesmas {} {h1}", kecamatan.name),
                ],
            );
            pick(
                rng,
                &[
                    format!("KPRI {institution}"),
                    format!("KPRI {institution}"),
                    format!("Koperasi Pegawai Republik Indonesia {institution}"),
                ],
            )
        }
        "Kop. Wanita" => pick(
            rng,
            &[
                format!("Kopwan {d}"),
                format!("Koperasi Wanita {d}"),
                format!("Koperasi Wanita {d}"),
            ],
        ),
        "Kopkar" => {
            let c = company(rng);
            let kind = if jenis == "Konsumen" { "Konsumen " } else { "" };
            pick(
                rng,
                &[
                    format!("Koperasi {kind}Karyawan {c}"),
                    format!("Kopkar {c}"),
                    format!("Koperasi Karyawan {} {c}", h1),
                ],
            )
        }
        "KUD" => pick(
            rng,
            &[
                format!("KUD {} {}", h1, kecamatan.name),
                format!("Koperasi Unit Desa {d}"),
            ],
        ),
        "Kop. Pertanian" => pick(
            rng,
            &[
                format!("Koperasi Produsen Tani {d}"),
                format!("Koperasi Tani {d}"),
                format!("Koperasi Petani {d}"),
            ],
        ),
        "Kop. Perkebunan" => {
            let crop = *rng.pick(&["Kelapa Sawit", "Karet", "Kopi", "Kakao", "Cengkeh", "Tebu", "Teh"]);
            format!("Koperasi Produsen Petani {crop} {d}")
        }
        "Kop. Nelayan" => pick(rng, &[format!("Koperasi Nelayan {d}"), format!("KUD Mina {}", h2)]),
        "Kop. Peternakan" => {
            let animal = *rng.pick(&["Sapi Perah", "Sapi Potong", "Kambing", "Ayam", "Itik"]);
            format!("Koperasi Peternak {animal} {d}")
        }
        "Koppontren" => format!("Koppontren {} {}", rng.pick(ISLAMIC), h1),
        "Kop. Pasar" => pick(
            rng,
            &[
                format!("Koperasi Pedagang Pasar {} {}", village.name, h1),
                format!("Koppas {d}"),
            ],
        ),
        "Kop. Angkatan Darat" => format!("Primkopad Kodim {:04}/{kab} {}", rng.between(100, 1899), h1),
        "Kop. Angkatan Laut" => format!("Primkopal Lanal {kab} {}", h1),
        "Kop. Angkatan Udara" => format!("Primkopau Lanud {kab} {}", h1),
        "Kop. Kepolisian" => format!("Primkoppol Resor {kab} {}", h1),
        "Kop. Pepabri" => format!("Koperasi Pepabri {kab} {}", h1),
        "Kop. Veteran" => format!("Koperasi Veteran {kab} {}", h1),
        "Kop. Wredatama" => format!("Koperasi Wredatama {kab} {}", h1),
        "Kop. Angkutan Darat" => format!("Koperasi Angkutan {d}"),
        "Kop. Angkutan Laut" | "Kop. Angkutan Sungai" | "Kop. Angkutan Penyeberangan" => {
            format!("Koperasi Angkutan Perairan {d}")
        }
        "Kop. Angkutan Udara" => format!("Koperasi Jasa Angkutan Udara {d}"),
        "Kop. Tenaga Kerja Bongkar Muat (TKBM)" => format!("Koperasi TKBM Pelabuhan {kab} {}", h1),
        "Kop. Perumahan" => format!("Koperasi Perumahan {d}"),
        "Kop. Profesi" => {
            let p = *rng.pick(&["Bidan", "Perawat", "Guru Honorer", "Notaris", "Pengemudi Ojek"]);
            format!("Koperasi Profesi {p} {d}")
        }
        "Kop. Pemuda" => format!("Koperasi Pemuda {d}"),
        "Kop. Mahasiswa" => format!("Kopma {} Universitas {kab}", h1),
        "Kop. Pedagang Kaki Lima" => format!("Koperasi PKL {d}"),
        "Kop. Kehutanan" => format!("Koperasi Tani Hutan {d}"),
        "Kop. Pertambangan" => format!("Koperasi Tambang Rakyat {d}"),
        "Kop. Wisata" => format!("Koperasi Wisata {d}"),
        "Kopti" => format!("Kopti {kab} {}", h1),
        "Kop. Telkom" => format!("Kopegtel {kab} {}", h1),
        "Kopra" => format!("Koperasi Petani Kopra {d}"),
        "K.B.P.R" => format!("Koperasi BPR {d}"),
        "Kop. Jamu Gendong" => format!("Koperasi Jamu Gendong {d}"),
        "Kop. Listrik Pedesaan" => format!("Koperasi Listrik Pedesaan {kab} {}", h1),
        "Kop. Digital" => format!("Koperasi Digital {d}"),
        "Kop. Sekunder" => format!("Pusat Koperasi {} {kab}", h2),
        "Koperasi Asuransi Indonesia" => format!("Koperasi Asuransi {d}"),
        "Kopinkra" => pick(
            rng,
            &[
                format!("Kopinkra {d}"),
                format!("Koperasi Industri Kerajinan Rakyat {d}"),
            ],
        ),
        // Kop. Lainnya and anything else: by jenis, or a community's own.
        _ => match rng.below(10) {
            0..=4 => format!("Koperasi {jenis} {d}"),
            5 => format!("Koperasi Warga {} {}", village.name, h2),
            6 => format!("Koperasi Masjid {} {}", rng.pick(ISLAMIC), h1),
            7 => format!("Koperasi Karyawan {}", company(rng)),
            _ => format!("Koperasi {d}"),
        },
    }
}

/// The Koperasi Desa/Kelurahan Merah Putih of a village (the 2025 programme).
pub fn merah_putih_name(village: &Village) -> String {
    let kind = if village.kelurahan { "Kelurahan" } else { "Desa" };
    format!("Koperasi {kind} Merah Putih {}", village.name)
}

/// "Jl. Melati No. 12 RT.03/RW.05", "Jl. Raya Jatimakmur No. 36 A", "Perum Griya … Blok C2 No. 7".
pub fn address(rng: &mut Rng, village: &Village) -> String {
    let n = rng.between(1, 250);
    match rng.below(10) {
        0..=3 => format!("Jl. {} No. {n}", rng.pick(STREETS)),
        4..=5 => format!(
            "Jl. {} No. {n} RT.{:02}/RW.{:02}",
            rng.pick(STREETS),
            rng.between(1, 15),
            rng.between(1, 12)
        ),
        6 => format!("Jl. Raya {} No. {n}", village.name),
        7 => format!("Jl. Raya {} No. {n} {}", village.name, rng.pick(&["A", "B", "C"])),
        8 => format!(
            "Perum {} {} Blok {}{} No. {}",
            rng.pick(&["Griya", "Taman", "Villa", "Puri", "Bumi"]),
            rng.pick(HOPE),
            rng.pick(&["A", "B", "C", "D", "E", "F"]),
            rng.between(1, 12),
            rng.between(1, 40)
        ),
        _ => format!(
            "Kp. {} RT.{:02}/RW.{:02}",
            village.name,
            rng.between(1, 15),
            rng.between(1, 12)
        ),
    }
}

/// "Siti Rahmawati".
pub fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(GIVEN), rng.pick(FAMILY))
}
