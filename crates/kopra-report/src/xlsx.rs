//! Excel workbooks: a table with the filters and time it was made written above it, and
//! the import report (the file's own rows plus a status and a message column, to fix and
//! upload again).

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// A sheet with title lines (filters, export time), a bold header and the rows.
pub fn table_workbook(
    sheet: &str,
    title_lines: &[String],
    headers: &[String],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let mut r: u32 = 0;
    for line in title_lines {
        ws.write(r, 0, line.as_str())?;
        r += 1;
    }
    if !title_lines.is_empty() {
        r += 1;
    }
    for (c, h) in headers.iter().enumerate() {
        ws.write_with_format(r, c as u16, h.as_str(), &bold)?;
    }
    let header_row = r;
    for row in rows {
        r += 1;
        for (c, v) in row.iter().enumerate() {
            // Whole numbers stay numbers (sums work in Excel); NIKs and codes stay text.
            match v.parse::<i64>() {
                Ok(n) if !v.starts_with('0') && v.len() < 13 => ws.write(r, c as u16, n as f64)?,
                _ => ws.write(r, c as u16, v.as_str())?,
            };
        }
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    ws.autofilter(header_row, 0, r.max(header_row), headers.len().saturating_sub(1) as u16)?;
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn a_table_reads_back_with_its_title_lines_numbers_and_text() {
        let bytes = table_workbook(
            "Koperasi",
            &[
                "Filter: kecamatan 32.75.04".into(),
                "Diekspor 2026-11-29 08:00 WIB".into(),
            ],
            &["nik".into(), "name".into(), "members".into()],
            &[vec!["3275070040031".into(), "Kopkar Bridgestone".into(), "3327".into()]],
        )
        .unwrap();
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("Koperasi").unwrap();
        assert_eq!(
            range.get((0, 0)),
            Some(&Data::String("Filter: kecamatan 32.75.04".into()))
        );
        assert_eq!(range.get((3, 1)), Some(&Data::String("name".into())));
        assert_eq!(
            range.get((4, 0)),
            Some(&Data::String("3275070040031".into())),
            "a NIK stays text"
        );
        assert_eq!(range.get((4, 2)), Some(&Data::Float(3327.0)), "a count is a number");
    }
}
