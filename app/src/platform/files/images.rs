//! Images: checked against size limits from their header, refused when they cannot show
//! anything, and rewritten so that only what draws the picture survives: EXIF (GPS position,
//! camera serial), XMP, comments, colour profiles and any bytes after the image's end (a
//! polyglot's HTML or ZIP tail) are gone.
//!
//! Which path an image takes, and why:
//!
//! - **Baseline JPEG** (SOF0/SOF1, 8-bit, grey or three components, one scan with every
//!   component; what cameras and phones write): rewritten losslessly by [`jpeg`], segment by
//!   segment. The tables, the frame, the scan and its entropy-coded data are copied; every
//!   APPn and COM segment is dropped, and reading stops at EOI. The EXIF orientation is kept as
//!   a new EXIF segment holding only that tag, so the photo still shows upright. The copy is
//!   decoded on the way (block averages, or full blocks for small images) into the thumbnail,
//!   which proves the data decodes. Memory grows with the width, never the height or file size.
//! - **Non-interlaced PNG** without an EXIF orientation: decoded row by row and re-encoded row
//!   by row by [`png`] (pixels only, 8 bits per channel). Memory grows with the width.
//! - **Everything else** (progressive or other JPEG processes, CMYK, scans split by component,
//!   interlaced PNGs, PNGs to be turned by their EXIF orientation): these need the whole image
//!   at once, so they are decoded in full under the pixel and allocation limits, turned upright
//!   and re-encoded (JPEG quality [`JPEG_QUALITY`]). They are rare in uploads from phones and
//!   scanners.
//!
//! The thumbnail (longest side [`THUMBNAIL_SIDE`], never enlarged) is an average of boxes of
//! pixels made while the rows pass by ([`Shrinker`]), so no full-size buffer is needed for it.

mod jpeg;
mod png;

use super::store::storage_failure;
use super::{MediaType, UploadRefusal, THUMBNAIL_SIDE};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use std::io::{BufRead, Seek, SeekFrom, Write};

/// The largest width and height accepted.
pub(super) const MAX_SIDE: u32 = 8000;
/// The most a decoder may allocate: an 8000×8000 RGBA image, and a little.
const MAX_ALLOC: u64 = MAX_SIDE as u64 * MAX_SIDE as u64 * 4 + 16 * 1024 * 1024;
/// Fewer pixels than a 200×200 image cannot show a document.
const MIN_PIXELS: u64 = 200 * 200;
/// A side shorter than this is a strip, not a picture of a document.
const MIN_SIDE: u32 = 64;
/// Below this standard deviation of brightness (0–255) the image is one flat colour: a photo
/// taken with the lens covered, a blank scan.
const MIN_BRIGHTNESS_SPREAD: f64 = 4.0;
/// JPEGs that have to be re-encoded (the fallback path).
const JPEG_QUALITY: u8 = 90;
const THUMBNAIL_QUALITY: u8 = 80;

/// What the stored image looks like: its size as displayed (after the EXIF orientation) and
/// its thumbnail (JPEG).
pub(super) struct ImageFacts {
    pub width: u32,
    pub height: u32,
    pub thumbnail: Vec<u8>,
}

/// A neutralised image held in memory, and its thumbnail (for the tests' corpus).
#[cfg(test)]
pub(super) struct Neutralised {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub thumbnail: Vec<u8>,
}

/// Neutralises an image in memory (see [`neutralise_stream`]).
#[cfg(test)]
pub(super) fn neutralise(bytes: &[u8], media_type: MediaType) -> Result<Neutralised, UploadRefusal> {
    let mut out = Vec::new();
    let facts = neutralise_stream(std::io::Cursor::new(bytes), media_type, &mut out)?;
    Ok(Neutralised { bytes: out, width: facts.width, height: facts.height, thumbnail: facts.thumbnail })
}

/// Reads the image from `input` (from its start) and writes its neutralised form to `output`.
/// On a refusal, whatever was written to `output` is to be thrown away.
pub(super) fn neutralise_stream<R: BufRead + Seek, W: Write>(
    mut input: R,
    media_type: MediaType,
    output: &mut W,
) -> Result<ImageFacts, UploadRefusal> {
    let streamed = match media_type {
        MediaType::Jpeg => jpeg::rewrite(&mut input, output)?,
        MediaType::Png => png::rewrite(&mut input, output)?,
        MediaType::Pdf => return Err(UploadRefusal::UnsupportedType),
    };
    match streamed {
        Streamed::Done(facts) => Ok(facts),
        Streamed::NeedsFullDecode => {
            input.seek(SeekFrom::Start(0)).map_err(|_| UploadRefusal::Unreadable)?;
            re_encode(input, media_type, output)
        }
    }
}

/// The outcome of a streaming path.
enum Streamed {
    Done(ImageFacts),
    /// The image is valid as far as read, but this path cannot rewrite it; nothing has been
    /// written to the output.
    NeedsFullDecode,
}

/// Refuses sizes outside the limits, from the header: too large before anything is decoded,
/// too small to show a document.
fn check_size(width: u32, height: u32) -> Result<(), UploadRefusal> {
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(UploadRefusal::TooManyPixels);
    }
    if u64::from(width) * u64::from(height) < MIN_PIXELS || width.min(height) < MIN_SIDE {
        return Err(UploadRefusal::Blank);
    }
    Ok(())
}

/// The fallback: the whole image decoded under the limits, turned upright and re-encoded.
fn re_encode<R: BufRead + Seek, W: Write>(
    input: R,
    media_type: MediaType,
    output: &mut W,
) -> Result<ImageFacts, UploadRefusal> {
    let format = match media_type {
        MediaType::Jpeg => ImageFormat::Jpeg,
        _ => ImageFormat::Png,
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::new(input);
    reader.set_format(format);
    reader.limits(limits);
    // The decoder reads only the header here; the size limits apply before any pixel buffer.
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    if decoder.total_bytes() > MAX_ALLOC {
        return Err(UploadRefusal::TooManyPixels);
    }
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    let (thumb_width, thumb_height) = thumbnail_size(width, height);
    let mut shrinker = Shrinker::new(width, height, thumb_width, thumb_height);
    let rgba = img.to_rgba8();
    let mut row = Vec::new();
    for samples in rgba.as_raw().chunks_exact(width as usize * 4) {
        rgb_on_white(samples, 4, &mut row);
        shrinker.push_row(&row);
    }
    drop(rgba);
    let thumbnail = finish_thumbnail(shrinker.finish(), Orientation::NoTransforms)?;

    let written = match media_type {
        MediaType::Png => {
            let encoder = PngEncoder::new_with_quality(&mut *output, CompressionType::Default, FilterType::Adaptive);
            img.write_with_encoder(encoder)
        }
        _ => {
            // JPEG has no alpha; decoded JPEGs are grey or RGB already.
            let img = if img.color().has_alpha() { DynamicImage::ImageRgb8(img.to_rgb8()) } else { img };
            img.write_with_encoder(JpegEncoder::new_with_quality(&mut *output, JPEG_QUALITY))
        }
    };
    match written {
        Ok(()) => Ok(ImageFacts { width, height, thumbnail }),
        Err(ImageError::IoError(err)) => Err(storage_failure(&err)),
        Err(_) => Err(UploadRefusal::Unreadable),
    }
}

fn refusal(err: ImageError) -> UploadRefusal {
    match err {
        ImageError::Limits(_) => UploadRefusal::TooManyPixels,
        _ => UploadRefusal::Unreadable,
    }
}

/// The thumbnail's size for an image: longest side [`THUMBNAIL_SIDE`], never larger than the
/// image, never a side of zero.
fn thumbnail_size(width: u32, height: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= THUMBNAIL_SIDE {
        return (width.max(1), height.max(1));
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(THUMBNAIL_SIDE) + u64::from(longest) / 2) / u64::from(longest)).max(1) as u32
    };
    (scale(width), scale(height))
}

/// Checks the shrunk image is not blank, turns it upright and encodes it as the thumbnail.
fn finish_thumbnail(small: image::RgbImage, orientation: Orientation) -> Result<Vec<u8>, UploadRefusal> {
    if brightness_spread(&small) < MIN_BRIGHTNESS_SPREAD {
        return Err(UploadRefusal::Blank);
    }
    let mut small = DynamicImage::ImageRgb8(small);
    small.apply_orientation(orientation);
    let mut thumbnail = Vec::new();
    small
        .write_with_encoder(JpegEncoder::new_with_quality(&mut thumbnail, THUMBNAIL_QUALITY))
        .map_err(|_| UploadRefusal::Unreadable)?;
    Ok(thumbnail)
}

/// Whether an orientation turns the image a quarter (width and height swap).
fn swaps_sides(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    )
}

/// An 8-bit row of `channels` samples per pixel (grey, grey+alpha, RGB or RGBA) as RGB, with
/// transparent parts shown over white (a thumbnail is a JPEG).
fn rgb_on_white(samples: &[u8], channels: usize, rgb: &mut Vec<u8>) {
    rgb.clear();
    let over_white = |c: u8, a: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
    for pixel in samples.chunks_exact(channels) {
        let (colour, alpha) = match channels {
            1 => ([pixel[0]; 3], 255),
            2 => ([pixel[0]; 3], pixel[1]),
            3 => ([pixel[0], pixel[1], pixel[2]], 255),
            _ => ([pixel[0], pixel[1], pixel[2]], pixel[3]),
        };
        rgb.extend(colour.map(|c| over_white(c, alpha)));
    }
}

/// Shrinks an RGB image fed row by row to a smaller size by averaging the box of source pixels
/// under each output pixel. Only one output row of sums is held, besides the output itself.
struct Shrinker {
    source: (u32, u32),
    target: (u32, u32),
    /// Sums of R, G, B for each output column of the output row being gathered.
    sums: Vec<u64>,
    /// How many source columns fall in each output column.
    columns: Vec<u32>,
    /// The output column of each source column.
    column_of: Vec<u32>,
    /// The next source row, and the source rows gathered in `sums`.
    next_row: u32,
    rows_gathered: u32,
    out: image::RgbImage,
}

impl Shrinker {
    /// `target` must not be larger than `source` on either side.
    fn new(source_width: u32, source_height: u32, target_width: u32, target_height: u32) -> Shrinker {
        let column_of: Vec<u32> = (0..source_width)
            .map(|x| (u64::from(x) * u64::from(target_width) / u64::from(source_width)) as u32)
            .collect();
        let mut columns = vec![0; target_width as usize];
        for &c in &column_of {
            columns[c as usize] += 1;
        }
        Shrinker {
            source: (source_width, source_height),
            target: (target_width, target_height),
            sums: vec![0; target_width as usize * 3],
            columns,
            column_of,
            next_row: 0,
            rows_gathered: 0,
            out: image::RgbImage::new(target_width, target_height),
        }
    }

    fn target_row(&self, source_row: u32) -> u32 {
        (u64::from(source_row) * u64::from(self.target.1) / u64::from(self.source.1)) as u32
    }

    /// The next source row, RGB (rows past the source's height are ignored).
    fn push_row(&mut self, rgb: &[u8]) {
        if self.next_row >= self.source.1 {
            return;
        }
        let target_row = self.target_row(self.next_row);
        for (pixel, &column) in rgb.chunks_exact(3).zip(&self.column_of) {
            let sums = &mut self.sums[column as usize * 3..column as usize * 3 + 3];
            for (sum, &sample) in sums.iter_mut().zip(pixel) {
                *sum += u64::from(sample);
            }
        }
        self.rows_gathered += 1;
        self.next_row += 1;
        if self.next_row == self.source.1 || self.target_row(self.next_row) != target_row {
            self.emit(target_row);
        }
    }

    fn emit(&mut self, target_row: u32) {
        for (x, sums) in self.sums.chunks_exact_mut(3).enumerate() {
            let count = u64::from(self.columns[x]) * u64::from(self.rows_gathered);
            let pixel = sums.iter().map(|&s| (s + count / 2).checked_div(count).map_or(255, |v| v as u8));
            let mut rgb = [0u8; 3];
            for (c, v) in rgb.iter_mut().zip(pixel) {
                *c = v;
            }
            self.out.put_pixel(x as u32, target_row, image::Rgb(rgb));
            sums.fill(0);
        }
        self.rows_gathered = 0;
    }

    fn finish(self) -> image::RgbImage {
        self.out
    }
}

/// The standard deviation of brightness (Rec. 601 luma) over all pixels.
fn brightness_spread(img: &image::RgbImage) -> f64 {
    let n = f64::from(img.width()) * f64::from(img.height());
    if n == 0.0 {
        return 0.0;
    }
    let (sum, sum_sq) = img.pixels().fold((0.0, 0.0), |(s, sq), p| {
        let [r, g, b] = p.0;
        let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
        (s + luma, sq + luma * luma)
    });
    let mean = sum / n;
    (sum_sq / n - mean * mean).max(0.0).sqrt()
}
