//! MARC21 bibliographic records (ISO 2709, UTF-8) into [`BibRecord`]s: vernacular 880 fields
//! paired with the romanised field they belong to through `$6`, ISBD punctuation removed, and
//! the 中图法 class taken from 084 `$2 clc` or derived from the LC class.

use super::contract::{BibRecord, RecordSource};

const FIELD_END: u8 = 0x1E;
const SUBFIELD: u8 = 0x1F;
const RECORD_END: u8 = 0x1D;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub tag: String,
    /// Control fields (00X): the whole value; data fields: empty.
    pub value: String,
    pub subfields: Vec<(char, String)>,
}

impl Field {
    pub fn first(&self, code: char) -> Option<&str> {
        self.subfields.iter().find(|(c, _)| *c == code).map(|(_, v)| v.as_str())
    }

    fn joined(&self, codes: &[char], separator: &str) -> String {
        let parts: Vec<&str> =
            self.subfields.iter().filter(|(c, _)| codes.contains(c)).map(|(_, v)| v.as_str()).collect();
        parts.join(separator)
    }

    /// The tag a vernacular 880 field stands for (`880 $6 245-01/$1` → `245`).
    fn linked_tag(&self) -> Option<&str> {
        self.first('6').and_then(|l| l.get(..3))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub leader: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarcError {
    #[error("record {0}: truncated or malformed")]
    Malformed(usize),
    #[error("the file starts as gzip but does not inflate")]
    NotGzip,
}

/// Splits an ISO 2709 file into records. A record that does not parse stops the import with
/// its position, rather than being skipped silently. A gzip-compressed file (as the demo ships
/// its records, a quarter of the size) is inflated first.
pub fn parse_file(bytes: &[u8]) -> Result<Vec<Record>, MarcError> {
    if bytes.starts_with(&GZIP_MAGIC) {
        let mut inflated = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut inflated)
            .map_err(|_| MarcError::NotGzip)?;
        return parse_records(&inflated);
    }
    parse_records(bytes)
}

const GZIP_MAGIC: [u8; 2] = [0x1F, 0x8B];

fn parse_records(bytes: &[u8]) -> Result<Vec<Record>, MarcError> {
    let mut records = Vec::new();
    let mut rest = bytes;
    while !rest.iter().all(u8::is_ascii_whitespace) {
        let n = records.len();
        let length: usize = std::str::from_utf8(rest.get(..5).ok_or(MarcError::Malformed(n))?)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(MarcError::Malformed(n))?;
        let data = rest.get(..length).ok_or(MarcError::Malformed(n))?;
        records.push(parse_record(data).ok_or(MarcError::Malformed(n))?);
        rest = &rest[length..];
    }
    Ok(records)
}

fn parse_record(data: &[u8]) -> Option<Record> {
    if data.len() < 25 || *data.last()? != RECORD_END {
        return None;
    }
    let leader = std::str::from_utf8(&data[..24]).ok()?.to_owned();
    let base: usize = leader.get(12..17)?.parse().ok()?;
    let directory = data.get(24..base.checked_sub(1)?)?;
    if directory.len() % 12 != 0 {
        return None;
    }
    let mut fields = Vec::with_capacity(directory.len() / 12);
    for entry in directory.chunks(12) {
        let entry = std::str::from_utf8(entry).ok()?;
        let tag = entry[..3].to_owned();
        let length: usize = entry[3..7].parse().ok()?;
        let start: usize = entry[7..12].parse().ok()?;
        let raw = data.get(base + start..base + start + length)?;
        let raw = raw.strip_suffix(&[FIELD_END]).unwrap_or(raw);
        let text = String::from_utf8_lossy(raw);
        if tag.as_str() < "010" {
            fields.push(Field { tag, value: text.into_owned(), subfields: Vec::new() });
            continue;
        }
        let subfields = text
            .split(SUBFIELD as char)
            .skip(1)
            .filter_map(|s| {
                let mut chars = s.chars();
                let code = chars.next()?;
                Some((code, clean(chars.as_str())))
            })
            .collect();
        fields.push(Field { tag, value: String::new(), subfields });
    }
    Some(Record { leader, fields })
}

/// Drops the non-sorting markers (NSB/NSE) and normalises spaces.
fn clean(text: &str) -> String {
    let text: String = text.chars().filter(|c| !matches!(c, '\u{88}' | '\u{89}' | '\u{98}' | '\u{9C}')).collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes ISBD punctuation that ends a MARC subfield (` /`, ` :`, ` ;`, ` =`, `,`, a final
/// full stop), keeping the text itself.
pub fn strip_isbd(text: &str) -> String {
    let mut s = text.trim();
    loop {
        let before = s;
        for end in [" /", " :", " ;", " =", ",", "．", "。", "/", ":", ";", "="] {
            s = s.strip_suffix(end).unwrap_or(s).trim_end();
        }
        // A final full stop, but not an ellipsis or an initial ("J.").
        if s.ends_with('.') && !s.ends_with("..") && !s.chars().rev().nth(1).is_some_and(|c| c.is_ascii_uppercase()) {
            s = s[..s.len() - 1].trim_end();
        }
        if s == before {
            break;
        }
    }
    s.trim_start_matches(['=', ':', ' ']).trim().to_owned()
}

impl Record {
    pub fn control(&self, tag: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.tag == tag).map(|f| f.value.as_str())
    }

    fn all<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields.iter().filter(move |f| f.tag == tag)
    }

    /// The vernacular form of a field when the record has one, else the field itself.
    fn preferred<'a>(&'a self, tag: &'a str) -> Vec<&'a Field> {
        let vernacular: Vec<&Field> = self.all("880").filter(|f| f.linked_tag() == Some(tag)).collect();
        if vernacular.is_empty() {
            self.all(tag).collect()
        } else {
            vernacular
        }
    }

    fn preferred_first<'a>(&'a self, tag: &'a str) -> Option<&'a Field> {
        self.preferred(tag).into_iter().next()
    }
}

/// One MARC record as a catalogue record; `None` without a control number or a title.
pub fn to_bib_record(record: &Record) -> Option<BibRecord> {
    let control = record.control("001")?.trim().to_owned();
    let title_field = record.preferred_first("245")?;
    let title = strip_isbd(&title_field.joined(&['a', 'n', 'p'], " "));
    if title.is_empty() {
        return None;
    }
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    let subtitle = title_field.first('b').map(strip_isbd).and_then(non_empty);
    let responsibility = title_field.first('c').map(strip_isbd).and_then(non_empty);
    let title_romanized = record
        .all("245")
        .next()
        .filter(|roman| !std::ptr::eq(*roman, title_field))
        .map(|f| strip_isbd(&f.joined(&['a', 'b'], " ")))
        .and_then(non_empty);
    let mut authors: Vec<String> = Vec::new();
    for tag in ["100", "110", "700", "710"] {
        for f in record.preferred(tag) {
            if let Some(name) = f.first('a').map(strip_isbd).filter(|n| !n.is_empty()) {
                if !authors.contains(&name) {
                    authors.push(name);
                }
            }
        }
    }
    let imprint = record.preferred_first("260").or_else(|| record.preferred_first("264"));
    let imprint_part = |code: char| imprint.and_then(|f| f.first(code)).map(strip_isbd).and_then(non_empty);
    let fixed = record.control("008").unwrap_or_default();
    let year =
        fixed.get(7..11).and_then(|y| y.parse::<i32>().ok()).or_else(|| imprint_part('c').and_then(|c| first_year(&c)));
    let language = fixed.get(35..38).filter(|l| l.chars().all(|c| c.is_ascii_lowercase())).unwrap_or("und");
    let isbns = record.all("020").filter_map(|f| f.first('a')).filter_map(isbn_digits).collect();
    let mut subjects = Vec::new();
    for tag in ["600", "610", "650", "651"] {
        for f in record.all(tag) {
            let s = strip_isbd(&f.joined(&['a', 'b', 'v', 'x', 'y', 'z'], " -- "));
            if !s.is_empty() && !subjects.contains(&s) {
                subjects.push(s);
            }
        }
    }
    let lcc = record.all("050").next().map(|f| f.joined(&['a', 'b'], " ")).and_then(non_empty);
    let clc = record
        .all("084")
        .find(|f| f.first('2') == Some("clc"))
        .and_then(|f| f.first('a'))
        .map(str::to_owned)
        .unwrap_or_else(|| clc_from_lcc(lcc.as_deref().unwrap_or("")).to_owned());
    Some(BibRecord {
        id: format!("loc-{control}"),
        source: RecordSource::LibraryOfCongress,
        title,
        subtitle,
        title_romanized,
        responsibility,
        authors,
        edition: record.preferred_first("250").and_then(|f| f.first('a')).map(strip_isbd).and_then(non_empty),
        place: imprint_part('a'),
        publisher: imprint_part('b'),
        year,
        extent: record.all("300").next().and_then(|f| f.first('a')).map(strip_isbd).and_then(non_empty),
        isbns,
        subjects,
        series: record.preferred_first("490").and_then(|f| f.first('a')).map(strip_isbd).and_then(non_empty),
        summary: record.preferred_first("520").and_then(|f| f.first('a')).map(strip_isbd).and_then(non_empty),
        clc,
        lcc,
        language: language.to_owned(),
    })
}

fn first_year(text: &str) -> Option<i32> {
    let digits: Vec<char> = text.chars().collect();
    digits
        .windows(4)
        .find(|w| w.iter().all(char::is_ascii_digit))
        .and_then(|w| w.iter().collect::<String>().parse().ok())
}

/// The ISBN at the start of a 020 `$a` (`7213017179 (pbk.)` → `7213017179`).
pub fn isbn_digits(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, 'X' | 'x' | '-'))
        .filter(|c| *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    matches!(digits.len(), 10 | 13).then_some(digits)
}

/// A 中图法 class for a record catalogued only in LC classification: the nearest class at the
/// level both schemes share (a correspondence by subject, not a cataloguer's decision).
pub fn clc_from_lcc(lcc: &str) -> &'static str {
    let letters: String = lcc.chars().take_while(char::is_ascii_uppercase).collect();
    let number: f64 = lcc[letters.len()..]
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    match letters.as_str() {
        "A" | "AC" | "AE" | "AG" | "AI" | "AS" | "AY" | "AZ" => "Z",
        "B" | "BC" | "BD" | "BF" | "BH" | "BJ" => "B",
        "BL" | "BM" | "BP" | "BQ" | "BR" | "BS" | "BT" | "BV" | "BX" => "B9",
        "C" | "CB" | "CC" | "CD" | "CE" | "CJ" | "CN" | "CR" | "CS" | "CT" => "K",
        "DS" => "K2",
        "GA" | "GB" | "GC" | "GE" | "GF" => "K9",
        "GN" | "GR" | "GT" => "K89",
        "GV" => "G8",
        "HA" => "C8",
        "HB" | "HC" | "HD" | "HE" | "HF" | "HG" | "HJ" => "F",
        "HM" | "HN" | "HQ" | "HS" | "HT" | "HV" => "C91",
        "HX" => "A",
        "L" | "LA" | "LB" | "LC" | "LD" | "LE" | "LF" | "LG" | "LH" | "LJ" | "LT" => "G4",
        "M" | "ML" | "MT" => "J6",
        "N" | "NA" | "NB" | "NC" | "ND" | "NE" | "NK" | "NX" => match letters.as_str() {
            "NA" => "TU",
            "ND" | "NC" => "J2",
            "NK" if (3600.0..3700.0).contains(&number) => "J29",
            "NK" => "J5",
            _ => "J",
        },
        "TR" => "J4",
        "PN" if (1990.0..2000.0).contains(&number) => "J9",
        "PN" if (2000.0..3310.0).contains(&number) => "J8",
        "PL" if (1001.0..2245.0).contains(&number) => "H1",
        "P" | "PA" | "PB" | "PC" | "PD" | "PE" | "PF" | "PG" | "PH" | "PJ" | "PK" | "PL" | "PM" | "PN" | "PQ"
        | "PR" | "PS" | "PT" | "PZ" => "I",
        "Q" => "N",
        "QA" => "O1",
        "QB" => "P1",
        "QC" => "O4",
        "QD" => "O6",
        "QE" => "P5",
        "QH" | "QK" | "QL" | "QM" | "QP" | "QR" => "Q",
        "R" | "RA" | "RB" | "RC" | "RD" | "RE" | "RF" | "RG" | "RJ" | "RK" | "RL" | "RM" | "RS" | "RT" | "RV"
        | "RX" | "RZ" => "R",
        "S" | "SB" | "SD" | "SF" | "SH" | "SK" => "S",
        "TA" | "TC" | "TD" | "TE" | "TF" | "TG" | "TH" => "TU",
        "TJ" | "TL" => "TH",
        "TK" => "TM",
        "TN" => "TD",
        "TP" => "TQ",
        "TS" | "TT" | "TX" => "TS",
        "U" | "UA" | "UB" | "UC" | "UD" | "UE" | "UF" | "UG" | "UH" | "V" | "VA" | "VB" | "VC" | "VD" | "VE" | "VF"
        | "VG" | "VK" | "VM" => "E",
        "Z" => "G25",
        l if l.starts_with('D') || l.starts_with('E') || l.starts_with('F') => "K",
        l if l.starts_with('G') => "K9",
        l if l.starts_with('J') || l.starts_with('K') => "D",
        _ => "Z",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = include_bytes!("../../../server/demo/library/loc_books_chi_sample.mrc.gz");

    #[test]
    fn isbd_punctuation_is_removed_and_text_kept() {
        assert_eq!(strip_isbd("河南省粮食志 /"), "河南省粮食志");
        assert_eq!(strip_isbd("第1版．"), "第1版");
        assert_eq!(strip_isbd("北京 :"), "北京");
        assert_eq!(strip_isbd("= A collection of paintings."), "A collection of paintings");
        assert_eq!(strip_isbd("Smith, J."), "Smith, J.");
    }

    #[test]
    fn a_compressed_file_reads_as_the_same_records_and_a_broken_one_is_refused() {
        let compressed = parse_file(SAMPLE).expect("parses");
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(SAMPLE), &mut plain).expect("inflates");
        assert_eq!(parse_file(&plain).expect("parses"), compressed);
        assert_eq!(parse_file(&SAMPLE[..SAMPLE.len() / 2]), Err(MarcError::NotGzip));
    }

    #[test]
    fn the_library_of_congress_sample_parses_with_vernacular_titles() {
        let records = parse_file(SAMPLE).expect("parses");
        assert_eq!(records.len(), 1014);
        let bibs: Vec<BibRecord> = records.iter().filter_map(to_bib_record).collect();
        assert_eq!(bibs.len(), 1014);
        let han = bibs.iter().filter(|b| b.title.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))).count();
        assert!(han > 1000, "vernacular titles from 880: {han}");
        let dictionary = bibs.iter().find(|b| b.isbns.contains(&"7213017179".to_owned())).expect("known record");
        assert_eq!(dictionary.title, "中国古代书法家辞典");
        assert_eq!(dictionary.publisher.as_deref(), Some("浙江人民出版社"));
        assert_eq!(dictionary.year, Some(1999));
        assert_eq!(dictionary.id, "loc-00434132");
        assert!(dictionary.title_romanized.as_deref().is_some_and(|t| t.starts_with("Zhongguo")));
        assert!(dictionary.authors.contains(&"吴木".to_owned()));
        assert!(bibs.iter().all(|b| !b.title.ends_with(" /") && !b.title.ends_with(" :")));
        assert!(bibs.iter().all(|b| super::super::contract::CLC_TOP_CLASSES.contains(&b.clc_top())));
    }

    #[test]
    fn lc_classes_map_to_clc_top_classes() {
        assert_eq!(clc_from_lcc("NK3634.A2"), "J29");
        assert_eq!(clc_from_lcc("DS734"), "K2");
        assert_eq!(clc_from_lcc("PL2658.Q3"), "I");
        assert_eq!(clc_from_lcc("PL1171"), "H1");
        assert_eq!(clc_from_lcc("QA76.9"), "O1");
        assert_eq!(clc_from_lcc(""), "Z");
    }
}
