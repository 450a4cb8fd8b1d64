//! The catalogue search index (tantivy). Text fields are folded (traditional → simplified,
//! full-width → ASCII, lower case) before jieba segments them in search mode, so 紅樓夢 and
//! 红楼梦 are the same words; titles also carry every two-character sequence (so any two
//! characters of a title find it whatever jieba made of them), and pinyin syllables, whole
//! words in pinyin and their initials (`hlm` → 红楼梦). Facets: branch, availability, decade
//! and the 中图法 class as a path of its levels (`/clc/I/I2/I24/I247/=` for I247.5, the last
//! segment marking where the record's class ends), so a class filter is one term for every
//! record at or below it, and one facet count gives the next level down plus the records
//! classed at the chosen level itself. The index is rebuilt from the provider and kept current
//! from its change cursor (stored as the commit payload). The schema is the index's version: an
//! index on disk built with another one is refused by [`CatalogueIndex::open`] and rebuilt.

use super::super::contract::{clc_path, ChangedRecord};
use super::super::model::*;
use std::path::Path;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::{LowerCaser, TextAnalyzer, TokenStream, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

const ZH: &str = "zh";
/// The last segment of a record's class path: "classed here, no deeper".
const CLASS_END: &str = "=";
/// The first segment of every class path. Counting the children of the root facet is wrong for
/// facets deeper than one level (tantivy 0.27's collector drops the first byte of each value
/// there, so the top classes' counts overwrite each other); under a named parent it is right.
const CLASS_ROOT: &str = "clc";
/// The class facet's field. Named anew whenever its terms change meaning (it was `class`, the
/// top letter only), so that an older index on disk no longer matches the schema.
const CLASS_FIELD: &str = "class_path";
const WORDS: &str = "words";

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    summary: Field,
    title: Field,
    title_exact: Field,
    title_pairs: Field,
    pinyin: Field,
    author: Field,
    subject: Field,
    publisher: Field,
    isbn: Field,
    branch: Field,
    availability: Field,
    class: Field,
    decade: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        summary: b.add_text_field("summary", STORED),
        title: b.add_text_field("title", text(ZH)),
        title_exact: b.add_text_field("title_exact", STRING),
        title_pairs: b.add_text_field("title_pairs", text(WORDS)),
        pinyin: b.add_text_field("pinyin", text(WORDS)),
        author: b.add_text_field("author", text(ZH)),
        subject: b.add_text_field("subject", text(ZH)),
        publisher: b.add_text_field("publisher", text(ZH)),
        isbn: b.add_text_field("isbn", STRING),
        branch: b.add_facet_field("branch", FacetOptions::default()),
        availability: b.add_facet_field("availability", FacetOptions::default()),
        class: b.add_facet_field(CLASS_FIELD, FacetOptions::default()),
        decade: b.add_facet_field("decade", FacetOptions::default()),
    };
    (b.build(), fields)
}

fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        id: f("id")?,
        summary: f("summary")?,
        title: f("title")?,
        title_exact: f("title_exact")?,
        title_pairs: f("title_pairs")?,
        pinyin: f("pinyin")?,
        author: f("author")?,
        subject: f("subject")?,
        publisher: f("publisher")?,
        isbn: f("isbn")?,
        branch: f("branch")?,
        availability: f("availability")?,
        class: f(CLASS_FIELD)?,
        decade: f("decade")?,
    })
}

pub struct CatalogueIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

/// Traditional → simplified, full-width → ASCII, lower case: applied to indexed text and to
/// queries alike.
pub fn fold(text: &str) -> String {
    let simplified = fast2s::convert(text);
    simplified
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Every two adjacent Han characters of `text`, as words.
fn han_pairs(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).filter(|w| is_han(w[0]) && is_han(w[1])).map(|w| w.iter().collect()).collect()
}

/// Pinyin of Han characters, one syllable per character (others are left out).
fn syllables(text: &str) -> Vec<String> {
    use pinyin::ToPinyin;
    text.chars().filter_map(|c| c.to_pinyin().map(|p| p.plain().to_owned())).collect()
}

/// A record as the index holds it: the folded text, and the summary the result list shows.
fn document(fields: &Fields, changed: &ChangedRecord, analyzer: &mut TextAnalyzer) -> TantivyDocument {
    let r = &changed.record;
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &r.id);
    let hit = Hit {
        id: r.id.clone(),
        title: r.title.clone(),
        subtitle: r.subtitle.clone(),
        authors: r.authors.clone(),
        publisher: r.publisher.clone(),
        year: r.year,
        clc: r.clc.clone(),
        copies: None,
    };
    doc.add_text(fields.summary, serde_json::to_string(&hit).unwrap_or_default());
    let title = fold(&r.title);
    let full_title = match &r.subtitle {
        Some(sub) => format!("{title} {}", fold(sub)),
        None => title.clone(),
    };
    doc.add_text(fields.title, &full_title);
    if let Some(roman) = &r.title_romanized {
        doc.add_text(fields.title, fold(roman));
    }
    doc.add_text(fields.title_exact, &title);
    doc.add_text(fields.title_pairs, han_pairs(&full_title).join(" "));
    // Pinyin: each syllable, each word's syllables run together and its initials, and the
    // whole title's run and initials.
    let mut pinyin: Vec<String> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut stream = analyzer.token_stream(&title);
    while let Some(token) = stream.next() {
        words.push(token.text.clone());
    }
    for word in words.iter().chain(std::iter::once(&title)) {
        let s = syllables(word);
        if s.is_empty() {
            continue;
        }
        pinyin.extend(s.iter().cloned());
        pinyin.push(s.concat());
        pinyin.push(s.iter().filter_map(|p| p.chars().next()).collect());
    }
    doc.add_text(fields.pinyin, pinyin.join(" "));
    for author in &r.authors {
        doc.add_text(fields.author, fold(author));
        let s = syllables(author);
        if !s.is_empty() {
            doc.add_text(
                fields.pinyin,
                format!("{} {}", s.concat(), s.iter().filter_map(|p| p.chars().next()).collect::<String>()),
            );
        }
    }
    if let Some(resp) = &r.responsibility {
        doc.add_text(fields.author, fold(resp));
    }
    for subject in &r.subjects {
        doc.add_text(fields.subject, fold(subject));
    }
    if let Some(series) = &r.series {
        doc.add_text(fields.subject, fold(series));
    }
    if let Some(publisher) = &r.publisher {
        doc.add_text(fields.publisher, fold(publisher));
    }
    for isbn in &r.isbns {
        doc.add_text(fields.isbn, isbn);
        if let Some(other) = other_isbn_form(isbn) {
            doc.add_text(fields.isbn, other);
        }
    }
    for branch in &changed.branches {
        doc.add_facet(fields.branch, Facet::from_path([branch.as_str()]));
    }
    doc.add_facet(fields.availability, Facet::from_path([if changed.available { "yes" } else { "no" }]));
    doc.add_facet(fields.class, class_facet(&r.clc));
    doc.add_facet(
        fields.decade,
        match r.year {
            Some(y) => Facet::from_path([(y - y.rem_euclid(10)).to_string()]),
            None => Facet::from_path(["unknown"]),
        },
    );
    doc
}

/// The facet of a class level: [`CLASS_ROOT`], then the levels down to it.
fn class_level_facet<S: AsRef<str>>(levels: &[S]) -> Facet {
    Facet::from_path(std::iter::once(CLASS_ROOT).chain(levels.iter().map(AsRef::as_ref)))
}

/// The facet a record's class number is indexed as: its levels, then [`CLASS_END`].
fn class_facet(clc: &str) -> Facet {
    let mut path = clc_path(clc);
    path.push(CLASS_END.to_owned());
    class_level_facet(&path)
}

/// ISBN-10 ↔ ISBN-13 (978 prefix), so either form finds the book.
pub fn other_isbn_form(isbn: &str) -> Option<String> {
    let digits: Vec<u32> = isbn.chars().filter_map(|c| c.to_digit(10)).collect();
    match isbn.len() {
        10 => {
            let body: Vec<u32> = [9, 7, 8].into_iter().chain(digits.iter().copied().take(9)).collect();
            if body.len() != 12 {
                return None;
            }
            let sum: u32 = body.iter().enumerate().map(|(i, d)| d * if i % 2 == 0 { 1 } else { 3 }).sum();
            let body: String = body.iter().map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect();
            Some(format!("{body}{}", (10 - sum % 10) % 10))
        }
        13 if isbn.starts_with("978") => {
            let body = &digits[3..12];
            let sum: u32 = body.iter().enumerate().map(|(i, d)| d * (10 - i as u32)).sum();
            let check = (11 - sum % 11) % 11;
            let check = if check == 10 { 'X' } else { char::from_digit(check, 10).unwrap_or('0') };
            Some(format!("{}{check}", body.iter().map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect::<String>()))
        }
        _ => None,
    }
}

fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(ZH, TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::new()).filter(LowerCaser).build());
    index.tokenizers().register(WORDS, TextAnalyzer::builder(WhitespaceTokenizer::default()).build());
}

/// Writer memory: enough for a fast bulk load, small beside the server.
const WRITER_BYTES: usize = 64 * 1024 * 1024;

impl CatalogueIndex {
    fn wrap(index: Index) -> tantivy::Result<CatalogueIndex> {
        register_tokenizers(&index);
        let fields = fields_of(&index.schema())?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(CatalogueIndex { index, reader, fields })
    }

    pub fn in_memory() -> tantivy::Result<CatalogueIndex> {
        Self::wrap(Index::create_in_ram(schema().0))
    }

    pub fn create(dir: &Path) -> tantivy::Result<CatalogueIndex> {
        std::fs::create_dir_all(dir)?;
        Self::wrap(Index::create_in_dir(dir, schema().0)?)
    }

    /// Opens the index in `dir`; one built with another schema (an older version of the portal)
    /// is refused, so that it is rebuilt rather than searched wrongly.
    pub fn open(dir: &Path) -> tantivy::Result<CatalogueIndex> {
        let index = Index::open_in_dir(dir)?;
        let same = |s: &Schema| serde_json::to_string(s).unwrap_or_default();
        if same(&index.schema()) != same(&schema().0) {
            return Err(tantivy::TantivyError::SchemaError(
                "the index was built by another version of the portal (another schema)".into(),
            ));
        }
        Self::wrap(index)
    }

    /// The provider's change cursor this index is current to.
    pub fn cursor(&self) -> i64 {
        self.index.load_metas().ok().and_then(|m| m.payload).and_then(|p| p.parse().ok()).unwrap_or(0)
    }

    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn writer(&self) -> tantivy::Result<IndexWriter> {
        self.index.writer_with_num_threads(1, WRITER_BYTES)
    }

    pub(super) fn upsert(&self, writer: &mut IndexWriter, changed: &ChangedRecord) -> tantivy::Result<()> {
        writer.delete_term(Term::from_field_text(self.fields.id, &changed.record.id));
        let mut analyzer = self.index.tokenizers().get(ZH).unwrap_or_default();
        writer.add_document(document(&self.fields, changed, &mut analyzer))?;
        Ok(())
    }

    pub(super) fn commit(&self, mut writer: IndexWriter, cursor: i64) -> tantivy::Result<()> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&cursor.to_string());
        prepared.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()
    }

    fn words(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.index.tokenizers().get(ZH).unwrap_or_default();
        let mut stream = analyzer.token_stream(text);
        let mut words = Vec::new();
        while let Some(token) = stream.next() {
            if token.text.chars().any(char::is_alphanumeric) && !words.contains(&token.text) {
                words.push(token.text.clone());
            }
        }
        words
    }

    /// The query for one word the citizen typed (space-separated words must all match).
    fn word_query(&self, word: &str, field: SearchField) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let term = |field: Field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
        };
        let boosted = |q: Box<dyn Query>, boost: f32| -> Box<dyn Query> { Box::new(BoostQuery::new(q, boost)) };
        let isbn: String = word.chars().filter(|c| c.is_ascii_digit() || *c == 'x').collect::<String>().to_uppercase();
        let looks_like_isbn =
            matches!(isbn.len(), 10 | 13) && word.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | 'x'));
        if field == SearchField::Isbn || looks_like_isbn {
            return Some(term(f.isbn, &isbn));
        }
        // All of a word's jieba words in one field.
        let all_in = |field: Field, words: &[String]| -> Option<Box<dyn Query>> {
            match words {
                [] => None,
                [one] => Some(term(field, one)),
                many => Some(Box::new(BooleanQuery::intersection(many.iter().map(|w| term(field, w)).collect()))),
            }
        };
        let words = self.words(word);
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        let wants = |candidate: SearchField| field == SearchField::All || field == candidate;
        if wants(SearchField::Title) {
            alternatives.extend(all_in(f.title, &words).map(|q| boosted(q, 3.0)));
            let pairs = han_pairs(word);
            if !pairs.is_empty() && pairs.len() + 1 == word.chars().count() {
                alternatives.extend(all_in(f.title_pairs, &pairs).map(|q| boosted(q, 1.5)));
            }
        }
        if wants(SearchField::Author) {
            alternatives.extend(all_in(f.author, &words).map(|q| boosted(q, 2.0)));
        }
        if wants(SearchField::Subject) {
            alternatives.extend(all_in(f.subject, &words));
        }
        if wants(SearchField::Publisher) {
            alternatives.extend(all_in(f.publisher, &words).map(|q| boosted(q, 0.5)));
        }
        // Latin letters may be pinyin or initials of a title or an author.
        if matches!(field, SearchField::All | SearchField::Title | SearchField::Author)
            && word.chars().all(|c| c.is_ascii_lowercase())
        {
            alternatives.push(boosted(term(f.pinyin, word), 2.0));
        }
        match alternatives.len() {
            0 => None,
            1 => alternatives.pop(),
            _ => Some(Box::new(BooleanQuery::union(alternatives))),
        }
    }

    /// Searches; `query` has passed [`check_query`].
    pub fn search(&self, params: &SearchParams, query: &str) -> tantivy::Result<(u64, Vec<Hit>, Facets)> {
        let f = &self.fields;
        let folded = fold(query);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in folded.split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '-')) {
            if word.is_empty() {
                continue;
            }
            if let Some(q) = self.word_query(word, params.field) {
                clauses.push((Occur::Must, q));
            }
        }
        if clauses.is_empty() {
            return Ok((0, Vec::new(), Facets::default()));
        }
        // The whole title typed exactly ranks first.
        if matches!(params.field, SearchField::All | SearchField::Title) {
            let exact = TermQuery::new(Term::from_field_text(f.title_exact, folded.trim()), IndexRecordOption::Basic);
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(exact), 10.0))));
        }
        // Filters do not change the ranking.
        let term_facet = |field: Field, path: &[&str]| -> Box<dyn Query> {
            let q = TermQuery::new(Term::from_facet(field, &Facet::from_path(path)), IndexRecordOption::Basic);
            Box::new(ConstScoreQuery::new(Box::new(q), 0.0))
        };
        if let Some(branch) = &params.branch {
            clauses.push((Occur::Must, term_facet(f.branch, &[branch.as_str()])));
        }
        if params.available_only {
            clauses.push((Occur::Must, term_facet(f.availability, &["yes"])));
        }
        // The chosen class and everything below it: the facet's terms include every ancestor.
        let class_path = params.class.as_deref().map(clc_path).unwrap_or_default();
        let class_level = class_level_facet(&class_path);
        if !class_path.is_empty() {
            let q = TermQuery::new(Term::from_facet(f.class, &class_level), IndexRecordOption::Basic);
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(q), 0.0))));
        }
        if let Some(decade) = params.decade {
            clauses.push((Occur::Must, term_facet(f.decade, &[decade.to_string().as_str()])));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let facet = |name: &str| {
            let mut c = FacetCollector::for_field(name);
            c.add_facet("/");
            c
        };
        let mut class_counts = FacetCollector::for_field(CLASS_FIELD);
        class_counts.add_facet(class_level.clone());
        let page = params.page.clamp(1, MAX_PAGE) as usize;
        let top = TopDocs::with_limit(PAGE_SIZE).and_offset((page - 1) * PAGE_SIZE).order_by_score();
        let (docs, total, (branches, availability), (classes, decades)) = searcher
            .search(&query, &(top, Count, (facet("branch"), facet("availability")), (class_counts, facet("decade"))))?;
        let mut hits = Vec::with_capacity(docs.len());
        for (_, address) in docs {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(hit) =
                doc.get_first(f.summary).and_then(|v| v.as_str()).and_then(|s| serde_json::from_str::<Hit>(s).ok())
            {
                hits.push(hit);
            }
        }
        let children_of = |counts: &tantivy::collector::FacetCounts, parent: &Facet| -> Vec<(String, u64)> {
            counts
                .get(parent.clone())
                .map(|(facet, count)| (facet.to_path().last().map(|s| (*s).to_owned()).unwrap_or_default(), count))
                .collect()
        };
        let children = |counts: &tantivy::collector::FacetCounts| children_of(counts, &Facet::root());
        let mut facets = Facets {
            branches: children(&branches).into_iter().map(|(key, count)| FacetCount { key, count }).collect(),
            ..Default::default()
        };
        for (key, count) in children(&availability) {
            match key.as_str() {
                "yes" => facets.available = count,
                _ => facets.not_available = count,
            }
        }
        for (key, count) in children_of(&classes, &class_level) {
            if key == CLASS_END {
                facets.class_exact = count;
            } else {
                facets.classes.push(FacetCount { key, count });
            }
        }
        facets.classes.sort_by(|a, b| a.key.cmp(&b.key));
        facets.decades =
            children(&decades).into_iter().map(|(key, count)| FacetCount { key: key.parse().ok(), count }).collect();
        facets.decades.sort_by_key(|d| std::cmp::Reverse(d.key));
        Ok((total as u64, hits, facets))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_makes_traditional_and_full_width_the_same_as_simplified() {
        assert_eq!(fold("紅樓夢"), "红楼梦");
        assert_eq!(fold("故宮"), "故宫");
        assert_eq!(fold("ＡＢＣ１"), "abc1");
    }

    #[test]
    fn isbn_forms_convert_both_ways() {
        assert_eq!(other_isbn_form("7213017179").as_deref(), Some("9787213017179"));
        assert_eq!(other_isbn_form("9787213017179").as_deref(), Some("7213017179"));
        assert_eq!(other_isbn_form("780574291X").as_deref(), Some("9787805742915"));
    }

    #[test]
    fn a_class_number_is_indexed_as_its_levels_and_where_it_ends() {
        assert_eq!(class_facet("I247.5").to_path(), [CLASS_ROOT, "I", "I2", "I24", "I247", CLASS_END]);
        assert_eq!(class_facet("TP3").to_path(), [CLASS_ROOT, "T", "TP", "TP3", CLASS_END]);
        assert_eq!(class_facet("").to_path(), [CLASS_ROOT, "Z", CLASS_END]);
        assert!(class_level_facet(&["I", "I2"]).is_prefix_of(&class_facet("I247.5")));
        assert!(!class_level_facet(&["I", "I2"]).is_prefix_of(&class_facet("I3")));
    }
}
