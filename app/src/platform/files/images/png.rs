//! Non-interlaced PNGs, decoded and re-encoded one row at a time.
//!
//! Palettes and transparency keys become RGB(A) and 16-bit samples 8-bit, so every row comes
//! out as 8-bit grey, grey+alpha, RGB or RGBA, and is written as such: the new file has only
//! the header, the pixels and its end. Text, EXIF, colour profiles and unknown chunks are not
//! even read into memory.

use super::{check_size, rgb_on_white, storage_failure, thumbnail_size, ImageFacts, Shrinker, Streamed, MAX_ALLOC};
use crate::platform::files::UploadRefusal;
use ::png::{BitDepth, ColorType, Decoder, DecodingError, Encoder, EncodingError, Limits, Transformations};
use image::metadata::Orientation;
use std::io::{BufRead, Seek, Write};

pub(super) fn rewrite<R: BufRead + Seek, W: Write>(input: &mut R, output: &mut W) -> Result<Streamed, UploadRefusal> {
    let limits = Limits { bytes: usize::try_from(MAX_ALLOC).unwrap_or(usize::MAX) };
    let mut decoder = Decoder::new_with_limits(input, limits);
    decoder.set_ignore_text_chunk(true);
    decoder.set_ignore_iccp_chunk(true);
    decoder.set_transformations(Transformations::EXPAND | Transformations::STRIP_16);
    let header = decoder.read_header_info().map_err(unreadable)?;
    let (width, height, interlaced) = (header.width, header.height, header.interlaced);
    check_size(width, height)?;
    if interlaced {
        return Ok(Streamed::NeedsFullDecode);
    }
    let mut reader = decoder.read_info().map_err(unreadable)?;
    let turned = reader
        .info()
        .exif_metadata
        .as_deref()
        .and_then(|exif| Orientation::from_exif_chunk(exif.strip_prefix(b"Exif\0\0").unwrap_or(exif)));
    if turned.is_some_and(|o| o != Orientation::NoTransforms) {
        return Ok(Streamed::NeedsFullDecode);
    }
    let (colour, depth) = reader.output_color_type();
    let channels = match colour {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => return Err(UploadRefusal::Unreadable),
    };
    if depth != BitDepth::Eight {
        return Err(UploadRefusal::Unreadable);
    }

    let mut encoder = Encoder::new(&mut *output, width, height);
    encoder.set_color(colour);
    encoder.set_depth(BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(written)?;
    let mut stream = writer.stream_writer().map_err(written)?;
    let (thumb_width, thumb_height) = thumbnail_size(width, height);
    let mut shrinker = Shrinker::new(width, height, thumb_width, thumb_height);
    let mut rgb = Vec::with_capacity(width as usize * 3);
    let mut rows = 0;
    while let Some(row) = reader.next_row().map_err(unreadable)? {
        stream.write_all(row.data()).map_err(|e| storage_failure(&e))?;
        rgb_on_white(row.data(), channels, &mut rgb);
        shrinker.push_row(&rgb);
        rows += 1;
    }
    if rows != height {
        return Err(UploadRefusal::Unreadable);
    }
    stream.finish().map_err(written)?;
    writer.finish().map_err(written)?;
    let thumbnail = super::finish_thumbnail(shrinker.finish(), Orientation::NoTransforms)?;
    Ok(Streamed::Done(ImageFacts { width, height, thumbnail }))
}

fn unreadable(err: DecodingError) -> UploadRefusal {
    match err {
        DecodingError::LimitsExceeded => UploadRefusal::TooManyPixels,
        _ => UploadRefusal::Unreadable,
    }
}

fn written(err: EncodingError) -> UploadRefusal {
    match err {
        EncodingError::IoError(err) => storage_failure(&err),
        _ => UploadRefusal::Unreadable,
    }
}
