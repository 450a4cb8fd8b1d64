//! What a file is, by its first bytes. Names, declared types and extensions are never asked.

/// The kinds of file the portal accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
}

/// The longest signature below (PNG's).
pub(super) const SNIFF_LEN: usize = 8;

impl MediaType {
    /// Identifies a file from its first bytes ([`SNIFF_LEN`] are enough). Each signature must
    /// start the file: a PDF header further in (allowed by lenient readers) would let a file that
    /// starts as something else pass as a PDF.
    pub fn sniff(head: &[u8]) -> Option<MediaType> {
        if head.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(MediaType::Png)
        } else {
            None
        }
    }

    /// The media type to serve the stored bytes with.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    /// The extension for a download's file name.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
        }
    }

    /// The inverse of [`MediaType::mime`] (for rows that store the media type as text).
    pub fn from_mime(mime: &str) -> Option<MediaType> {
        [MediaType::Pdf, MediaType::Jpeg, MediaType::Png].into_iter().find(|t| t.mime() == mime)
    }

    pub fn is_image(self) -> bool {
        matches!(self, MediaType::Jpeg | MediaType::Png)
    }
}
