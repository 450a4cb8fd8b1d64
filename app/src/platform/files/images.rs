//! Images: decoded under limits, refused when they cannot show anything, re-encoded.
//!
//! Re-encoding is the neutraliser: only pixels survive, so EXIF (GPS position, camera serial),
//! comments, colour profiles and any bytes after the image's end (a polyglot's HTML or ZIP
//! tail) are gone. The EXIF orientation is applied to the pixels first, so photos still stand
//! the right way up.

use super::{MediaType, UploadRefusal, THUMBNAIL_SIDE};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

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
const JPEG_QUALITY: u8 = 90;
const THUMBNAIL_QUALITY: u8 = 80;

/// A re-encoded image and its thumbnail.
pub(super) struct Neutralised {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub thumbnail: Vec<u8>,
}

pub(super) fn neutralise(bytes: &[u8], media_type: MediaType) -> Result<Neutralised, UploadRefusal> {
    let format = match media_type {
        MediaType::Jpeg => ImageFormat::Jpeg,
        MediaType::Png => ImageFormat::Png,
        MediaType::Pdf => return Err(UploadRefusal::UnsupportedType),
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.set_format(format);
    reader.limits(limits);
    // The decoder reads only the header here; the size limits apply before any pixel buffer.
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    if decoder.total_bytes() > MAX_ALLOC {
        return Err(UploadRefusal::TooManyPixels);
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    if u64::from(width) * u64::from(height) < MIN_PIXELS || width.min(height) < MIN_SIDE {
        return Err(UploadRefusal::Blank);
    }
    let small = img.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
    let small = flatten_on_white(&small);
    if brightness_spread(&small) < MIN_BRIGHTNESS_SPREAD {
        return Err(UploadRefusal::Blank);
    }

    let mut out = Vec::new();
    match media_type {
        MediaType::Png => {
            let encoder = PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive);
            img.write_with_encoder(encoder)
        }
        _ => {
            // JPEG has no alpha; decoded JPEGs are grey or RGB already.
            let img = if img.color().has_alpha() { DynamicImage::ImageRgb8(img.to_rgb8()) } else { img };
            img.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        }
    }
    .map_err(|_| UploadRefusal::Unreadable)?;
    let mut thumbnail = Vec::new();
    DynamicImage::ImageRgb8(small)
        .write_with_encoder(JpegEncoder::new_with_quality(&mut thumbnail, THUMBNAIL_QUALITY))
        .map_err(|_| UploadRefusal::Unreadable)?;
    Ok(Neutralised { bytes: out, width, height, thumbnail })
}

fn refusal(err: ImageError) -> UploadRefusal {
    match err {
        ImageError::Limits(_) => UploadRefusal::TooManyPixels,
        _ => UploadRefusal::Unreadable,
    }
}

/// RGB with transparent parts shown over white (a thumbnail is a JPEG).
fn flatten_on_white(img: &DynamicImage) -> image::RgbImage {
    let rgba = img.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
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

/// What a rewritten image is.
pub(super) struct ImageFacts {
    pub width: u32,
    pub height: u32,
    pub thumbnail: Vec<u8>,
}

/// Neutralises the image read from `input` into `output`.
pub(super) fn neutralise_stream<R: std::io::Read, W: std::io::Write>(
    mut input: R,
    media_type: MediaType,
    output: &mut W,
) -> Result<ImageFacts, UploadRefusal> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(|_| UploadRefusal::Unreadable)?;
    let image = neutralise(&bytes, media_type)?;
    output.write_all(&image.bytes).map_err(|_| UploadRefusal::StorageUnavailable)?;
    Ok(ImageFacts { width: image.width, height: image.height, thumbnail: image.thumbnail })
}
