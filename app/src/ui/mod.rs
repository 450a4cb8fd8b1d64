//! The design system: page furniture and form pieces with no domain knowledge. Every page uses
//! these rather than its own markup, so that accessibility and elder mode hold everywhere.

mod form;
mod layout;
mod notice;
mod posted;
mod status;
mod table;

pub use form::{escape_text, textarea_markup, ErrorSummary, FieldMessage, SelectField, TextArea, TextField};
pub use layout::{PageHeading, SiteFooter, SiteHeader};
pub use notice::{Notice, NoticeKind, SignInNeeded};
pub use posted::{use_posted_form, PostedForm};
pub use status::{set_status, ErrorNotice, NotFoundPage};
pub use table::{cell, row, DataTable, TableCell, TableRow};
