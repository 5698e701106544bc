//! Long CSV files read as a stream: the delimiter and the encoding decided from the first
//! 64 kB, then one record at a time, so a national list never sits in memory whole.

use crate::ImportError;
use crate::table::{Cell, decode_text, detect_delimiter};
use std::io::Read;

/// Opens `path` as a CSV reader without a header row (the caller reads it): comma,
/// semicolon or tab; UTF-8 (with or without a byte-order mark) or Windows-1252, which is
/// decoded whole first (Excel's "CSV" on Indonesian Windows).
pub fn open_csv(path: &std::path::Path) -> Result<csv::Reader<Box<dyn Read>>, ImportError> {
    let mut file = std::fs::File::open(path).map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let mut head = vec![0u8; 64 * 1024];
    let n = read_up_to(&mut file, &mut head)?;
    head.truncate(n);
    // The 64 kB may end inside a UTF-8 character.
    let utf8 = std::str::from_utf8(&head).is_ok() || std::str::from_utf8(&head[..head.len().saturating_sub(3)]).is_ok();
    let delimiter = detect_delimiter(&decode_text(&head));
    let rest = std::io::Cursor::new(head).chain(file);
    let source: Box<dyn Read> = if utf8 {
        Box::new(rest)
    } else {
        let mut bytes = Vec::new();
        let mut rest = rest;
        rest.read_to_end(&mut bytes)
            .map_err(|e| ImportError::Unreadable(e.to_string()))?;
        Box::new(std::io::Cursor::new(decode_text(&bytes).into_bytes()))
    };
    Ok(csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(source))
}

/// A record's cells as [`crate::table::read_table`] gives them: blank is empty, the rest text.
pub fn cells(record: &csv::StringRecord) -> Vec<Cell> {
    record
        .iter()
        .map(|v| {
            if v.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(v.to_string())
            }
        })
        .collect()
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> Result<usize, ImportError> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(ImportError::Unreadable(e.to_string())),
        }
    }
    Ok(n)
}
