use crate::site::Bilingual;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub code: String,
    pub name: Bilingual,
    pub duties: Bilingual,
    pub phone: String,
    pub address: Bilingual,
}

/// The longest search text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// Why a search text was refused; the code doubles as the field-error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryProblem {
    Empty,
    TooLong,
}

impl QueryProblem {
    pub fn code(self) -> &'static str {
        match self {
            QueryProblem::Empty => "empty",
            QueryProblem::TooLong => "too_long",
        }
    }
}

/// The one rule for search text, used by the page (to show the field message) and by the
/// endpoint (which any client can call): trimmed, not empty, at most [`MAX_QUERY_CHARS`].
pub fn check_query(raw: &str) -> Result<&str, QueryProblem> {
    let query = raw.trim();
    if query.is_empty() {
        Err(QueryProblem::Empty)
    } else if query.chars().count() > MAX_QUERY_CHARS {
        Err(QueryProblem::TooLong)
    } else {
        Ok(query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_trimmed_and_bounded_in_characters_not_bytes() {
        assert_eq!(check_query("  婚姻 "), Ok("婚姻"));
        assert_eq!(check_query(" \t "), Err(QueryProblem::Empty));
        assert_eq!(check_query(&"长".repeat(MAX_QUERY_CHARS)), Ok("长".repeat(MAX_QUERY_CHARS).as_str()));
        assert_eq!(check_query(&"长".repeat(MAX_QUERY_CHARS + 1)), Err(QueryProblem::TooLong));
    }
}
