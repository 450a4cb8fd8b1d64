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

/// A department as loaded from demo data or created by an administrator.
pub type NewDepartment = Department;

/// The longest search text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
