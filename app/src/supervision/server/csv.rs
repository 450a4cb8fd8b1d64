//! CSV for spreadsheet programs: UTF-8 with a byte-order mark (so Excel reads Chinese text),
//! CRLF line ends, every cell quoted, and cells a spreadsheet would take as a formula (starting
//! with =, +, -, @, or a tab or carriage return) prefixed with an apostrophe.

/// A CSV document of `header` and `rows`, as bytes.
pub fn document<R: AsRef<[String]>>(header: &[&str], rows: &[R]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    line(&mut out, header.iter().copied());
    for row in rows {
        line(&mut out, row.as_ref().iter().map(String::as_str));
    }
    out.into_bytes()
}

fn line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    let cells: Vec<String> = cells.map(cell).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// One cell, quoted, neutralised against formula injection.
pub fn cell(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_quotes_doubled() {
        assert_eq!(cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        for dangerous in ["+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"] {
            assert!(cell(dangerous).starts_with("\"'"), "{dangerous:?}");
        }
        assert_eq!(cell("张伟"), "\"张伟\"");
        assert_eq!(cell("a,b\nc"), "\"a,b\nc\"");
    }

    #[test]
    fn documents_start_with_a_byte_order_mark_and_end_lines_with_crlf() {
        let bytes = document(&["编号", "n"], &[vec!["A1".to_owned(), "=1+1".to_owned()]]);
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        let text = String::from_utf8(bytes).expect("utf-8");
        assert_eq!(text, "\u{feff}\"编号\",\"n\"\r\n\"A1\",\"'=1+1\"\r\n");
    }
}
