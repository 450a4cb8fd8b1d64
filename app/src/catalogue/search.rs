//! Chinese search over the published catalogue. Texts are matched as people type them: the
//! whole query inside a name, alias, keyword, material or department (so two-character queries
//! such as 户口 or 低保 work), or, for longer queries, the words jieba segments them into (办理
//! 身份证换领 finds 居民身份证换领); pinyin initials (sfz → 身份证) and English words match too.
//! Fields weigh differently: a hit in the name counts most, a hit only in a material least.

use jieba_rs::Jieba;
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
    fn weight(self) -> u32 {
        match self {
            MatchedIn::Name => 100,
            MatchedIn::Alias => 80,
            MatchedIn::Keyword => 60,
            MatchedIn::Department => 30,
            MatchedIn::Material => 25,
            MatchedIn::Summary => 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub code: String,
    pub score: u32,
    pub matched_in: MatchedIn,
}

struct Entry {
    doc: SearchDoc,
    /// Normalised texts per field.
    fields: Vec<(MatchedIn, String)>,
    /// Pinyin initials of the name and aliases.
    initials: Vec<String>,
    english: String,
}

pub struct SearchIndex {
    entries: Vec<Entry>,
}

/// Words that say nothing about which service (怎么办理…) and are dropped from segmented queries.
const FILLER: &[&str] =
    &["办理", "怎么", "如何", "怎样", "我要", "我想", "需要", "手续", "流程", "哪里", "在哪", "什么", "的", "了", "去"];

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Lower case, full-width letters and digits made half-width, punctuation and spaces dropped.
pub fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The pinyin initials of the Chinese characters in `text` (其他 characters dropped).
pub fn initials(text: &str) -> String {
    use pinyin::ToPinyin;
    text.to_pinyin().flatten().filter_map(|p| p.first_letter().chars().next()).collect()
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

impl SearchIndex {
    pub fn new(docs: Vec<SearchDoc>) -> SearchIndex {
        let entries = docs
            .into_iter()
            .map(|doc| {
                let mut fields = vec![(MatchedIn::Name, normalise(&doc.name_zh))];
                fields.extend(doc.aliases.iter().map(|a| (MatchedIn::Alias, normalise(a))));
                fields.extend(doc.keywords.iter().map(|k| (MatchedIn::Keyword, normalise(k))));
                fields.push((MatchedIn::Department, normalise(&doc.department)));
                fields.extend(doc.materials.iter().map(|m| (MatchedIn::Material, normalise(m))));
                fields.push((MatchedIn::Summary, normalise(&doc.summary)));
                let initials = std::iter::once(&doc.name_zh).chain(&doc.aliases).map(|t| initials(t)).collect();
                let english = doc.name_en.to_lowercase();
                Entry { doc, fields, initials, english }
            })
            .collect();
        SearchIndex { entries }
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
        let has_cjk = whole.chars().any(is_cjk);
        // Segmented words of two or more characters, without filler; a query that is one word
        // gives itself.
        let words: Vec<String> = if has_cjk {
            let mut words: Vec<String> = jieba()
                .cut_for_search(&whole, true)
                .into_iter()
                .map(|token| token.word)
                .filter(|w| w.chars().count() >= 2 && !FILLER.contains(w))
                .map(str::to_owned)
                .collect();
            words.sort();
            words.dedup();
            // Keep only the longest words: 身份证 covers 身份.
            let all = words.clone();
            words.retain(|w| !all.iter().any(|o| o != w && o.contains(w.as_str())));
            words
        } else {
            Vec::new()
        };
        let english_words: Vec<String> = query
            .split_whitespace()
            .map(str::to_lowercase)
            .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric()))
            .collect();
        let mut hits: Vec<(Hit, &str)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let mut best: Option<(u32, MatchedIn)> = None;
                let mut consider = |score: u32, field: MatchedIn| {
                    if best.is_none_or(|(s, _)| score > s) {
                        best = Some((score, field));
                    }
                };
                for (field, text) in &e.fields {
                    let w = field.weight();
                    if text.contains(&whole) {
                        let exact = if text == &whole {
                            3
                        } else if text.starts_with(&whole) {
                            2
                        } else {
                            1
                        };
                        consider(w * 10 + exact * w, *field);
                    } else if !words.is_empty() {
                        let found = words.iter().filter(|word| text.contains(word.as_str())).count();
                        // Every word, or most of a long query, in one field.
                        if found == words.len() || (words.len() >= 3 && found * 3 >= words.len() * 2) {
                            let share = u32::try_from(found * 8 / words.len()).unwrap_or(8);
                            consider(w * share, *field);
                        }
                    }
                }
                if !has_cjk && whole.len() >= 2 && whole.chars().all(|c| c.is_ascii_lowercase()) {
                    if e.initials.first().is_some_and(|i| i.contains(&whole)) {
                        consider(MatchedIn::Name.weight() * 5, MatchedIn::Name);
                    } else if e.initials.iter().any(|i| i.contains(&whole)) {
                        consider(MatchedIn::Alias.weight() * 5, MatchedIn::Alias);
                    }
                }
                if !english_words.is_empty() && english_words.iter().all(|w| e.english.contains(w.as_str())) {
                    consider(MatchedIn::Name.weight() * 6, MatchedIn::Name);
                }
                best.map(|(score, matched_in)| {
                    (Hit { code: e.doc.code.clone(), score, matched_in }, e.doc.name_zh.as_str())
                })
            })
            .collect();
        hits.sort_by(|(a, an), (b, bn)| b.score.cmp(&a.score).then_with(|| an.cmp(bn)));
        hits.into_iter().map(|(h, _)| h).collect()
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
        }
    }

    fn index() -> SearchIndex {
        SearchIndex::new(vec![
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
        ])
    }

    fn codes(q: &str) -> Vec<String> {
        index().search(q).into_iter().map(|h| h.code).collect()
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
        assert_eq!(codes("dibao"), Vec::<String>::new(), "initials, not full pinyin");
        assert_eq!(codes("db"), vec!["C"], "initials of the alias 低保");
        assert_eq!(codes("identity card"), vec!["A"]);
    }

    #[test]
    fn a_material_name_alone_finds_the_item_ranked_below_name_matches() {
        assert_eq!(codes("出生医学证明"), vec!["B"], "only in the material list");
        let hits = index().search("结婚证");
        assert_eq!(hits.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(), vec!["E", "B"]);
        assert_eq!(hits[1].matched_in, MatchedIn::Material);
        assert!(hits[0].score > hits[1].score);
    }

    #[test]
    fn normalising_handles_full_width_and_punctuation() {
        assert_eq!(normalise("ＳＦＺ，身份证！"), "sfz身份证");
        assert!(codes("？！").is_empty());
        assert_eq!(initials("居民身份证"), "jmsfz");
    }
}
