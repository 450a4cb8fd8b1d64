//! Citations of a record: GB/T 7714—2015 (the Chinese standard for references) and RIS (for
//! reference managers). Pure, both builds.

use super::contract::BibRecord;

/// `作者. 题名[M]. 版本. 出版地: 出版者, 年.` — up to three authors, then 等.
pub fn gbt7714(r: &BibRecord) -> String {
    let mut out = String::new();
    if !r.authors.is_empty() {
        let shown: Vec<&str> = r.authors.iter().take(3).map(String::as_str).collect();
        out.push_str(&shown.join(", "));
        if r.authors.len() > 3 {
            out.push_str(", 等");
        }
        out.push_str(". ");
    }
    out.push_str(&r.title);
    if let Some(sub) = &r.subtitle {
        out.push_str(": ");
        out.push_str(sub);
    }
    out.push_str("[M]. ");
    if let Some(edition) = r.edition.as_deref().filter(|e| !matches!(*e, "第1版" | "1版")) {
        out.push_str(edition);
        out.push_str(". ");
    }
    match (&r.place, &r.publisher) {
        (Some(place), Some(publisher)) => out.push_str(&format!("{place}: {publisher}")),
        (None, Some(publisher)) => out.push_str(publisher),
        (Some(place), None) => out.push_str(place),
        (None, None) => {}
    }
    if let Some(year) = r.year {
        if r.publisher.is_some() || r.place.is_some() {
            out.push_str(", ");
        }
        out.push_str(&year.to_string());
    }
    out.push('.');
    out
}

/// One RIS record (`TY  - BOOK` … `ER  - `), CRLF line ends as the format asks.
pub fn ris(r: &BibRecord) -> String {
    let mut lines = vec!["TY  - BOOK".to_owned()];
    let mut push = |tag: &str, value: &str| {
        // A line break inside a value would start a new tag.
        let value: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        lines.push(format!("{tag}  - {value}"));
    };
    for author in &r.authors {
        push("AU", author);
    }
    push("TI", &r.title);
    if let Some(sub) = &r.subtitle {
        push("T2", sub);
    }
    if let Some(v) = &r.edition {
        push("ET", v);
    }
    if let Some(v) = &r.place {
        push("CY", v);
    }
    if let Some(v) = &r.publisher {
        push("PB", v);
    }
    if let Some(year) = r.year {
        push("PY", &year.to_string());
    }
    for isbn in &r.isbns {
        push("SN", isbn);
    }
    for subject in &r.subjects {
        push("KW", subject);
    }
    push("CN", &r.clc);
    push("LA", &r.language);
    lines.push("ER  - ".to_owned());
    lines.join("\r\n") + "\r\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::contract::RecordSource;

    fn record() -> BibRecord {
        BibRecord {
            id: "loc-00434132".into(),
            source: RecordSource::LibraryOfCongress,
            title: "中国古代书法家辞典".into(),
            subtitle: None,
            title_romanized: None,
            responsibility: Some("主编吴木".into()),
            authors: vec!["吴木".into(), "胡文虎".into()],
            edition: Some("第1版".into()),
            place: Some("杭州市".into()),
            publisher: Some("浙江人民出版社".into()),
            year: Some(1999),
            extent: None,
            isbns: vec!["7213017179".into()],
            subjects: vec![],
            series: None,
            summary: None,
            clc: "J29".into(),
            lcc: None,
            language: "chi".into(),
        }
    }

    #[test]
    fn gbt7714_follows_the_monograph_pattern() {
        assert_eq!(gbt7714(&record()), "吴木, 胡文虎. 中国古代书法家辞典[M]. 杭州市: 浙江人民出版社, 1999.");
        let mut many = record();
        many.authors = vec!["甲".into(), "乙".into(), "丙".into(), "丁".into()];
        many.edition = Some("第2版".into());
        assert!(gbt7714(&many).starts_with("甲, 乙, 丙, 等. 中国古代书法家辞典[M]. 第2版. "));
    }

    #[test]
    fn ris_has_one_tag_per_line_and_no_injected_lines() {
        let mut r = record();
        r.title = "题名\r\nER  - ".into();
        let text = ris(&r);
        assert!(text.starts_with("TY  - BOOK\r\nAU  - 吴木\r\nAU  - 胡文虎\r\n"));
        assert!(text.contains("SN  - 7213017179\r\n"));
        assert_eq!(text.matches("ER  - ").count(), 2, "the title's text stays on its line: {text}");
        assert!(text.contains("TI  - 题名  ER  - \r\n"));
        assert!(text.ends_with("ER  - \r\n"));
    }
}
