//! The upload pipeline against a hostile corpus, generated here (nothing binary is committed):
//! executables and markup under image names, polyglots, PDFs with scripts (also hidden in
//! compressed object streams and behind `#xx` escapes), a PNG declaring ten billion pixels,
//! photos with GPS data, files one byte over the limit, hostile names.

use super::*;
use crate::platform::testing::{measuring_in_own_process, memory_kib, reset_peak_memory};
use bytes::Bytes;
use futures_util::stream::{self, StreamExt};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder};
use std::collections::HashSet;
use std::convert::Infallible;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A store in a fresh directory, removed afterwards.
struct TestStore {
    store: FileStore,
    root: PathBuf,
}

impl TestStore {
    fn new() -> TestStore {
        let root = std::env::temp_dir().join(format!("onestop-files-{}", hex::encode(rand::random::<[u8; 8]>())));
        let store = FileStore::new(&StorageSettings { dir: root.clone(), bucket: None }).expect("store");
        TestStore { store, root }
    }

    async fn receive(&self, bytes: &[u8], name: &str) -> Result<ReceivedFile, UploadRefusal> {
        self.store.receive(chunks(bytes), name, UploadLimits::default().per_file).await
    }

    async fn stored(&self, sha256: &str) -> Vec<u8> {
        let reader = self.store.open(sha256).await.expect("stored object");
        let parts: Vec<Bytes> = reader.stream.map(|c| c.expect("chunk")).collect().await;
        parts.concat()
    }

    /// Every file under the store's directory, relative to it.
    fn files(&self) -> Vec<String> {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, root, out);
                } else {
                    out.push(path.strip_prefix(root).expect("under root").display().to_string());
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &self.root, &mut out);
        out.sort();
        out
    }

    fn temp_files(&self) -> Vec<String> {
        self.files().into_iter().filter(|f| f.starts_with("tmp/")).collect()
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// `bytes` as an upload stream in 64 KiB chunks.
fn chunks(bytes: &[u8]) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> + 'static {
    let parts: Vec<Result<Bytes, Infallible>> =
        bytes.chunks(64 * 1024).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    stream::iter(parts)
}

/// A busy picture (a document photo is never flat).
fn picture(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        let v = ((x * 31) ^ (y * 17)).wrapping_mul(2654435761) >> 24;
        image::Rgb([v as u8, (x % 256) as u8, (y % 256) as u8])
    })
}

fn jpeg(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(img.as_raw(), img.width(), img.height(), ExtendedColorType::Rgb8)
        .expect("encode jpeg");
    out
}

fn png(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(img.as_raw(), img.width(), img.height(), ExtendedColorType::Rgb8)
        .expect("encode png");
    out
}

/// A JPEG with an EXIF APP1 segment right after SOI: orientation 6 (turn 90° clockwise to
/// view) and a GPS directory with a latitude.
fn jpeg_with_gps(img: &image::RgbImage) -> Vec<u8> {
    let plain = jpeg(img);
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0: Orientation = 6, GPSInfo -> offset 38; no next IFD.
    tiff.extend_from_slice(&[0, 2]);
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    // GPS IFD: GPSLatitudeRef = "N", GPSLatitude = 31/1 14/1 0/1.
    tiff.extend_from_slice(&[0, 2]);
    tiff.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 68]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    for (num, den) in [(31u32, 1u32), (14, 1), (0, 1)] {
        tiff.extend_from_slice(&num.to_be_bytes());
        tiff.extend_from_slice(&den.to_be_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

/// Appends a PNG chunk (length, type, data, CRC).
fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

/// A PNG whose header declares `width`×`height` (with a token image data chunk).
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", &deflate(&[0; 1024]));
    png_chunk(&mut out, b"IEND", &[]);
    out
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("deflate");
    encoder.finish().expect("deflate")
}

/// A PDF with a catalog (object 1, plus `catalog_extra`), a page tree (2), `extra` objects
/// numbered from 3, then `pages` pages; with a correct cross-reference table.
fn pdf(catalog_extra: &str, extra: &[&str], pages: usize) -> Vec<u8> {
    let first_page = 3 + extra.len();
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", first_page + i)).collect();
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>"),
        format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")),
    ];
    objects.extend(extra.iter().map(|o| o.to_string()));
    objects.extend((0..pages).map(|_| "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_owned()));
    write_pdf(&objects, "", "")
}

/// A PDF of `objects` (numbered from 1), with `unlisted` bytes after the header that the
/// cross-reference table does not cover, and `trailer_extra` in the trailer.
fn write_pdf(objects: &[String], unlisted: &str, trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    out.extend_from_slice(unlisted.as_bytes());
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
            .as_bytes(),
    );
    out
}

/// A PDF 1.5 whose open action (object 4) lives inside a FlateDecode object stream (object 5),
/// found only through a cross-reference stream (object 6): no byte of it is visible in the file.
fn pdf_with_action_in_object_stream(action: &str) -> Vec<u8> {
    packed_pdf(action, 0, false, true)
}

/// [`pdf_with_action_in_object_stream`] whose object stream header places the object
/// `header_offset` bytes after where it starts, and whose cross-reference stream is compressed
/// with the PNG "up" predictor (as most writers do) when `predicted`. The object stream is
/// stored uncompressed (as QPDF's inspection format does) unless `compressed`.
fn packed_pdf(action: &str, header_offset: usize, predicted: bool, compressed: bool) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut offsets = vec![0usize; 7];
    fn object(out: &mut Vec<u8>, offsets: &mut [usize], n: usize, body: &[u8]) {
        offsets[n] = out.len();
        out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    object(&mut out, &mut offsets, 1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>");
    object(&mut out, &mut offsets, 2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    object(&mut out, &mut offsets, 3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
    let header = format!("4 {header_offset} ");
    let objects = format!("{header}{action}");
    let (packed, filter) =
        if compressed { (deflate(objects.as_bytes()), "/Filter /FlateDecode") } else { (objects.into_bytes(), "") };
    let mut stream =
        format!("<< /Type /ObjStm /N 1 /First {} {filter} /Length {} >>\nstream\n", header.len(), packed.len())
            .into_bytes();
    stream.extend_from_slice(&packed);
    stream.extend_from_slice(b"\nendstream");
    object(&mut out, &mut offsets, 5, &stream);
    let xref_at = out.len();
    offsets[6] = xref_at;
    // Rows of (type, offset or object-stream number, generation or index): object 4 is the
    // first object in stream 5.
    let in_file = |offset: usize| {
        let o = (offset as u32).to_be_bytes();
        [1, o[0], o[1], o[2], o[3], 0, 0]
    };
    let rows: Vec<[u8; 7]> = offsets
        .iter()
        .enumerate()
        .map(|(n, &offset)| match n {
            0 => [0, 0, 0, 0, 0, 0xff, 0xff],
            4 => [2, 0, 0, 0, 5, 0, 0],
            _ => in_file(offset),
        })
        .collect();
    let (data, filter) = if predicted {
        let mut previous = [0u8; 7];
        let mut filtered = Vec::new();
        for row in &rows {
            filtered.push(2);
            filtered.extend(row.iter().zip(previous).map(|(b, up)| b.wrapping_sub(up)));
            previous = *row;
        }
        (deflate(&filtered), "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>")
    } else {
        (rows.concat(), "")
    };
    let mut xref =
        format!("<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R {filter} /Length {} >>\nstream\n", data.len())
            .into_bytes();
    xref.extend_from_slice(&data);
    xref.extend_from_slice(b"\nendstream");
    object(&mut out, &mut offsets, 6, &xref);
    out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The three objects of a one-page PDF, with `page_extra` in the page's dictionary.
fn one_page(page_extra: &str) -> Vec<String> {
    vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {page_extra} >>"),
    ]
}

#[tokio::test]
async fn executables_and_markup_are_refused_whatever_their_name() {
    let store = TestStore::new();
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0".to_vec();
    elf.resize(4096, 0);
    let mut pe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
    pe.resize(4096, 0);
    pe[0x3c] = 0x80;
    pe[0x80..0x84].copy_from_slice(b"PE\0\0");
    let html = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>".to_vec();
    let svg =
        b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec();
    for (bytes, name) in [(elf, "photo.jpg"), (pe, "scan.jpg"), (html, "form.pdf"), (svg, "id-card.png")] {
        assert_eq!(store.receive(&bytes, name).await, Err(UploadRefusal::UnsupportedType), "{name}");
    }
    assert!(store.files().is_empty(), "nothing stored, no temporary file left: {:?}", store.files());
}

#[tokio::test]
async fn a_jpeg_with_an_html_tail_is_stored_without_it() {
    let store = TestStore::new();
    let mut polyglot = jpeg(&picture(320, 240));
    polyglot.extend_from_slice(b"<html><body><script>alert(document.domain)</script></body></html>");
    let received = store.receive(&polyglot, "photo.jpg").await.expect("a real JPEG is accepted");
    assert_eq!(received.media_type, MediaType::Jpeg);
    assert_eq!(received.shape, FileShape::Image { width: 320, height: 240 });
    let stored = store.stored(&received.sha256).await;
    assert!(stored.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(!contains(&stored, b"<html") && !contains(&stored, b"<script"), "the tail is gone");
    assert_eq!(received.size, stored.len() as u64);
    assert_eq!(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&stored)), received.sha256, "content-addressed");
}

#[tokio::test]
async fn exif_and_gps_data_do_not_survive_and_the_photo_stands_upright() {
    let store = TestStore::new();
    // Dark on the left, light on the right; orientation 6 turns it a quarter clockwise.
    let sides = image::RgbImage::from_fn(300, 200, |x, y| {
        let grain = (((x * 31) ^ (y * 17)).wrapping_mul(2654435761) >> 27) as u8;
        image::Rgb([if x < 150 { 30 + grain } else { 200 + grain }; 3])
    });
    let original = jpeg_with_gps(&sides);
    assert!(contains(&original, b"Exif\0\0"), "the test photo carries EXIF");
    let received = store.receive(&original, "IMG_0001.JPG").await.expect("accepted");
    let stored = store.stored(&received.sha256).await;
    let app1: Vec<Vec<u8>> =
        jpeg_segments(&stored).into_iter().filter(|(m, _)| *m == 0xE1).map(|(_, payload)| payload).collect();
    assert_eq!(app1, vec![orientation_only_exif(6)], "one APP1 segment, holding the orientation alone");
    assert!(!contains(&stored, &[0x88, 0x25]) && !contains(&stored, b"N\0\0\0"), "no GPS directory");
    let mut decoder = image::ImageReader::with_format(std::io::Cursor::new(&stored), image::ImageFormat::Jpeg)
        .into_decoder()
        .expect("a JPEG");
    assert_eq!(image::ImageDecoder::orientation(&mut decoder).ok(), Some(image::metadata::Orientation::Rotate90));
    assert_eq!(from_scan_to_end(&stored), from_scan_to_end(&original), "the pixels' data is untouched");
    assert_eq!(received.shape, FileShape::Image { width: 200, height: 300 }, "as displayed: turned");
    let thumbnail = store.stored(received.thumbnail.as_deref().expect("thumbnail")).await;
    let small = image::load_from_memory_with_format(&thumbnail, image::ImageFormat::Jpeg).expect("thumbnail is a JPEG");
    assert_eq!((small.width(), small.height()), (160, 240), "longest side 240");
    assert!(!contains(&thumbnail, b"Exif"));
    let luma = small.to_luma8();
    let mean = |rows: std::ops::Range<u32>| {
        let n = rows.len() as u64 * 160;
        rows.flat_map(|y| (0..160).map(move |x| (x, y))).map(|(x, y)| u64::from(luma.get_pixel(x, y).0[0])).sum::<u64>()
            / n
    };
    let (top, bottom) = (mean(10..110), mean(130..230));
    assert!(top < 80 && bottom > 180, "the thumbnail is upright: the dark side on top ({top}, {bottom})");
}

/// The payload of an EXIF segment with only an orientation tag.
fn orientation_only_exif(orientation: u8) -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    exif.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]);
    exif
}

/// A JPEG's segments before its first scan: marker and payload.
fn jpeg_segments(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut segments = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF && bytes[at + 1] != 0xDA {
        let end = at + 2 + usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        segments.push((bytes[at + 1], bytes[at + 4..end].to_vec()));
        at = end;
    }
    segments
}

/// A JPEG from its segments and the part from the first scan on.
fn jpeg_of(segments: &[(u8, Vec<u8>)], scan: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    for (marker, payload) in segments {
        out.extend_from_slice(&[0xFF, *marker]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
    }
    out.extend_from_slice(scan);
    out
}

/// From the first scan's header to the end of the image (EOI) included.
fn from_scan_to_end(bytes: &[u8]) -> &[u8] {
    let start = bytes.windows(2).position(|w| w == [0xFF, 0xDA]).expect("a scan");
    let end = start + bytes[start..].windows(2).position(|w| w == [0xFF, 0xD9]).expect("an end") + 2;
    &bytes[start..end]
}

/// A JPEG from the other encoder (progressive files, restart markers, other subsampling).
fn jpeg_encoded(img: &image::RgbImage, configure: impl FnOnce(&mut jpeg_encoder::Encoder<&mut Vec<u8>>)) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 85);
    configure(&mut encoder);
    let (width, height) = (img.width() as u16, img.height() as u16);
    encoder.encode(img.as_raw(), width, height, jpeg_encoder::ColorType::Rgb).expect("encode jpeg");
    out
}

/// The mean absolute difference of two images' samples (0–255).
fn mean_difference(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let total: u64 = a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| u64::from(x.abs_diff(*y))).sum();
    total as f64 / a.as_raw().len() as f64
}

fn decoded(bytes: &[u8], format: image::ImageFormat) -> image::RgbImage {
    image::load_from_memory_with_format(bytes, format).expect("decodes").to_rgb8()
}

#[test]
fn a_baseline_jpeg_keeps_its_pixels_and_loses_comments_profiles_and_metadata() {
    let plain = jpeg(&photo(640, 480));
    let mut segments = jpeg_segments(&plain);
    let extra: Vec<(u8, Vec<u8>)> = vec![
        (0xFE, b"taken by Zhang San, 13800138000".to_vec()),
        (0xED, b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0cShanghai".to_vec()),
        (
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>31,14N</exif:GPSLatitude></x:xmpmeta>"
                .to_vec(),
        ),
        (0xE2, b"ICC_PROFILE\0\x01\x01not really a profile".to_vec()),
    ];
    segments.splice(1..1, extra);
    let scan = from_scan_to_end(&plain);
    let mut original = jpeg_of(&segments, scan);
    original.extend_from_slice(b"PK\x03\x04 a zip tail");

    let neutralised = images::neutralise(&original, MediaType::Jpeg).expect("accepted");
    let stored = &neutralised.bytes;
    let kept: Vec<u8> = jpeg_segments(stored).iter().map(|(m, _)| *m).collect();
    assert!(kept.iter().all(|m| [0xDB, 0xC0, 0xC4].contains(m)), "only tables and the frame: {kept:x?}");
    for needle in [&b"Zhang"[..], b"8BIM", b"xmpmeta", b"ICC_PROFILE", b"JFIF", b"PK\x03\x04"] {
        assert!(!contains(stored, needle), "{}", String::from_utf8_lossy(needle));
    }
    assert_eq!(from_scan_to_end(stored), scan, "the scan is copied as it was");
    assert!(stored.ends_with(scan), "nothing after the end of the image");
    assert_eq!(decoded(stored, image::ImageFormat::Jpeg), decoded(&plain, image::ImageFormat::Jpeg), "lossless");
    assert_eq!((neutralised.width, neutralised.height), (640, 480));
}

#[test]
fn a_jpeg_with_a_broken_structure_is_unreadable() {
    let plain = jpeg(&picture(320, 240));
    let segments = jpeg_segments(&plain);
    let scan = from_scan_to_end(&plain);
    let frame = segments.iter().find(|(m, _)| *m == 0xC0).expect("a frame").clone();
    let without_frame: Vec<(u8, Vec<u8>)> = segments.iter().filter(|(m, _)| *m != 0xC0).cloned().collect();
    // The scan first, the frame after it.
    let mut scan_first = jpeg_of(&without_frame, scan);
    let eoi = scan_first.len() - 2;
    scan_first.splice(eoi..eoi, jpeg_of(std::slice::from_ref(&frame), &[])[2..].to_vec());
    let mut second_frame = segments.clone();
    second_frame.push(frame);
    // A comment claiming more bytes than the file has.
    let mut past_the_end = plain[..2].to_vec();
    past_the_end.extend_from_slice(&[0xFF, 0xFE, 0xFF, 0xF0, b'x', b'y']);
    // A segment length running into the next segment.
    let mut overlapping = plain.clone();
    overlapping[5] += 3;
    let cases = [
        ("scan before frame", scan_first),
        ("two frames", jpeg_of(&second_frame, scan)),
        ("length past the end", past_the_end),
        ("overlapping lengths", overlapping),
        ("no end", plain[..plain.len() - 2].to_vec()),
    ];
    for (what, bytes) in cases {
        assert_eq!(images::neutralise(&bytes, MediaType::Jpeg).err(), Some(UploadRefusal::Unreadable), "{what}");
    }
}

#[test]
fn jpegs_from_other_encoders_keep_their_pixels_and_get_a_true_thumbnail() {
    use jpeg_encoder::SamplingFactor;
    type Configure = fn(&mut jpeg_encoder::Encoder<&mut Vec<u8>>);
    let settings: [(&str, Configure); 4] = [
        ("4:2:0", |e| e.set_sampling_factor(SamplingFactor::R_4_2_0)),
        ("4:4:4", |e| e.set_sampling_factor(SamplingFactor::R_4_4_4)),
        ("4:2:2", |e| e.set_sampling_factor(SamplingFactor::R_4_2_2)),
        ("restart markers", |e| e.set_restart_interval(3)),
    ];
    // Large enough for block averages, and small enough for full decoding.
    for (width, height) in [(2400, 1800), (500, 380)] {
        let img = photo(width, height);
        for (what, configure) in &settings {
            let original = jpeg_encoded(&img, configure);
            let neutralised = images::neutralise(&original, MediaType::Jpeg).expect(what);
            assert_eq!(from_scan_to_end(&neutralised.bytes), from_scan_to_end(&original), "{what}");
            let full = decoded(&original, image::ImageFormat::Jpeg);
            let expected = image::imageops::thumbnail(&full, 240, 240 * height / width);
            let thumbnail = decoded(&neutralised.thumbnail, image::ImageFormat::Jpeg);
            let difference = mean_difference(&thumbnail, &expected);
            assert!(difference < 6.0, "{what}, {width}×{height}: thumbnail differs by {difference:.1} on average");
        }
    }
    let grey = image::DynamicImage::ImageRgb8(photo(2000, 1500)).to_luma8();
    let mut original = Vec::new();
    jpeg_encoder::Encoder::new(&mut original, 85)
        .encode(grey.as_raw(), 2000, 1500, jpeg_encoder::ColorType::Luma)
        .expect("encode");
    let neutralised = images::neutralise(&original, MediaType::Jpeg).expect("grey");
    let expected = image::imageops::thumbnail(&decoded(&original, image::ImageFormat::Jpeg), 240, 180);
    let difference = mean_difference(&decoded(&neutralised.thumbnail, image::ImageFormat::Jpeg), &expected);
    assert!(difference < 6.0, "grey: thumbnail differs by {difference:.1} on average");
}

#[test]
fn progressive_jpegs_turned_and_interlaced_pngs_are_decoded_in_full_and_re_encoded() {
    let img = photo(640, 480);
    let progressive = jpeg_encoded(&img, |e| e.set_progressive(true));
    assert!(jpeg_segments(&progressive).iter().any(|(m, _)| *m == 0xC2), "the test file is progressive");
    let neutralised = images::neutralise(&progressive, MediaType::Jpeg).expect("accepted");
    assert_eq!((neutralised.width, neutralised.height), (640, 480));
    assert!(jpeg_segments(&neutralised.bytes).iter().any(|(m, _)| *m == 0xC0), "re-encoded as baseline");
    let difference = mean_difference(&decoded(&neutralised.bytes, image::ImageFormat::Jpeg), &img);
    assert!(difference < 6.0, "the same picture: {difference:.1}");
    assert!(!neutralised.thumbnail.is_empty());
    // A baseline file with one scan per component (this encoder's optimised tables; 4:4:4, as
    // the full decoder misreads such files with subsampled chroma).
    let split = jpeg_encoded(&img, |e| {
        e.set_optimized_huffman_tables(true);
        e.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_4_4);
    });
    assert_eq!(jpeg_segments(&split).iter().filter(|(m, _)| *m == 0xC0).count(), 1);
    let neutralised = images::neutralise(&split, MediaType::Jpeg).expect("accepted");
    let difference = mean_difference(&decoded(&neutralised.bytes, image::ImageFormat::Jpeg), &img);
    assert!(difference < 6.0, "the same picture: {difference:.1}");

    // A PNG whose EXIF says to turn it a quarter: turned, and the EXIF chunk gone.
    let mut turned = png(&photo(300, 200));
    let mut exif = Vec::new();
    png_chunk(&mut exif, b"eXIf", &orientation_only_exif(6)[6..]);
    turned.splice(33..33, exif);
    let neutralised = images::neutralise(&turned, MediaType::Png).expect("accepted");
    assert_eq!((neutralised.width, neutralised.height), (200, 300));
    assert!(!contains(&neutralised.bytes, b"eXIf"));
    let upright = image::imageops::rotate90(&photo(300, 200));
    assert_eq!(decoded(&neutralised.bytes, image::ImageFormat::Png), upright);

    let mut interlaced = interlaced_png(&img);
    let iend = interlaced.len() - 12;
    let mut text = Vec::new();
    png_chunk(&mut text, b"tEXt", b"Comment\0taken at 31.2N 121.4E");
    interlaced.splice(iend..iend, text);
    assert_eq!(decoded(&interlaced, image::ImageFormat::Png), img, "the test file is a valid interlaced PNG");
    let neutralised = images::neutralise(&interlaced, MediaType::Png).expect("accepted");
    assert_eq!(decoded(&neutralised.bytes, image::ImageFormat::Png), img, "lossless");
    assert!(!contains(&neutralised.bytes, b"tEXt"));
    assert_eq!((neutralised.width, neutralised.height), (640, 480));
}

/// `img` as an Adam7-interlaced PNG (no filtering).
fn interlaced_png(img: &image::RgbImage) -> Vec<u8> {
    const PASSES: [(u32, u32, u32, u32); 7] =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
    let mut raw = Vec::new();
    for (x0, y0, dx, dy) in PASSES {
        if x0 >= img.width() || y0 >= img.height() {
            continue;
        }
        for y in (y0..img.height()).step_by(dy as usize) {
            raw.push(0);
            for x in (x0..img.width()).step_by(dx as usize) {
                raw.extend_from_slice(&img.get_pixel(x, y).0);
            }
        }
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&img.width().to_be_bytes());
    ihdr.extend_from_slice(&img.height().to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 1]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", &deflate(&raw));
    png_chunk(&mut out, b"IEND", &[]);
    out
}

#[tokio::test]
async fn pngs_are_re_encoded_as_pngs_without_their_extra_chunks() {
    let store = TestStore::new();
    let mut file = png(&picture(400, 300));
    // A text chunk before IEND, and a script after it.
    let mut text = Vec::new();
    png_chunk(&mut text, b"tEXt", b"Comment\0taken at 31.2N 121.4E");
    let iend = file.len() - 12;
    file.splice(iend..iend, text);
    file.extend_from_slice(b"<script>alert(1)</script>");
    let received = store.receive(&file, "scan.png").await.expect("accepted");
    assert_eq!(received.media_type, MediaType::Png);
    let stored = store.stored(&received.sha256).await;
    assert!(stored.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(!contains(&stored, b"tEXt") && !contains(&stored, b"<script"));
    let decoded = image::load_from_memory_with_format(&stored, image::ImageFormat::Png).expect("a PNG");
    assert_eq!(decoded.to_rgb8(), picture(400, 300), "PNG stays lossless");
}

#[tokio::test]
async fn a_png_declaring_ten_billion_pixels_is_refused_from_its_header() {
    let store = TestStore::new();
    let bomb = png_declaring(100_000, 100_000);
    assert!(bomb.len() < 2048, "the bomb is tiny");
    assert_eq!(store.receive(&bomb, "bomb.png").await, Err(UploadRefusal::TooManyPixels));
    assert_eq!(store.receive(&png_declaring(8001, 10), "wide.png").await, Err(UploadRefusal::TooManyPixels));
    // Just inside the limits the header passes, and the missing pixel data makes it unreadable.
    assert_eq!(store.receive(&png_declaring(8000, 300), "edge.png").await, Err(UploadRefusal::Unreadable));
    assert!(store.files().is_empty());
}

#[test]
fn refusing_a_pixel_bomb_allocates_next_to_nothing() {
    if !measuring_in_own_process("platform::files::tests::refusing_a_pixel_bomb_allocates_next_to_nothing") {
        return;
    }
    let before = memory_kib("VmRSS");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let bomb = runtime.block_on(async { TestStore::new().receive(&png_declaring(100_000, 100_000), "b.png").await });
    assert_eq!(bomb, Err(UploadRefusal::TooManyPixels));
    let grown_mib = memory_kib("VmHWM").saturating_sub(before) / 1024;
    println!("peak resident growth refusing a 10-gigapixel PNG: {grown_mib} MiB");
    assert!(grown_mib < 16, "the peak grew by {grown_mib} MiB");
}

/// The unit tests' heap, counted: what is allocated now and the peak since a reset.
#[global_allocator]
static HEAP: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

/// A photo-like picture: smooth shading with fine texture (compresses like a scan, unlike
/// [`picture`]'s noise).
fn photo(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        let grain = ((x * 7) ^ (y * 13)) % 23;
        image::Rgb([((x / 16 + grain) % 256) as u8, ((y / 12 + grain) % 256) as u8, ((x + y) / 28 % 256) as u8])
    })
}

/// The peak heap growth, in bytes, while `path` is neutralised from its file into another file.
fn peak_heap_neutralising(path: &Path, media_type: MediaType) -> usize {
    let out_path = path.with_extension("out");
    let base = HEAP.current_usage();
    HEAP.reset_peak_usage();
    let input = std::io::BufReader::new(std::fs::File::open(path).expect("open"));
    let mut output = std::io::BufWriter::new(std::fs::File::create(&out_path).expect("create"));
    let facts = images::neutralise_stream(input, media_type, &mut output).expect("accepted");
    output.flush().expect("flush");
    drop((output, facts));
    let peak = HEAP.peak_usage() - base;
    println!("{media_type:?}: written {} KiB", std::fs::metadata(&out_path).map_or(0, |m| m.len()) / 1024);
    let _ = std::fs::remove_file(out_path);
    peak
}

#[test]
fn neutralising_a_large_photo_from_a_file_allocates_next_to_nothing() {
    if !measuring_in_own_process(
        "platform::files::tests::neutralising_a_large_photo_from_a_file_allocates_next_to_nothing",
    ) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("onestop-images-{}", hex::encode(rand::random::<[u8; 8]>())));
    std::fs::create_dir_all(&dir).expect("dir");
    let jpeg_path = dir.join("photo.jpg");
    let png_path = dir.join("scan.png");
    std::fs::write(&jpeg_path, jpeg(&picture(4000, 3000))).expect("write");
    let mut scan = Vec::new();
    let img = photo(4000, 3000);
    PngEncoder::new_with_quality(&mut scan, CompressionType::Best, FilterType::Adaptive)
        .write_image(img.as_raw(), 4000, 3000, ExtendedColorType::Rgb8)
        .expect("encode png");
    drop(img);
    std::fs::write(&png_path, scan).expect("write");
    let mut report = Vec::new();
    for (path, media_type) in [(&jpeg_path, MediaType::Jpeg), (&png_path, MediaType::Png)] {
        let size = std::fs::metadata(path).expect("size").len();
        let started = std::time::Instant::now();
        let peak = peak_heap_neutralising(path, media_type);
        let took = started.elapsed().as_millis();
        println!("{media_type:?}, {} KiB file: peak heap growth {} KiB, {took} ms", size / 1024, peak / 1024);
        assert!(size > 3 << 20, "a large file: {size} bytes");
        report.push((media_type, peak));
    }
    let _ = std::fs::remove_dir_all(&dir);
    // The old decode-everything path grew by 70–80 MiB here. What remains is a few rows, the
    // (de)compressors' state and the thumbnail.
    for (media_type, peak) in report {
        assert!(peak < 3 << 19, "{media_type:?}: the heap grew by {} KiB", peak / 1024);
    }
}

#[tokio::test]
async fn blank_and_tiny_images_are_refused() {
    let store = TestStore::new();
    let white = image::RgbImage::from_pixel(800, 600, image::Rgb([250, 250, 250]));
    assert_eq!(store.receive(&jpeg(&white), "white.jpg").await, Err(UploadRefusal::Blank));
    assert_eq!(store.receive(&png(&white), "white.png").await, Err(UploadRefusal::Blank));
    assert_eq!(store.receive(&png(&picture(150, 150)), "tiny.png").await, Err(UploadRefusal::Blank));
    assert_eq!(store.receive(&png(&picture(2000, 40)), "strip.png").await, Err(UploadRefusal::Blank));
    // A white page with a little text on it is a document, not a blank.
    let mut page = image::RgbImage::from_pixel(600, 800, image::Rgb([255, 255, 255]));
    for y in (100..700).step_by(24) {
        for x in 60..540 {
            if (x / 7 + y) % 3 != 0 {
                page.put_pixel(x, y, image::Rgb([20, 20, 20]));
                page.put_pixel(x, y + 1, image::Rgb([20, 20, 20]));
            }
        }
    }
    assert!(store.receive(&png(&page), "page.png").await.is_ok());
}

#[tokio::test]
async fn truncated_and_garbled_files_are_unreadable() {
    let store = TestStore::new();
    let photo = jpeg(&picture(400, 300));
    assert_eq!(store.receive(&photo[..600], "cut.jpg").await, Err(UploadRefusal::Unreadable));
    let mut garbled = png(&picture(400, 300));
    let len = garbled.len();
    garbled[40..len - 20].fill(0x41);
    assert_eq!(store.receive(&garbled, "garbled.png").await, Err(UploadRefusal::Unreadable));
    assert_eq!(store.receive(b"%PDF-1.7\nnot really", "x.pdf").await, Err(UploadRefusal::Unreadable));
    let encrypted = write_pdf(
        &one_page(""),
        "",
        "/Encrypt << /Filter /Standard /V 1 /R 2 /O (0123456789abcdef0123456789abcdef) /U (0123456789abcdef0123456789abcdef) /P -4 >> /ID [(a) (a)]",
    );
    assert_eq!(store.receive(&encrypted, "locked.pdf").await, Err(UploadRefusal::Unreadable));
}

#[tokio::test]
async fn a_clean_pdf_is_stored_as_sent_with_its_page_count() {
    let store = TestStore::new();
    let file = pdf("/PageMode /UseOutlines", &[], 3);
    let received = store.receive(&file, "申请表.pdf").await.expect("accepted");
    assert_eq!(received.media_type, MediaType::Pdf);
    assert_eq!(received.shape, FileShape::Pdf { pages: 3 });
    assert_eq!(received.thumbnail, None);
    assert_eq!(store.stored(&received.sha256).await, file);
    assert_eq!(received.original_name, "申请表.pdf");
    // Opening at a page is allowed; so is a name like /JS inside stream data.
    let go_to = pdf("/OpenAction 3 0 R", &["<< /S /GoTo /D [4 0 R /Fit] >>"], 1);
    assert_eq!(store.receive(&go_to, "a.pdf").await.map(|r| r.shape), Ok(FileShape::Pdf { pages: 1 }));
    let destination = pdf("/OpenAction [3 0 R /Fit]", &[], 1);
    assert!(store.receive(&destination, "b.pdf").await.is_ok());
    let data = "BT /JS 12 Tf (hello) Tj ET";
    let content = format!("<< /Length {} >>\nstream\n{data}\nendstream", data.len());
    let with_stream = pdf("", &[&content], 1);
    assert!(store.receive(&with_stream, "c.pdf").await.is_ok(), "stream data is not searched for names");
}

#[tokio::test]
async fn pdfs_with_active_content_are_refused() {
    let store = TestStore::new();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("open action script", pdf("/OpenAction 3 0 R", &["<< /S /JavaScript /JS (app.alert(1)) >>"], 1)),
        ("escaped names", pdf("/OpenAction 3 0 R", &["<< /S /J#61vaScript /J#53 (app.alert(1)) >>"], 1)),
        ("launch", pdf("/OpenAction 3 0 R", &["<< /S /Launch /F (cmd.exe) >>"], 1)),
        (
            "embedded file",
            pdf("/Names << /EmbeddedFiles 3 0 R >>", &["<< /Names [(a.exe) << /Type /Filespec /F (a.exe) >>] >>"], 1),
        ),
        ("page action", write_pdf(&one_page("/AA << /O << /S /ResetForm >> >>"), "", "")),
        ("URI on open", pdf("/OpenAction << /S /URI /URI (https://evil.example/) >>", &[], 1)),
        (
            "go-to then script",
            pdf("/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /SubmitForm /F (x) >> >>", &[], 1),
        ),
        ("compressed object stream", pdf_with_action_in_object_stream("<< /S /JavaScript /JS (app.alert(1)) >>")),
        ("escaped, compressed", pdf_with_action_in_object_stream("<< /S /J#61vaScript /J#53 (app.alert(1)) >>")),
    ];
    let mut accepted = Vec::new();
    for (what, bytes) in cases {
        let outcome = store.receive(&bytes, "doc.pdf").await;
        if outcome != Err(UploadRefusal::ActiveContent) {
            accepted.push(format!("{what}: {outcome:?}"));
        }
    }
    assert!(accepted.is_empty(), "not refused as active content:\n{}", accepted.join("\n"));
    // The object-stream builder makes a readable PDF: with a harmless action it is accepted,
    // so the refusals above come from the action, not from a broken file.
    let harmless = pdf_with_action_in_object_stream("<< /S /GoTo /D [3 0 R /Fit] >>");
    assert_eq!(store.receive(&harmless, "ok.pdf").await.map(|r| r.shape), Ok(FileShape::Pdf { pages: 1 }));
    assert!(store.files().iter().all(|f| !f.starts_with("tmp/")));
}

#[tokio::test]
async fn a_script_outside_the_cross_reference_table_is_still_found() {
    let store = TestStore::new();
    // An object no table lists, which a repairing viewer would still read; the document is
    // otherwise intact, so the parser has no reason to look for it.
    let hidden = "9 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n";
    let file = write_pdf(&one_page(""), hidden, "");
    assert!(store.receive(&write_pdf(&one_page(""), "", ""), "clean.pdf").await.is_ok());
    assert_eq!(store.receive(&file, "hidden.pdf").await, Err(UploadRefusal::ActiveContent));
}

#[tokio::test]
async fn automatic_actions_given_by_reference_are_followed() {
    let store = TestStore::new();
    let refused: Vec<(&str, Vec<u8>)> = vec![
        ("URI on open", pdf("/OpenAction 3 0 R", &["<< /S /URI /URI (https://evil.example/) >>"], 1)),
        (
            "go-to, then a form submission",
            pdf(
                "/OpenAction 3 0 R",
                &["<< /S /GoTo /D [5 0 R /Fit] /Next [4 0 R] >>", "<< /S /SubmitForm /F (x) >>"],
                1,
            ),
        ),
        (
            "page triggers by reference",
            write_pdf(
                &[one_page("/AA 4 0 R"), vec!["<< /O 5 0 R >>".to_owned(), "<< /S /Named /N /NextPage >>".to_owned()]]
                    .concat(),
                "",
                "",
            ),
        ),
    ];
    let mut accepted = Vec::new();
    for (what, bytes) in refused {
        let outcome = store.receive(&bytes, "doc.pdf").await;
        if outcome != Err(UploadRefusal::ActiveContent) {
            accepted.push(format!("{what}: {outcome:?}"));
        }
    }
    assert!(accepted.is_empty(), "not refused as active content:\n{}", accepted.join("\n"));
    // A chain of page moves is navigation, and a reference to nothing triggers nothing.
    let chain = pdf(
        "/OpenAction 3 0 R",
        &["<< /S /GoTo /D [5 0 R /Fit] /Next 4 0 R >>", "<< /S /GoTo /D [5 0 R /XYZ 0 0 0] /Next 3 0 R >>"],
        1,
    );
    assert_eq!(store.receive(&chain, "chain.pdf").await.map(|r| r.shape), Ok(FileShape::Pdf { pages: 1 }));
    let dangling = pdf("/OpenAction 9 0 R", &[], 1);
    assert!(store.receive(&dangling, "dangling.pdf").await.is_ok());
}

#[tokio::test]
async fn objects_must_be_where_the_cross_references_say() {
    let store = TestStore::new();
    // An action hidden in an uncompressed stream's data, where only the table points.
    let hidden = "5 0 obj << /S /URI /URI (https://evil.example/) >> endobj";
    let mut objects = one_page("");
    objects[0] = "<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>".to_owned();
    objects.push(format!("<< /Length {} >>\nstream\n{hidden}\nendstream", hidden.len()));
    objects.push("null".to_owned());
    let mut file = write_pdf(&objects, "", "");
    let inside_stream = find(&file, hidden.as_bytes());
    let fifth = find(&file, b"5 0 obj\nnull");
    let listed = format!("{fifth:010} 00000 n");
    let at = find(&file, listed.as_bytes());
    file.splice(at..at + 10, format!("{inside_stream:010}").into_bytes());
    assert_eq!(store.receive(&file, "hidden.pdf").await, Err(UploadRefusal::Unreadable));

    // A table off by a few bytes points into the middle of an object.
    let mut file = write_pdf(&one_page(""), "", "");
    let third = find(&file, b"3 0 obj");
    let listed = format!("{third:010} 00000 n");
    let at = find(&file, listed.as_bytes());
    file.splice(at..at + 10, format!("{:010}", third + 4).into_bytes());
    assert_eq!(store.receive(&file, "shifted.pdf").await, Err(UploadRefusal::Unreadable));

    // A packed object must start where its object stream's header says.
    let harmless = "<< /S /GoTo /D [3 0 R /Fit] >>";
    assert!(store.receive(&packed_pdf(harmless, 0, true, true), "predicted.pdf").await.is_ok());
    assert!(store.receive(&packed_pdf(harmless, 0, false, false), "uncompressed.pdf").await.is_ok());
    let misplaced = packed_pdf(harmless, 3, false, true);
    assert_eq!(store.receive(&misplaced, "misplaced.pdf").await, Err(UploadRefusal::Unreadable));
    // A script in an uncompressed object stream is found as well.
    let script = packed_pdf("<< /S /JavaScript /JS (app.alert(1)) >>", 0, false, false);
    assert_eq!(store.receive(&script, "script.pdf").await, Err(UploadRefusal::ActiveContent));
}

#[test]
fn checking_and_storing_a_ten_mib_pdf_keeps_memory_flat() {
    if !measuring_in_own_process("platform::files::tests::checking_and_storing_a_ten_mib_pdf_keeps_memory_flat") {
        return;
    }
    // A scan-like PDF (one page showing one large image) written straight to disk, so building
    // it does not raise the high-water mark the test reads.
    let dir = std::env::temp_dir().join(format!("onestop-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("scan.pdf");
    let size = write_large_pdf(&path, 10 * 1024 * 1024 - 4096);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let store = TestStore::new();
    // A first, small upload runs every code path once: what is measured is what one more
    // upload costs a running server, not the pages of program code it touches the first time.
    let warm_up = dir.join("warm.pdf");
    write_large_pdf(&warm_up, 64 * 1024);
    runtime.block_on(store.store.receive(file_chunks(&warm_up), "warm.pdf", 10 * 1024 * 1024)).expect("accepted");
    reset_peak_memory();
    let before = memory_kib("VmRSS");
    let received = runtime.block_on(store.store.receive(file_chunks(&path), "scan.pdf", 10 * 1024 * 1024));
    let grown_kib = memory_kib("VmHWM").saturating_sub(before);
    std::fs::remove_dir_all(&dir).expect("clean up");
    let received = received.expect("accepted");
    assert_eq!((received.shape, received.size), (FileShape::Pdf { pages: 1 }, size));
    println!("peak resident growth checking and storing a {size}-byte PDF: {grown_kib} KiB");
    assert!(grown_kib < 2 * 1024, "the peak grew by {grown_kib} KiB");
}

/// Writes a one-page PDF whose page shows an image of about `image_bytes` (noise, as a
/// compressed photo looks) in 64 KiB pieces; returns the file's size.
fn write_large_pdf(path: &Path, image_bytes: usize) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut at = 0usize;
    let mut offsets = Vec::new();
    let put = |out: &mut std::io::BufWriter<std::fs::File>, bytes: &[u8], at: &mut usize| {
        out.write_all(bytes).expect("write");
        *at += bytes.len();
    };
    put(&mut out, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", &mut at);
    let content = "q 595 0 0 842 0 0 cm /Im0 Do Q";
    let small = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    for (i, body) in small.iter().enumerate() {
        offsets.push(at);
        put(&mut out, format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes(), &mut at);
    }
    offsets.push(at);
    put(
        &mut out,
        format!("5 0 obj\n<< /Type /XObject /Subtype /Image /Width 2480 /Height 3508 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {image_bytes} >>\nstream\n").as_bytes(),
        &mut at,
    );
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut chunk = vec![0u8; 64 * 1024];
    let mut left = image_bytes;
    while left > 0 {
        let n = left.min(chunk.len());
        for b in &mut chunk[..n] {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *b = state as u8;
        }
        put(&mut out, &chunk[..n], &mut at);
        left -= n;
    }
    put(&mut out, b"\nendstream\nendobj\n", &mut at);
    let xref = at;
    put(&mut out, b"xref\n0 6\n0000000000 65535 f \n", &mut at);
    for offset in offsets {
        put(&mut out, format!("{offset:010} 00000 n \n").as_bytes(), &mut at);
    }
    put(&mut out, format!("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(), &mut at);
    out.flush().expect("flush");
    at as u64
}

/// The file at `path` as a body stream, in 64 KiB pieces.
fn file_chunks(path: &Path) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> + 'static {
    let mut file = std::fs::File::open(path).expect("open");
    stream::iter(std::iter::from_fn(move || {
        let mut chunk = vec![0u8; 64 * 1024];
        let n = std::io::Read::read(&mut file, &mut chunk).expect("read");
        chunk.truncate(n);
        (n > 0).then(|| Ok(Bytes::from(chunk)))
    }))
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).position(|w| w == needle).expect("present")
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_and_leaves_nothing_behind() {
    let store = TestStore::new();
    let limit = 64 * 1024;
    let mut file = pdf("", &[], 1);
    file.resize(limit as usize + 1, b' ');
    let refused = store.store.receive(chunks(&file), "big.pdf", limit).await;
    assert_eq!(refused, Err(UploadRefusal::TooLarge { limit }));
    assert_eq!(refused.expect_err("refused").status(), 413);
    file.truncate(limit as usize);
    assert!(store.store.receive(chunks(&file), "exact.pdf", limit).await.is_ok(), "exactly the limit is fine");
    assert!(store.temp_files().is_empty(), "{:?}", store.temp_files());
    assert_eq!(store.receive(b"", "empty.pdf").await, Err(UploadRefusal::Empty));
    assert_eq!(store.receive(b"\x89PN", "short.png").await, Err(UploadRefusal::UnsupportedType));
    assert!(store.temp_files().is_empty());
}

#[tokio::test]
async fn a_failing_stream_refuses_with_its_reason_and_removes_the_temporary_file() {
    let store = TestStore::new();
    let parts: Vec<Result<Bytes, UploadRefusal>> =
        vec![Ok(Bytes::from_static(b"%PDF-1.4\n")), Ok(Bytes::from(vec![b' '; 1000])), Err(UploadRefusal::TimedOut)];
    let refused = store.store.receive(stream::iter(parts), "slow.pdf", 1 << 20).await;
    assert_eq!(refused, Err(UploadRefusal::TimedOut));
    assert!(store.temp_files().is_empty());
}

#[tokio::test]
async fn hostile_names_become_clean_metadata_and_never_paths() {
    let store = TestStore::new();
    let photo = jpeg(&picture(300, 300));
    let long = format!("{}.jpg", "长".repeat(1000));
    // Han characters have no decomposed form; a macOS name with accented Latin letters does.
    let cjk = "身份证正面.jpg";
    let nfc = "身份证正面-Chloé.jpg".to_owned();
    let cases: Vec<(String, String)> = vec![
        ("../../etc/passwd".into(), "passwd".into()),
        ("..\\..\\windows\\win.ini".into(), "win.ini".into()),
        ("a.php.jpg".into(), "a.php.jpg".into()),
        ("x\0.jpg".into(), "x.jpg".into()),
        ("CON".into(), "_CON".into()),
        ("con.txt.jpg".into(), "_con.txt.jpg".into()),
        ("invoice\u{202E}gpj.exe".into(), "invoicegpj.exe".into()),
        ("\u{2067}report\u{2069}.jpg".into(), "report.jpg".into()),
        ("..".into(), "file".into()),
        ("".into(), "file".into()),
        (" .hidden.jpg ".into(), "hidden.jpg".into()),
        ("a<b>:c|d?.jpg".into(), "a_b__c_d_.jpg".into()),
        ("e\u{301}.jpg".into(), "\u{e9}.jpg".into()),
    ];
    for (declared, expected) in &cases {
        assert_eq!(sanitize_file_name(declared), *expected, "{declared:?}");
    }
    let cut = sanitize_file_name(&long);
    assert!(cut.len() <= 255 && cut.ends_with(".jpg") && cut.starts_with('长'), "{} bytes", cut.len());
    let nfd = |s: &str| -> String { unicode_normalization::UnicodeNormalization::nfd(s).collect() };
    assert_eq!(sanitize_file_name(&nfd(cjk)), cjk);
    let decomposed = nfd(&nfc);
    assert_ne!(decomposed, nfc, "the test name has a decomposed form");
    assert_eq!(sanitize_file_name(&decomposed), nfc, "NFC");

    let mut names: Vec<String> = cases.iter().map(|(d, _)| d.clone()).collect();
    names.extend([long, decomposed]);
    let mut keys = HashSet::new();
    for name in &names {
        let received = store.receive(&photo, name).await.expect("the photo is fine whatever its name");
        assert_eq!(received.original_name, sanitize_file_name(name));
        keys.insert(received.sha256);
    }
    assert_eq!(keys.len(), 1, "one content, one object");
    let files = store.files();
    assert_eq!(files.len(), 2, "the photo and its thumbnail, nothing else: {files:?}");
    assert!(files.iter().all(|f| f.starts_with("objects/") && is_object_key(&f["objects/".len()..])), "{files:?}");
    let outside = store.root.parent().expect("parent").join("etc");
    assert!(!outside.join("passwd").exists());
}

#[tokio::test]
async fn the_same_content_twice_is_one_object() {
    let store = TestStore::new();
    let file = pdf("", &[], 2);
    let first = store.receive(&file, "a.pdf").await.expect("first");
    let second = store.receive(&file, "b.pdf").await.expect("second");
    assert_eq!(first.sha256, second.sha256);
    assert_eq!((first.original_name.as_str(), second.original_name.as_str()), ("a.pdf", "b.pdf"));
    assert_eq!(store.files(), vec![format!("objects/{}", first.sha256)]);
}

#[tokio::test]
async fn object_keys_are_checked_before_any_path_is_made() {
    let store = TestStore::new();
    for key in ["../secret.key", "objects/../../x", "ABCDEF", &"A".repeat(64), &format!("{}/", "a".repeat(63)), ""] {
        assert_eq!(store.store.exists(key).await, Err(StoreError::InvalidKey), "{key}");
        assert!(matches!(store.store.open(key).await, Err(StoreError::InvalidKey)), "{key}");
    }
    let missing = "0".repeat(64);
    assert_eq!(store.store.exists(&missing).await, Ok(false));
    assert!(matches!(store.store.open(&missing).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn gc_removes_only_unreferenced_objects_past_the_grace_period() {
    let store = TestStore::new();
    let kept = store.receive(&pdf("", &[], 1), "kept.pdf").await.expect("stored");
    let orphan = store.receive(&pdf("", &[], 2), "orphan.pdf").await.expect("stored");
    let referenced: HashSet<String> = [kept.sha256.clone()].into();

    let fresh = store.store.gc(&referenced, Duration::from_secs(3600)).await.expect("gc");
    assert_eq!((fresh.deleted, fresh.kept), (0, 2), "within the grace period nothing goes");
    assert!(store.store.exists(&orphan.sha256).await.expect("exists"));

    // Age both objects and leave an abandoned upload behind.
    let old = std::time::SystemTime::now() - Duration::from_secs(7200);
    for key in [&kept.sha256, &orphan.sha256] {
        let path = store.root.join("objects").join(key);
        std::fs::File::options().write(true).open(path).expect("open").set_modified(old).expect("age");
    }
    let abandoned = store.root.join("tmp").join("0123.part");
    std::fs::write(&abandoned, b"half an upload").expect("write");
    std::fs::File::options().write(true).open(&abandoned).expect("open").set_modified(old).expect("age");

    let report = store.store.gc(&referenced, Duration::from_secs(3600)).await.expect("gc");
    assert_eq!(report, GcReport { deleted: 1, kept: 1, leftovers: 1 });
    assert!(store.store.exists(&kept.sha256).await.expect("exists"));
    assert!(!store.store.exists(&orphan.sha256).await.expect("exists"));
    assert!(!abandoned.exists());
}

#[tokio::test]
async fn storing_existing_content_again_protects_it_from_a_clean_up() {
    let store = TestStore::new();
    let file = pdf("", &[], 1);
    let first = store.receive(&file, "a.pdf").await.expect("stored");
    let path = store.root.join("objects").join(&first.sha256);
    let old = std::time::SystemTime::now() - Duration::from_secs(7200);
    std::fs::File::options().write(true).open(&path).expect("open").set_modified(old).expect("age");
    // The same content arrives again (its row is about to be committed).
    store.receive(&file, "again.pdf").await.expect("stored again");
    let report = store.store.gc(&HashSet::new(), Duration::from_secs(3600)).await.expect("gc");
    assert_eq!(report.deleted, 0, "an object stored again is young again");
    assert!(path.exists());
}

#[test]
fn refusals_have_the_agreed_statuses_and_stable_codes() {
    let cases = [
        (UploadRefusal::TooLarge { limit: 1 }, 413, "too_large"),
        (UploadRefusal::UnsupportedType, 415, "unsupported_type"),
        (UploadRefusal::Empty, 422, "empty"),
        (UploadRefusal::Blank, 422, "blank"),
        (UploadRefusal::Unreadable, 422, "unreadable"),
        (UploadRefusal::TooManyPixels, 422, "too_many_pixels"),
        (UploadRefusal::ActiveContent, 422, "active_content"),
        (UploadRefusal::StorageFull, 507, "storage_full"),
        (UploadRefusal::StorageUnavailable, 503, "storage_unavailable"),
        (UploadRefusal::TimedOut, 408, "timed_out"),
    ];
    for (refusal, status, code) in cases {
        assert_eq!((refusal.status(), refusal.code()), (status, code));
    }
    assert_eq!(UploadRefusal::from(StoreError::Full), UploadRefusal::StorageFull);
    assert_eq!(MediaType::sniff(b"%PDF-1.7"), Some(MediaType::Pdf));
    assert_eq!(MediaType::sniff(b"  %PDF-1.7"), None, "a PDF header must start the file");
    for t in [MediaType::Pdf, MediaType::Jpeg, MediaType::Png] {
        assert_eq!(MediaType::from_mime(t.mime()), Some(t));
    }
    assert_eq!((MediaType::Jpeg.extension(), MediaType::Png.mime()), ("jpg", "image/png"));
}
