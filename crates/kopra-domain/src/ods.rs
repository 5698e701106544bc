//! The ministry's ODS list format (domain.md §3): its columns, in its order. The ODS-shaped
//! export writes them, the generator writes them, and the importer reads them back unchanged.

/// The ODS list's columns, in its order.
pub const LIST_HEADERS: [&str; 24] = [
    "Nomor Induk Koperasi (NIK)",
    "Koperasi",
    "Nomor Badan Hukum Pendirian",
    "Tanggal Badan Hukum Pendirian",
    "Nomor Perubahan Anggaran Dasar (Terbaru)",
    "Tanggal Perubahan Anggaran Dasar (Terbaru)",
    "Tanggal RAT Terakhir",
    "Alamat",
    "Kelurahan / Desa",
    "Kecamatan",
    "Kabupaten",
    "Provinsi",
    "Bentuk Koperasi",
    "Jenis Koperasi",
    "Kelompok Koperasi",
    "Sektor Usaha",
    "Jumlah Anggota Pria",
    "Jumlah Anggota Wanita",
    "Total Anggota",
    "Total Manajer",
    "Total Karyawan",
    "Status NIK",
    "Tanggal Berlaku Sertifikat",
    "Status Grade",
];
