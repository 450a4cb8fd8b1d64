//! The design system: page furniture and form pieces with no domain knowledge. Every page uses
//! these rather than its own markup, so that accessibility and elder mode hold everywhere.

mod form;
mod layout;
pub mod link;
pub mod live_update;
pub mod map;
mod notice;
mod one_pass;
mod posted;
mod routes;
mod table;
mod when_ready;

pub use form::{escape_text, textarea_markup, ErrorSummary, FieldMessage, SelectField, TextArea, TextField};
pub use layout::{PageHeading, SiteFooter, SiteHeader};
pub use live_update::{LiveUpdate, LiveUpdateText};
pub use map::{MapMarker, TileMap, TileSource};
pub use notice::{ErrorNotice, NotFoundPage, Notice, NoticeKind, SignInNeeded};
pub use one_pass::{in_one_pass, OnePass};
pub use posted::{use_posted_form, PostedForm};
pub use routes::{SharedRoutes, SharedRoutesSlot};
pub use table::{cell, row, DataTable, TableCell, TableRow};
pub use when_ready::when_ready;
