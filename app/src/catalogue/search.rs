//! Chinese search over the published catalogue, for queries as citizens type them.
//!
//! A query becomes a list of *concepts*: the words jieba segments it into (without question words
//! and fillers such as 我想, 怎么, 需要什么材料), the synonyms editors keep with the catalogue
//! (生孩子 → 出生、生育、新生儿), and Latin-letter words read as full pinyin (hunyin, shebaoka),
//! pinyin initials (sfz) or English. Each concept may match a different field; an item's score is
//! the average over the query's concepts of the best field each matched (name > alias > keyword >
//! department > material > summary), concepts that few items match counting more. The whole
//! query (or what remains of it without fillers) found inside one field still ranks highest, so
//! two-character queries such as 户口 or 低保 work as before.
//!
//! Everything that depends only on the catalogue (normalised texts, pinyin with syllable
//! boundaries, initials, English words) is computed when the index is built.

use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What the index needs of one published item.
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub aliases: Vec<String>,
    pub keywords: Vec<String>,
    pub materials: Vec<String>,
    pub department: String,
    pub summary: String,
    pub summary_en: String,
}

/// One entry of the synonym list editors keep with the catalogue: words people type and the
/// catalogue's own words for the same thing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonym {
    /// What people type: 生孩子, 社保卡.
    pub say: Vec<String>,
    /// What the catalogue calls it: 出生、生育、新生儿; 社会保障卡.
    pub means: Vec<String>,
}

/// Where a result matched, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchedIn {
    Name,
    Alias,
    Keyword,
    Department,
    Material,
    Summary,
}

impl MatchedIn {
    fn weight(self) -> f32 {
        match self {
            MatchedIn::Name => 100.0,
            MatchedIn::Alias => 80.0,
            MatchedIn::Keyword => 60.0,
            MatchedIn::Department => 30.0,
            MatchedIn::Material => 25.0,
            MatchedIn::Summary => 10.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub code: String,
    pub score: u32,
    /// The field that counted most.
    pub matched_in: MatchedIn,
    /// That field's text as written (the material's name, for a hit through a material).
    pub matched_text: String,
}

/// How much a match through each kind of form counts, against the word itself.
const SYNONYM: f32 = 0.9;
const PINYIN: f32 = 0.95;
const INITIALS: f32 = 0.9;
/// A shorter word inside the query word (结婚 of 结婚证).
const PART: f32 = 0.5;
/// The query word's sound in another field's characters: a slip of the pinyin input method
/// (身分证, 结婚登计).
const HOMOPHONE: f32 = 0.6;
/// Hits scoring less than this share of the best one say nothing useful and are left out.
const CUTOFF: f32 = 0.2;

/// Question words and fillers that say nothing about which service (怎么办理…需要什么材料).
const FILLER: &[&str] = &[
    "我",
    "我想",
    "我要",
    "想",
    "想要",
    "要",
    "你",
    "请",
    "请问",
    "一下",
    "怎么",
    "怎么办",
    "怎么样",
    "怎样",
    "如何",
    "为什么",
    "什么",
    "哪些",
    "哪个",
    "哪里",
    "哪儿",
    "在哪",
    "在哪里",
    "在哪儿",
    "去哪",
    "去哪里",
    "需要",
    "需",
    "要求",
    "材料",
    "资料",
    "手续",
    "流程",
    "步骤",
    "条件",
    "办理",
    "办",
    "申请",
    "吗",
    "呢",
    "吧",
    "啊",
    "的",
    "了",
    "得",
    "去",
    "在",
    "可以",
    "能",
    "能不能",
    "可不可以",
    "是不是",
    "有没有",
    "多久",
    "多长时间",
    "时间",
    "费用",
    "多少钱",
    "收费",
    "网上",
    "在线",
    "线上",
    "现场",
    "本人",
    "自己",
    "帮",
    "给",
    "带",
    "准备",
    "提交",
    "所需",
    "相关",
    "咨询",
    "关于",
    "问题",
    "都",
    "还",
    "后",
    "之后",
    "以后",
    "每年",
    "了吗",
];

/// English words that say nothing about which service.
const ENGLISH_FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "for",
    "to",
    "in",
    "on",
    "at",
    "my",
    "our",
    "i",
    "we",
    "you",
    "how",
    "what",
    "where",
    "when",
    "which",
    "who",
    "do",
    "does",
    "can",
    "could",
    "is",
    "are",
    "be",
    "need",
    "needs",
    "want",
    "get",
    "apply",
    "application",
    "please",
    "with",
    "and",
    "or",
    "from",
    "about",
    "documents",
    "required",
];

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Full-width letters and digits made half-width, lower case.
fn fold(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
}

/// Lower case, full-width letters and digits made half-width, punctuation and spaces dropped.
pub fn normalise(text: &str) -> String {
    fold(text).filter(|c| c.is_alphanumeric()).collect()
}

/// The pinyin initials of the Chinese characters in `text` (other characters dropped).
pub fn initials(text: &str) -> String {
    use pinyin::ToPinyin;
    text.to_pinyin().flatten().filter_map(|p| p.first_letter().chars().next()).collect()
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Toneless pinyin of a normalised text, ü written v as on keyboards, Latin letters and digits
/// kept; with a flag per byte position saying whether a syllable starts or ends there.
fn pinyin_of(text: &str) -> (String, Vec<bool>) {
    use pinyin::ToPinyin;
    let mut out = String::with_capacity(text.len() * 2);
    let mut bounds = vec![true];
    for c in text.chars() {
        let syllable = if is_cjk(c) { c.to_pinyin().map(|p| p.plain()) } else { None };
        match syllable {
            Some(s) => {
                for ch in s.chars() {
                    out.push(if ch == 'ü' { 'v' } else { ch });
                    bounds.push(false);
                }
            }
            None if c.is_ascii_alphanumeric() => {
                out.push(c);
                bounds.push(false);
            }
            None => continue,
        }
        if let Some(last) = bounds.last_mut() {
            *last = true;
        }
    }
    (out, bounds)
}

/// One searchable text of an item, prepared once.
struct Field {
    kind: MatchedIn,
    shown: String,
    text: String,
    chars: usize,
    pinyin: String,
    bounds: Vec<bool>,
    /// Initials of names, aliases and keywords (what people abbreviate); empty for the rest.
    initials: String,
}

impl Field {
    fn new(kind: MatchedIn, shown: &str) -> Field {
        let text = normalise(shown);
        let (pinyin, bounds) = pinyin_of(&text);
        let initials = if kind <= MatchedIn::Keyword { initials(&text) } else { String::new() };
        Field { kind, shown: shown.to_owned(), chars: text.chars().count(), text, pinyin, bounds, initials }
    }

    /// `needle` in the pinyin, starting and ending on syllable boundaries (xian is 西安 or 县,
    /// never the middle of 县城 xiancheng's neighbours).
    fn has_syllables(&self, needle: &str) -> bool {
        let mut from = 0;
        while let Some(i) = self.pinyin.get(from..).and_then(|rest| rest.find(needle)) {
            let at = from + i;
            if self.bounds[at] && self.bounds.get(at + needle.len()) == Some(&true) {
                return true;
            }
            from = at + 1;
        }
        false
    }
}

/// An English text of an item, as words.
struct EnglishField {
    kind: MatchedIn,
    words: Vec<String>,
}

struct Entry {
    code: String,
    name: String,
    fields: Vec<Field>,
    english: Vec<EnglishField>,
    /// Every field's text, pinyin and initials joined with a separator no query form contains:
    /// one scan tells whether looking at the fields one by one can find anything.
    all_text: String,
    all_pinyin: String,
    all_initials: String,
}

/// How one concept of a query may appear in a field.
#[derive(Debug, Clone, PartialEq)]
enum Form {
    /// Inside the normalised text.
    Text(String),
    /// Whole syllables of the field's pinyin.
    Syllables(String),
    /// Inside the initials of a name, alias or keyword.
    Initials(String),
    /// A word of an English text starting with this stem.
    English(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Concept {
    forms: Vec<(Form, f32)>,
}

/// How well an item matched: score, the field that counted most (its index; `None` for an
/// English text) and its kind.
type Best = Option<(f32, Option<usize>, MatchedIn)>;

pub struct SearchIndex {
    entries: Vec<Entry>,
    /// (what people type, normalised; the catalogue's words for it), longest first.
    synonyms: Vec<(String, Vec<String>)>,
}

fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect()
}

/// The start a word of an English text must have to count as this query word: the whole of a
/// short word, otherwise all but the last two letters (licence/license, register/registration,
/// a slip at the end of marrige).
fn english_stem(word: &str) -> String {
    let keep = if word.len() <= 5 { word.len() } else { (word.len() - 2).max(5) };
    word[..keep].to_owned()
}

impl SearchIndex {
    pub fn new(docs: Vec<SearchDoc>, synonyms: &[Synonym]) -> SearchIndex {
        // Queries are segmented with jieba: build its dictionary with the index, not on the
        // first query.
        jieba();
        let entries = docs
            .into_iter()
            .map(|doc| {
                let mut fields = vec![Field::new(MatchedIn::Name, &doc.name_zh)];
                fields.extend(doc.aliases.iter().map(|a| Field::new(MatchedIn::Alias, a)));
                fields.extend(doc.keywords.iter().map(|k| Field::new(MatchedIn::Keyword, k)));
                fields.push(Field::new(MatchedIn::Department, &doc.department));
                fields.extend(doc.materials.iter().map(|m| Field::new(MatchedIn::Material, m)));
                fields.push(Field::new(MatchedIn::Summary, &doc.summary));
                fields.retain(|f| !f.text.is_empty());
                let english = vec![
                    EnglishField { kind: MatchedIn::Name, words: english_words(&doc.name_en) },
                    EnglishField { kind: MatchedIn::Summary, words: english_words(&doc.summary_en) },
                ];
                let joined = |part: fn(&Field) -> &str| fields.iter().map(part).collect::<Vec<_>>().join("|");
                Entry {
                    all_text: joined(|f| &f.text),
                    all_pinyin: joined(|f| &f.pinyin),
                    all_initials: joined(|f| &f.initials),
                    code: doc.code,
                    name: doc.name_zh,
                    fields,
                    english,
                }
            })
            .collect();
        let mut synonyms: Vec<(String, Vec<String>)> = synonyms
            .iter()
            .flat_map(|s| {
                let means: Vec<String> = s.means.iter().map(|m| normalise(m)).filter(|m| !m.is_empty()).collect();
                s.say.iter().map(move |say| (normalise(say), means.clone()))
            })
            .filter(|(say, means)| !say.is_empty() && !means.is_empty())
            .collect();
        synonyms.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then_with(|| a.0.cmp(&b.0)));
        SearchIndex { entries, synonyms }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Published items matching `query`, best first (ties by name).
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let whole = normalise(query);
        if whole.is_empty() {
            return Vec::new();
        }
        let analysed = self.analyse(query);
        let mut phrases = vec![whole];
        if analysed.stripped.chars().count() >= 2 && !phrases.contains(&analysed.stripped) {
            phrases.push(analysed.stripped.clone());
        }
        // Per item: the best reading of the query.
        let mut best: Vec<Best> = self.entries.iter().map(|_| None).collect();
        for reading in &analysed.readings {
            for (i, scored) in self.score_concepts(reading).into_iter().enumerate() {
                if scored.is_some_and(|(s, ..)| best[i].is_none_or(|(b, ..)| s > b)) {
                    best[i] = scored;
                }
            }
        }
        for (i, entry) in self.entries.iter().enumerate() {
            if let Some((s, field)) = phrase_score(entry, &phrases) {
                if best[i].is_none_or(|(b, ..)| s >= b) {
                    best[i] = Some((s, Some(field), entry.fields[field].kind));
                }
            }
        }
        let top = best.iter().flatten().map(|(s, ..)| *s).fold(0.0, f32::max);
        let mut hits: Vec<(Hit, &str)> = self
            .entries
            .iter()
            .zip(best)
            .filter_map(|(entry, best)| {
                let (score, field, matched_in) = best.filter(|(s, ..)| *s > 0.0 && *s >= top * CUTOFF)?;
                let matched_text = match field {
                    Some(f) => entry.fields[f].shown.clone(),
                    None => String::new(),
                };
                // Scores are at most a few hundred; keep two decimals in the integer.
                let score = (score * 100.0).round() as u32;
                Some((Hit { code: entry.code.clone(), score, matched_in, matched_text }, entry.name.as_str()))
            })
            .collect();
        hits.sort_by(|(a, an), (b, bn)| b.score.cmp(&a.score).then_with(|| an.cmp(bn)));
        hits.into_iter().map(|(h, _)| h).collect()
    }

    /// Each item's score for one reading of the query: the average of its concepts' best
    /// matches, weighted by how few items each concept matches. Concepts no item matches are
    /// left out (a word the catalogue never uses says nothing).
    fn score_concepts(&self, concepts: &[Concept]) -> Vec<Best> {
        let n = self.entries.len() as f32;
        let matches: Vec<Vec<Best>> =
            concepts.iter().map(|c| self.entries.iter().map(|e| best_match(e, c)).collect()).collect();
        let weights: Vec<f32> = matches
            .iter()
            .map(|per_item| {
                let found = per_item.iter().flatten().count() as f32;
                if found == 0.0 {
                    0.0
                } else {
                    (1.0 + n / found).ln() / (1.0 + n).ln()
                }
            })
            .collect();
        let total: f32 = weights.iter().sum();
        (0..self.entries.len())
            .map(|i| {
                if total == 0.0 {
                    return None;
                }
                let mut sum = 0.0;
                let mut strongest: Best = None;
                for (per_item, weight) in matches.iter().zip(&weights) {
                    if let Some((s, field, kind)) = per_item[i] {
                        sum += s * weight;
                        if strongest.is_none_or(|(b, ..)| s * weight > b) {
                            strongest = Some((s * weight, field, kind));
                        }
                    }
                }
                strongest.map(|(_, field, kind)| (sum / total, field, kind))
            })
            .collect()
    }
}

/// The whole query (or the query without fillers) inside one field: the field's weight, more
/// when the field is exactly the query or starts with it.
fn phrase_score(entry: &Entry, phrases: &[String]) -> Option<(f32, usize)> {
    let mut best: Option<(f32, usize)> = None;
    let phrases: Vec<&String> = phrases.iter().filter(|p| entry.all_text.contains(p.as_str())).collect();
    if phrases.is_empty() {
        return None;
    }
    for (i, field) in entry.fields.iter().enumerate() {
        for phrase in &phrases {
            if !field.text.contains(phrase.as_str()) {
                continue;
            }
            let exact = if &field.text == *phrase {
                0.3
            } else if field.text.starts_with(phrase.as_str()) {
                0.2
            } else {
                0.1
            };
            let score = field.kind.weight() * (1.0 + exact);
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, i));
            }
        }
    }
    best
}

/// The best field a concept matches in an item. A match covering more of a short field counts
/// a little more (居民身份证换领 over a long summary that mentions 身份证).
fn best_match(entry: &Entry, concept: &Concept) -> Best {
    let mut best: Best = None;
    let mut consider = |score: f32, field: Option<usize>, kind: MatchedIn| {
        if best.is_none_or(|(b, ..)| score > b) {
            best = Some((score, field, kind));
        }
    };
    let coverage = |part: usize, of: usize| 0.8 + 0.2 * (part as f32 / of.max(1) as f32).min(1.0);
    for (form, factor) in &concept.forms {
        match form {
            Form::Text(t) if entry.all_text.contains(t.as_str()) => {
                let len = t.chars().count();
                for (i, f) in entry.fields.iter().enumerate() {
                    if f.text.contains(t.as_str()) {
                        consider(f.kind.weight() * factor * coverage(len, f.chars), Some(i), f.kind);
                    }
                }
            }
            Form::Syllables(p) if entry.all_pinyin.contains(p.as_str()) => {
                for (i, f) in entry.fields.iter().enumerate() {
                    if f.has_syllables(p) {
                        consider(f.kind.weight() * factor * coverage(p.len(), f.pinyin.len()), Some(i), f.kind);
                    }
                }
            }
            Form::Initials(p) if entry.all_initials.contains(p.as_str()) => {
                for (i, f) in entry.fields.iter().enumerate() {
                    if f.initials.contains(p.as_str()) {
                        consider(f.kind.weight() * factor * coverage(p.len(), f.initials.len()), Some(i), f.kind);
                    }
                }
            }
            Form::Text(_) | Form::Syllables(_) | Form::Initials(_) => {}
            Form::English(stem) => {
                for f in &entry.english {
                    if f.words.iter().any(|w| w.starts_with(stem.as_str())) {
                        consider(f.kind.weight() * factor * coverage(1, f.words.len()), None, f.kind);
                    }
                }
            }
        }
    }
    best
}

/// A query taken apart: its possible readings (each a list of concepts) and the query without
/// fillers.
struct Analysed {
    readings: Vec<Vec<Concept>>,
    stripped: String,
}

/// A run of the query: Chinese characters, or Latin letters and digits.
#[derive(Debug, PartialEq)]
enum Piece {
    Han(String),
    Latin(String),
}

fn pieces(query: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for c in fold(query) {
        match (c, out.last_mut()) {
            (c, Some(Piece::Han(run))) if is_cjk(c) => run.push(c),
            (c, _) if is_cjk(c) => out.push(Piece::Han(c.to_string())),
            (c, Some(Piece::Latin(run))) if c.is_ascii_alphanumeric() => run.push(c),
            (c, _) if c.is_ascii_alphanumeric() => out.push(Piece::Latin(c.to_string())),
            // A space or punctuation ends a Latin word; Chinese text has no spaces to end.
            _ => out.push(Piece::Latin(String::new())),
        }
    }
    out
}

impl SearchIndex {
    fn analyse(&self, query: &str) -> Analysed {
        let mut han_concepts = Vec::new();
        let mut stripped = String::new();
        // Latin words, with whether each follows the previous one directly (only spaces between).
        let mut latin: Vec<(String, bool)> = Vec::new();
        let mut joined_to_previous = false;
        for piece in pieces(query) {
            match piece {
                Piece::Han(run) => {
                    joined_to_previous = false;
                    self.han_concepts(&run, &mut han_concepts, &mut stripped);
                }
                Piece::Latin(word) if word.is_empty() => {}
                Piece::Latin(word) => {
                    if !ENGLISH_FILLER.contains(&word.as_str()) {
                        stripped.push_str(&word);
                    }
                    latin.push((word, joined_to_previous));
                    joined_to_previous = true;
                }
            }
        }
        // Reading one: every Latin word a concept of its own (English words, or syllables).
        let mut words = han_concepts.clone();
        for (word, _) in &latin {
            if let Some(c) = self.latin_concept(word) {
                words.push(c);
            }
        }
        let mut readings = vec![words];
        // Reading two: Latin words typed with spaces between syllables (she bao ka) joined.
        if latin.iter().any(|(_, joined)| *joined) {
            let mut joined: Vec<String> = Vec::new();
            for (word, follows) in &latin {
                match joined.last_mut() {
                    Some(last) if *follows => last.push_str(word),
                    _ => joined.push(word.clone()),
                }
            }
            let mut concepts = han_concepts;
            concepts.extend(joined.iter().filter_map(|w| self.latin_concept(w)));
            readings.push(concepts);
        }
        Analysed { readings, stripped }
    }

    /// Concepts of a run of Chinese characters: synonyms found in it first (longest first), then
    /// the words jieba finds in what is left, without fillers.
    fn han_concepts(&self, run: &str, concepts: &mut Vec<Concept>, stripped: &mut String) {
        let mut rest: Vec<String> = vec![run.to_owned()];
        for (say, means) in &self.synonyms {
            if !rest.iter().any(|r| r.contains(say.as_str())) {
                continue;
            }
            let mut forms = vec![(Form::Text(say.clone()), 1.0)];
            forms.extend(means.iter().map(|m| (text_or_english(m), SYNONYM)));
            concepts.push(Concept { forms });
            rest = rest.iter().flat_map(|r| r.split(say.as_str()).map(str::to_owned).collect::<Vec<_>>()).collect();
        }
        let whole_run = jieba().cut(run, true);
        for main in &whole_run {
            if !FILLER.contains(&main.word) {
                stripped.push_str(main.word);
            }
        }
        for part in rest.iter().filter(|r| !r.is_empty()) {
            let words = if part == run { whole_run.clone() } else { jieba().cut(part, true) };
            // Shorter words inside a word of three or more characters (身份证 in 居民身份证).
            let parts = if words.iter().any(|w| w.word.chars().count() > 2) {
                jieba().cut_for_search(part, true)
            } else {
                Vec::new()
            };
            for main in words {
                let word = main.word;
                if word.chars().count() < 2 || FILLER.contains(&word) {
                    continue;
                }
                let mut forms = vec![(Form::Text(word.to_owned()), 1.0)];
                for sub in &parts {
                    let inside = sub.start >= main.start && sub.end <= main.end && sub.word != word;
                    if inside && sub.word.chars().count() >= 2 && !FILLER.contains(&sub.word) {
                        forms.push((Form::Text(sub.word.to_owned()), PART));
                    }
                }
                forms.push((Form::Syllables(pinyin_of(word).0), HOMOPHONE));
                concepts.push(Concept { forms });
            }
        }
    }

    /// A Latin-letter word: English, full pinyin, pinyin initials, or letters and digits that
    /// appear as they are (GDP).
    fn latin_concept(&self, word: &str) -> Option<Concept> {
        if ENGLISH_FILLER.contains(&word) {
            return None;
        }
        let mut forms = vec![(Form::Text(word.to_owned()), 1.0)];
        if word.chars().all(|c| c.is_ascii_lowercase()) {
            forms.push((Form::English(english_stem(word)), 1.0));
            forms.push((Form::Syllables(word.to_owned()), PINYIN));
            if word.len() >= 2 {
                forms.push((Form::Initials(word.to_owned()), INITIALS));
            }
        }
        if let Some((_, means)) = self.synonyms.iter().find(|(say, _)| say == word) {
            forms.extend(means.iter().map(|m| (text_or_english(m), SYNONYM)));
        }
        Some(Concept { forms })
    }
}

/// A synonym's catalogue word: English words are matched as English, the rest as text.
fn text_or_english(word: &str) -> Form {
    if word.chars().all(|c| c.is_ascii_lowercase()) {
        Form::English(english_stem(word))
    } else {
        Form::Text(word.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(code: &str, name: &str, en: &str, aliases: &[&str], materials: &[&str]) -> SearchDoc {
        SearchDoc {
            code: code.into(),
            name_zh: name.into(),
            name_en: en.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            keywords: Vec::new(),
            materials: materials.iter().map(|s| s.to_string()).collect(),
            department: "市公安局".into(),
            summary: String::new(),
            summary_en: String::new(),
        }
    }

    fn docs() -> Vec<SearchDoc> {
        vec![
            doc("A", "居民身份证换领", "Renewal of a resident identity card", &["换身份证"], &["居民户口簿"]),
            doc(
                "B",
                "新生儿出生登记（落户）",
                "Household registration of a newborn",
                &["宝宝上户口"],
                &["出生医学证明", "父母的结婚证"],
            ),
            doc("C", "最低生活保障申请", "Minimum living allowance", &["低保"], &["家庭收入情况说明"]),
            doc("D", "市内户口迁移", "Moving household registration within the city", &[], &["居民户口簿"]),
            doc("E", "结婚登记预约", "Marriage registration appointment", &["领结婚证"], &["居民身份证"]),
        ]
    }

    fn index() -> SearchIndex {
        SearchIndex::new(docs(), &[])
    }

    fn codes(q: &str) -> Vec<String> {
        index().search(q).into_iter().map(|h| h.code).collect()
    }

    fn first(index: &SearchIndex, q: &str) -> Option<String> {
        index.search(q).into_iter().next().map(|h| h.code)
    }

    #[test]
    fn two_character_queries_find_names_and_aliases() {
        assert_eq!(codes("低保"), vec!["C"]);
        let household = codes("户口");
        assert_eq!(household.first().map(String::as_str), Some("D"), "in the name beats in an alias");
        assert!(household.contains(&"B".to_owned()), "via the alias 宝宝上户口");
    }

    #[test]
    fn three_character_and_segmented_queries() {
        assert_eq!(codes("身份证").first().map(String::as_str), Some("A"));
        assert_eq!(codes("怎么办理身份证换领"), vec!["A"], "filler words dropped, words matched");
        assert_eq!(codes("新生儿落户").first().map(String::as_str), Some("B"));
    }

    #[test]
    fn pinyin_initials_and_english() {
        assert_eq!(codes("sfz"), vec!["A"]);
        assert_eq!(codes("db"), vec!["C"], "initials of the alias 低保");
        assert_eq!(codes("identity card"), vec!["A"]);
    }

    /// Each query's first hit over the small index.
    fn assert_first(cases: &[(&str, &str)]) {
        let index = index();
        for (query, expected) in cases {
            assert_eq!(first(&index, query).as_deref(), Some(*expected), "{query}");
        }
    }

    #[test]
    fn full_pinyin_with_or_without_spaces_and_mixed_with_chinese() {
        assert_first(&[
            ("dibao", "C"),
            ("shenfenzheng", "A"),
            ("shen fen zheng", "A"),
            ("ＤＩＢＡＯ", "C"), // full-width capitals
            ("jiehun登记", "E"),
            ("hukou qianyi", "D"),
        ]);
        assert!(codes("henfenzhen").is_empty(), "a syllable cut in the middle does not match");
    }

    #[test]
    fn sentences_match_words_across_fields_and_rank_by_fields() {
        assert_first(&[
            // 身份证 only in E's materials, 结婚 in its name: both words found, in different fields.
            ("结婚要带身份证吗", "E"),
            ("我想领结婚证", "E"),
            ("办理低保需要什么材料", "C"),
            ("请问在哪里换身份证呢", "A"),
            // Two words in the name of D beat one of them in the alias of B.
            ("迁移户口", "D"),
        ]);
    }

    #[test]
    fn synonyms_from_the_editors_list_expand_the_query() {
        assert!(codes("生孩子").is_empty(), "without the list nothing says 生孩子");
        let with = SearchIndex::new(
            docs(),
            &[
                Synonym {
                    say: vec!["生孩子".into(), "生小孩".into()], means: vec!["出生".into(), "新生儿".into()]
                },
                Synonym { say: vec!["社保卡".into()], means: vec!["社会保障卡".into()] },
                Synonym { say: vec!["baby".into()], means: vec!["newborn".into()] },
            ],
        );
        assert_eq!(first(&with, "生孩子").as_deref(), Some("B"));
        assert_eq!(first(&with, "生小孩以后要办什么").as_deref(), Some("B"));
        assert_eq!(first(&with, "baby").as_deref(), Some("B"), "English words map too");
    }

    #[test]
    fn a_homophone_slip_still_finds_the_item_below_real_matches() {
        assert_first(&[("身分证", "A"), ("结婚登计", "E")]); // 分 for 份, 计 for 记
        let index = index();
        let exact = index.search("身份证").into_iter().find(|h| h.code == "A").map(|h| h.score);
        let slip = index.search("身分证").into_iter().find(|h| h.code == "A").map(|h| h.score);
        assert!(slip < exact, "{slip:?} < {exact:?}");
    }

    #[test]
    fn a_material_name_alone_finds_the_item_ranked_below_name_matches() {
        assert_eq!(codes("出生医学证明"), vec!["B"], "only in the material list");
        let hits = index().search("结婚证");
        assert_eq!(hits.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(), vec!["E", "B"]);
        assert_eq!((hits[1].matched_in, hits[1].matched_text.as_str()), (MatchedIn::Material, "父母的结婚证"));
        assert!(hits[0].score > hits[1].score);
    }

    #[test]
    fn normalising_handles_full_width_and_punctuation() {
        assert_eq!(normalise("ＳＦＺ，身份证！"), "sfz身份证");
        assert!(codes("？！").is_empty());
        assert!(codes("的了吗").is_empty(), "fillers alone find nothing");
        assert_eq!(initials("居民身份证"), "jmsfz");
        let (pinyin, bounds) = pinyin_of("绿色gdp");
        assert_eq!(pinyin, "lvsegdp");
        assert_eq!(bounds.iter().filter(|b| **b).count(), 6, "lv|se|g|d|p|");
    }
}
