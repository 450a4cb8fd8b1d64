//! What the search page and the record page show; both builds.

use super::contract::{BibRecord, Branch, Item};
use serde::{Deserialize, Serialize};

/// Which field a query is matched in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchField {
    #[default]
    All,
    Title,
    Author,
    Subject,
    Publisher,
    Isbn,
}

impl SearchField {
    pub const ALL: [SearchField; 6] = [
        SearchField::All,
        SearchField::Title,
        SearchField::Author,
        SearchField::Subject,
        SearchField::Publisher,
        SearchField::Isbn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SearchField::All => "all",
            SearchField::Title => "title",
            SearchField::Author => "author",
            SearchField::Subject => "subject",
            SearchField::Publisher => "publisher",
            SearchField::Isbn => "isbn",
        }
    }

    pub fn from_code(code: &str) -> Option<SearchField> {
        SearchField::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// A search as the page's address carries it. Unknown or malformed filters are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchParams {
    pub query: String,
    pub field: SearchField,
    pub branch: Option<String>,
    pub available_only: bool,
    /// A 中图法 class notation at any level (`I`, `I2`, `TP3`): the results in it or below it.
    pub class: Option<String>,
    /// The first year of a decade (1990 for the 1990s).
    pub decade: Option<i32>,
    /// From 1.
    pub page: u32,
}

/// Results per page.
pub const PAGE_SIZE: usize = 20;
/// The longest query searched; a longer one is refused with a message.
pub const MAX_QUERY_CHARS: usize = 100;
/// Pages one may step through (deeper results need a narrower search).
pub const MAX_PAGE: u32 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueryProblem {
    Empty,
    TooLong,
    /// Only punctuation or symbols: nothing to search for.
    NothingToSearch,
}

/// The one rule for queries, shared by the page and the server.
pub fn check_query(query: &str) -> Result<&str, QueryProblem> {
    let query = query.trim();
    if query.is_empty() {
        return Err(QueryProblem::Empty);
    }
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryProblem::TooLong);
    }
    if !query.chars().any(char::is_alphanumeric) {
        return Err(QueryProblem::NothingToSearch);
    }
    Ok(query)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetCount<K> {
    pub key: K,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Facets {
    pub branches: Vec<FacetCount<String>>,
    pub available: u64,
    pub not_available: u64,
    /// The classes one level below the chosen class (the top classes when none is chosen), in
    /// notation order.
    pub classes: Vec<FacetCount<String>>,
    /// Results classed at the chosen class itself and no deeper (none when no class is chosen):
    /// with `classes` they add up to the results.
    pub class_exact: u64,
    /// Decades, newest first; `None` for records without a year.
    pub decades: Vec<FacetCount<Option<i32>>>,
}

/// One copy count per branch for a hit, from the library's live holdings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchCopies {
    pub branch: String,
    pub on_shelf: u32,
    pub copies: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub publisher: Option<String>,
    pub year: Option<i32>,
    pub clc: String,
    /// `None` when the library could not say just now (the index still found the record).
    pub copies: Option<Vec<BranchCopies>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub branches: Vec<Branch>,
    /// False when the live availability could not be read (the page says so).
    pub live: bool,
}

/// A record page: the description, every copy with its live status, and the branches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordView {
    pub record: BibRecord,
    pub items: Vec<Item>,
    pub branches: Vec<Branch>,
    /// The city's map tiles, when it has configured some: the branches holding copies are then
    /// drawn on a map above the holdings.
    pub map_tiles: Option<crate::ui::TileSource>,
}

impl SearchParams {
    /// From the address's parameters, looked up by name (`q`, `field`, `branch`, `available`,
    /// `class`, `decade`, `page`).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> SearchParams {
        Self::from_pairs(
            &get("q").unwrap_or_default(),
            get("field"),
            get("branch"),
            get("available"),
            get("class"),
            get("decade"),
            get("page"),
        )
    }

    /// From the address's parameters; anything malformed is dropped, never an error.
    pub fn from_pairs(
        query: &str,
        field: Option<String>,
        branch: Option<String>,
        available: Option<String>,
        class: Option<String>,
        decade: Option<String>,
        page: Option<String>,
    ) -> SearchParams {
        let branch = branch
            .filter(|b| !b.is_empty() && b.len() <= 40 && b.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        let class = class.as_deref().and_then(super::contract::clc_notation);
        SearchParams {
            query: query.to_owned(),
            field: field.as_deref().and_then(SearchField::from_code).unwrap_or_default(),
            branch,
            available_only: available.as_deref() == Some("1"),
            class,
            decade: decade.and_then(|d| d.parse().ok()).filter(|d: &i32| (1000..=2100).contains(d) && d % 10 == 0),
            page: page.and_then(|p| p.parse().ok()).filter(|p| (1..=MAX_PAGE).contains(p)).unwrap_or(1),
        }
    }

    /// This search's address, `/library?q=…`.
    pub fn href(&self) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("q", self.query.clone())];
        if self.field != SearchField::All {
            pairs.push(("field", self.field.code().to_owned()));
        }
        if let Some(b) = &self.branch {
            pairs.push(("branch", b.clone()));
        }
        if self.available_only {
            pairs.push(("available", "1".to_owned()));
        }
        if let Some(c) = &self.class {
            pairs.push(("class", c.clone()));
        }
        if let Some(d) = self.decade {
            pairs.push(("decade", d.to_string()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        crate::ui::link::with_query("/library", &pairs)
    }
}

/// `/library/my`: the citizen's card with loans and holds, or why there is none to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyLibrary {
    pub real_name_verified: bool,
    /// None when no card is bound.
    pub account: Option<super::contract::PatronAccount>,
    pub branches: Vec<Branch>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search a page address stands for, read as the page reads it.
    fn from_href(href: &str) -> SearchParams {
        let url = url::Url::parse(&format!("http://portal.test{href}")).expect("an address");
        SearchParams::from_query(|key| url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned()))
    }

    #[test]
    fn a_search_with_a_class_at_any_level_round_trips_through_its_address() {
        for class in ["I", "I2", "I24", "I247", "TP", "TP3", "Z", "I24712345"] {
            let params = SearchParams {
                query: "红楼梦 & class=J".into(),
                field: SearchField::Title,
                branch: Some("central".into()),
                available_only: true,
                class: Some(class.into()),
                decade: Some(1990),
                page: 3,
            };
            let href = params.href();
            assert!(href.contains(&format!("&class={class}&")), "{href}");
            assert_eq!(from_href(&href), params, "{href}");
        }
        let plain = SearchParams { query: "小说".into(), page: 1, ..Default::default() };
        assert!(!plain.href().contains("class="));
        assert_eq!(from_href(&plain.href()), plain);
    }

    #[test]
    fn a_malformed_class_is_dropped_and_the_rest_kept() {
        for bad in
            ["", "i2", "I2.4", "I24/1", "IA", "TPX", "L", "W1", "I 2", " I2", "I2471234567", "I２", "<b>I</b>", "I2\""]
        {
            let params = SearchParams::from_pairs(
                "小说",
                None,
                None,
                Some("1".into()),
                Some(bad.into()),
                Some("1990".into()),
                None,
            );
            assert_eq!(params.class, None, "{bad:?}");
            assert!(params.available_only && params.decade == Some(1990), "{bad:?}");
        }
    }
}
