//! Uploaded files, whatever feature takes them: one file is received as a stream, identified by
//! its content (PDF, JPEG or PNG only), checked, neutralised and stored content-addressed.
//!
//! - [`FileStore::receive`] streams a file part to a temporary file (memory does not grow with
//!   the file), refuses it as soon as it passes its limit, then identifies it by its first bytes
//!   (the declared name and type are never trusted).
//! - Images are checked against pixel limits from their header and rewritten ([`images`]:
//!   baseline JPEGs losslessly, non-interlaced PNGs row by row, others decoded in full and
//!   re-encoded): EXIF and GPS data, comments and anything appended after the image (an HTML
//!   tail making a polyglot) do not survive. A thumbnail (longest side at most
//!   [`THUMBNAIL_SIDE`] px, JPEG) is stored beside it.
//! - PDFs are parsed ([`pdf`]); active content (JavaScript, launch actions, embedded files, an
//!   open or additional action other than going to a page) is refused, pages are counted.
//! - Objects live at `objects/<sha256 of the stored bytes>`, on a local directory or an
//!   S3-compatible bucket ([`StorageSettings`]); storing the same content twice is a no-op and
//!   nothing from the request ever becomes part of a path. The original file name is kept only
//!   as metadata, cleaned by [`sanitize_file_name`].
//! - A crash between storing and the database commit leaves an unreferenced object, never a row
//!   without its file: [`FileStore::gc`] deletes unreferenced objects after a grace period.
//!
//! Refusals are typed ([`UploadRefusal`], with an HTTP status and a stable code); the feature
//! that takes the upload maps them to messages.

mod images;
mod inspect;
mod name;
mod pdf;
mod store;

#[cfg(test)]
mod tests;

pub use inspect::MediaType;
pub use name::sanitize_file_name;
pub use store::{is_object_key, BucketSettings, FileStore, GcReport, ObjectReader, StorageSettings};

/// The longest side of a stored thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 240;

/// How much one upload may carry (operator settings, `ONESTOP_UPLOAD_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// One file, in bytes (default 10 MiB).
    pub per_file: u64,
    /// All files of one application together, in bytes (default 50 MiB).
    pub per_application: u64,
    /// Files in one material slot of an application (default 10).
    pub files_per_slot: u32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits { per_file: 10 * 1024 * 1024, per_application: 50 * 1024 * 1024, files_per_slot: 10 }
    }
}

/// What one accepted file became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedFile {
    /// The stored object's key: SHA-256 (lowercase hex) of the stored, neutralised bytes.
    pub sha256: String,
    /// Size of the stored bytes.
    pub size: u64,
    pub media_type: MediaType,
    /// The name the citizen's device gave, cleaned for display ([`sanitize_file_name`]).
    pub original_name: String,
    pub shape: FileShape,
    /// The thumbnail's object key (images only).
    pub thumbnail: Option<String>,
}

/// What a clerk's preview line says about a file: its pixel size or its page count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileShape {
    Image { width: u32, height: u32 },
    Pdf { pages: u32 },
}

/// Why an upload was refused. Every variant has an HTTP status and a stable code; none carries
/// file contents or library text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadRefusal {
    /// A file, or the whole request, passed its limit (bytes).
    #[error("file or request larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// Not a PDF, JPEG or PNG by its content, whatever its name says.
    #[error("unsupported file type")]
    UnsupportedType,
    #[error("empty file")]
    Empty,
    /// An image too small or too uniform to show anything (a blank photo, a 1-pixel image).
    #[error("blank image")]
    Blank,
    /// Damaged, truncated, encrypted or otherwise not readable as its type.
    #[error("unreadable file")]
    Unreadable,
    /// An image whose declared size passes the pixel limit (refused from its header).
    #[error("image has too many pixels")]
    TooManyPixels,
    /// A PDF with scripts, launch actions, embedded files or automatic actions.
    #[error("active content in PDF")]
    ActiveContent,
    /// More file parts in one request than the reader takes.
    #[error("too many files in one request")]
    TooManyFiles,
    /// More text fields than an upload form has.
    #[error("too many form fields")]
    TooManyFields,
    /// A text field longer than an upload form needs.
    #[error("form field too long")]
    FieldTooLong { field: String },
    /// A text field (or a field name) with characters the portal never accepts.
    #[error("control characters in a form field")]
    ControlCharacters { field: String },
    /// Not a well-formed multipart body, or the client stopped sending.
    #[error("malformed upload")]
    Malformed,
    /// The client sent too slowly (no data for a while, or far below a usable rate).
    #[error("upload too slow")]
    TimedOut,
    /// The store has no room left.
    #[error("file storage full")]
    StorageFull,
    /// The store could not be reached or failed.
    #[error("file storage unavailable")]
    StorageUnavailable,
}

impl UploadRefusal {
    /// The HTTP status for a response refusing the upload.
    pub fn status(&self) -> u16 {
        match self {
            UploadRefusal::TooLarge { .. }
            | UploadRefusal::TooManyFiles
            | UploadRefusal::TooManyFields
            | UploadRefusal::FieldTooLong { .. } => 413,
            UploadRefusal::UnsupportedType => 415,
            UploadRefusal::Empty
            | UploadRefusal::Blank
            | UploadRefusal::Unreadable
            | UploadRefusal::TooManyPixels
            | UploadRefusal::ActiveContent => 422,
            UploadRefusal::ControlCharacters { .. } | UploadRefusal::Malformed => 400,
            UploadRefusal::TimedOut => 408,
            UploadRefusal::StorageFull => 507,
            UploadRefusal::StorageUnavailable => 503,
        }
    }

    /// A stable code for message tables and logs.
    pub fn code(&self) -> &'static str {
        match self {
            UploadRefusal::TooLarge { .. } => "too_large",
            UploadRefusal::UnsupportedType => "unsupported_type",
            UploadRefusal::Empty => "empty",
            UploadRefusal::Blank => "blank",
            UploadRefusal::Unreadable => "unreadable",
            UploadRefusal::TooManyPixels => "too_many_pixels",
            UploadRefusal::ActiveContent => "active_content",
            UploadRefusal::TooManyFiles => "too_many_files",
            UploadRefusal::TooManyFields => "too_many_fields",
            UploadRefusal::FieldTooLong { .. } => "field_too_long",
            UploadRefusal::ControlCharacters { .. } => "control_characters",
            UploadRefusal::Malformed => "malformed",
            UploadRefusal::TimedOut => "timed_out",
            UploadRefusal::StorageFull => "storage_full",
            UploadRefusal::StorageUnavailable => "storage_unavailable",
        }
    }
}

/// A stream that cannot fail (tests, bytes already in memory).
impl From<std::convert::Infallible> for UploadRefusal {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

/// Why reading from the store failed (downloads, existence checks, clean-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Not 64 lowercase hexadecimal digits: never turned into a path.
    #[error("invalid object key")]
    InvalidKey,
    #[error("no such object")]
    NotFound,
    #[error("file storage full")]
    Full,
    #[error("file storage unavailable")]
    Unavailable,
}

impl StoreError {
    pub fn status(&self) -> u16 {
        match self {
            StoreError::InvalidKey | StoreError::NotFound => 404,
            StoreError::Full => 507,
            StoreError::Unavailable => 503,
        }
    }
}

impl From<StoreError> for UploadRefusal {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Full => UploadRefusal::StorageFull,
            _ => UploadRefusal::StorageUnavailable,
        }
    }
}
