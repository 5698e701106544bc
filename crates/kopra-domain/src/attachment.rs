//! Files attached to annual reports (RAT minutes, financial statements): PDF, JPEG or PNG
//! up to 10 MB, the type decided by the content, never by the name or the browser's word.

/// Largest accepted attachment.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// What an attachment is.
pub const KINDS: [&str; 3] = ["rat_minutes", "financial_statement", "other"];

/// The content type from the file's first bytes, when it is one Kopra accepts.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// A file name safe to send back in a header: no path, no quotes or control characters,
/// at most 120 characters.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\'))
        .take(120)
        .collect();
    if cleaned.trim().is_empty() {
        "lampiran".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_decides_the_type() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some("image/png")
        );
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        // An executable renamed to .pdf is refused.
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn file_names_lose_paths_and_quotes() {
        assert_eq!(clean_file_name("C:\\Users\\x\\notulen \"RAT\".pdf"), "notulen RAT.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name(""), "lampiran");
    }
}
