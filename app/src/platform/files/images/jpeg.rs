//! Baseline JPEGs, rewritten losslessly: the segments a decoder needs are copied, everything
//! else is left behind, and the copy is decoded on the way into the thumbnail.
//!
//! Two passes over the input. The first reads the header up to the first scan without
//! writing anything: it checks the structure and the frame's size, finds the EXIF orientation
//! and decides whether this path can take the file at all. The second copies SOI, a new EXIF
//! segment with only the orientation (when the photo must be turned), the quantisation and
//! Huffman tables, the restart interval, the frame, a standard Adobe segment (it decides
//! whether three components are RGB or YCbCr), the scan header and its entropy-coded data
//! (restart markers included), then EOI. APPn and COM segments are dropped and nothing after
//! EOI is read.
//!
//! The entropy-coded data is Huffman-decoded as it is copied, one row of blocks (an MCU row)
//! at a time. A large image is seen through the average of each 8×8 block (its DC
//! coefficient: the 1/8 scale a decoder's DCT scaling gives); an image too small for that to
//! fill the thumbnail is decoded in full. Either way the rows go straight into the thumbnail's
//! [`Shrinker`], so memory is a few rows of blocks, whatever the image's height or file size.

use super::{check_size, storage_failure, swaps_sides, thumbnail_size, ImageFacts, Shrinker, Streamed};
use crate::platform::files::UploadRefusal;
use image::metadata::Orientation;
use std::io::{BufRead, Read, Seek, SeekFrom, Write};

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const DQT: u8 = 0xDB;
const DRI: u8 = 0xDD;
const DHT: u8 = 0xC4;
const COM: u8 = 0xFE;
const APP1: u8 = 0xE1;
const APP14: u8 = 0xEE;
/// Baseline and extended sequential Huffman-coded frames: what this path decodes.
const SOF_SEQUENTIAL: [u8; 2] = [0xC0, 0xC1];
/// Every other frame type (progressive, lossless, hierarchical, arithmetic-coded).
const SOF_OTHER: [u8; 11] = [0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF];

/// Natural (row-major) position of the n-th coefficient in zig-zag order.
const ZIGZAG: [u8; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
    28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54,
    47, 55, 62, 63,
];

type Refusal<T> = Result<T, UploadRefusal>;

pub(super) fn rewrite<R: BufRead + Seek, W: Write>(input: &mut R, output: &mut W) -> Refusal<Streamed> {
    let Some(header) = survey(input)? else {
        return Ok(Streamed::NeedsFullDecode);
    };
    input.seek(SeekFrom::Start(0)).map_err(|_| UploadRefusal::Unreadable)?;
    let thumbnail = copy_and_decode(input, output, &header)?;
    let (width, height) = (u32::from(header.frame.width), u32::from(header.frame.height));
    let (width, height) = if swaps_sides(header.orientation) { (height, width) } else { (width, height) };
    let thumbnail = super::finish_thumbnail(thumbnail, header.orientation)?;
    Ok(Streamed::Done(ImageFacts { width, height, thumbnail }))
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Component {
    id: u8,
    h: u8,
    v: u8,
    quant: u8,
}

#[derive(Clone)]
struct Frame {
    width: u16,
    height: u16,
    components: Vec<Component>,
}

/// What the first pass learnt.
struct Header {
    frame: Frame,
    orientation: Orientation,
    /// The transform flag of an Adobe segment, if any: 0 means three components are RGB.
    adobe_transform: Option<u8>,
}

/// Reads the header up to the first scan. `None`: a valid start this path cannot decode.
fn survey<R: BufRead>(input: &mut R) -> Refusal<Option<Header>> {
    expect_soi(input)?;
    let mut frame: Option<Frame> = None;
    let mut orientation = None;
    let mut adobe_transform = None;
    let mut sequential = true;
    loop {
        let marker = next_marker(input)?;
        match marker {
            m if SOF_SEQUENTIAL.contains(&m) || SOF_OTHER.contains(&m) => {
                if frame.is_some() {
                    return Err(UploadRefusal::Unreadable);
                }
                let payload = read_payload(input)?;
                let (precision, parsed) = parse_frame(&payload)?;
                check_size(u32::from(parsed.width), u32::from(parsed.height))?;
                let count = parsed.components.len();
                sequential = SOF_SEQUENTIAL.contains(&m) && precision == 8 && (count == 1 || count == 3);
                frame = Some(parsed);
            }
            SOS => {
                let Some(frame) = frame else { return Err(UploadRefusal::Unreadable) };
                if !sequential {
                    return Ok(None);
                }
                let payload = read_payload(input)?;
                // One scan with every component: what this path decodes.
                if parse_scan(&payload, &frame)?.components.len() != frame.components.len() {
                    return Ok(None);
                }
                let orientation = orientation.unwrap_or(Orientation::NoTransforms);
                return Ok(Some(Header { frame, orientation, adobe_transform }));
            }
            APP1 => {
                let payload = read_payload(input)?;
                // The first EXIF segment decides, as in browsers.
                if let (None, Some(tiff)) = (&orientation, payload.strip_prefix(b"Exif\0\0")) {
                    orientation = Some(Orientation::from_exif_chunk(tiff).unwrap_or(Orientation::NoTransforms));
                }
            }
            APP14 => {
                let payload = read_payload(input)?;
                if adobe_transform.is_none() {
                    adobe_transform = adobe(&payload);
                }
            }
            DQT | DHT | DRI | COM | 0xE0..=0xEF => skip_payload(input)?,
            _ => return Err(UploadRefusal::Unreadable),
        }
    }
}

/// The second pass: the copy, decoded into a shrunk image on the way.
fn copy_and_decode<R: BufRead, W: Write>(input: &mut R, output: &mut W, header: &Header) -> Refusal<image::RgbImage> {
    expect_soi(input)?;
    let put = |output: &mut W, bytes: &[u8]| output.write_all(bytes).map_err(|e| storage_failure(&e));
    put(output, &[0xFF, SOI])?;
    if header.orientation != Orientation::NoTransforms {
        put(output, &orientation_segment(header.orientation.to_exif()))?;
    }
    if let Some(transform) = header.adobe_transform {
        put(output, &adobe_segment(transform))?;
    }
    let mut tables = Tables::default();
    let mut shrunk = None;
    let mut marker = next_marker(input)?;
    loop {
        match marker {
            EOI => {
                put(output, &[0xFF, EOI])?;
                return shrunk.ok_or(UploadRefusal::Unreadable);
            }
            // One scan: the first pass saw that it holds every component.
            SOS if shrunk.is_none() => {
                let payload = read_payload(input)?;
                put(output, &segment(SOS, &payload))?;
                let scan = parse_scan(&payload, &header.frame)?;
                let (next, image) = decode_scan(input, output, header, &scan, &tables)?;
                (marker, shrunk) = (next, Some(image));
                continue;
            }
            m if SOF_SEQUENTIAL.contains(&m) && shrunk.is_none() => {
                let payload = read_payload(input)?;
                put(output, &segment(m, &payload))?;
            }
            DQT | DHT | DRI => {
                let payload = read_payload(input)?;
                match marker {
                    DQT => tables.read_quantisation(&payload)?,
                    DHT => tables.read_huffman(&payload)?,
                    _ => tables.read_restart_interval(&payload)?,
                }
                put(output, &segment(marker, &payload))?;
            }
            COM | 0xE0..=0xEF => skip_payload(input)?,
            _ => return Err(UploadRefusal::Unreadable),
        }
        marker = next_marker(input)?;
    }
}

fn expect_soi<R: BufRead>(input: &mut R) -> Refusal<()> {
    let mut start = [0; 2];
    input.read_exact(&mut start).map_err(|_| UploadRefusal::Unreadable)?;
    if start != [0xFF, SOI] {
        return Err(UploadRefusal::Unreadable);
    }
    Ok(())
}

fn read_u8<R: BufRead>(input: &mut R) -> Refusal<u8> {
    let byte = *input.fill_buf().map_err(|_| UploadRefusal::Unreadable)?.first().ok_or(UploadRefusal::Unreadable)?;
    input.consume(1);
    Ok(byte)
}

/// The next marker between segments: 0xFF (fill bytes allowed), then its code. Anything else
/// there is not a JPEG's structure.
fn next_marker<R: BufRead>(input: &mut R) -> Refusal<u8> {
    if read_u8(input)? != 0xFF {
        return Err(UploadRefusal::Unreadable);
    }
    loop {
        match read_u8(input)? {
            0xFF => continue,
            0x00 => return Err(UploadRefusal::Unreadable),
            code => return Ok(code),
        }
    }
}

fn payload_length<R: BufRead>(input: &mut R) -> Refusal<usize> {
    let length = u16::from_be_bytes([read_u8(input)?, read_u8(input)?]);
    usize::from(length).checked_sub(2).ok_or(UploadRefusal::Unreadable)
}

/// A segment's payload (at most 65533 bytes); a length running past the end is refused.
fn read_payload<R: BufRead>(input: &mut R) -> Refusal<Vec<u8>> {
    let mut payload = vec![0; payload_length(input)?];
    input.read_exact(&mut payload).map_err(|_| UploadRefusal::Unreadable)?;
    Ok(payload)
}

fn skip_payload<R: BufRead>(input: &mut R) -> Refusal<()> {
    let length = payload_length(input)? as u64;
    let skipped =
        std::io::copy(&mut input.take(length), &mut std::io::sink()).map_err(|_| UploadRefusal::Unreadable)?;
    if skipped != length {
        return Err(UploadRefusal::Unreadable);
    }
    Ok(())
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 4);
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// An EXIF segment holding nothing but the orientation tag.
fn orientation_segment(orientation: u8) -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    exif.extend_from_slice(&[0, 1]);
    exif.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0]);
    exif.extend_from_slice(&[0, 0, 0, 0]);
    segment(APP1, &exif)
}

/// The transform flag of an Adobe segment ("Adobe", version, two flag words, transform).
fn adobe(payload: &[u8]) -> Option<u8> {
    (payload.len() >= 12 && payload.starts_with(b"Adobe")).then(|| payload[11])
}

/// The standard 12-byte Adobe segment with `transform`.
fn adobe_segment(transform: u8) -> Vec<u8> {
    let mut payload = b"Adobe\0\x64\0\0\0\0".to_vec();
    payload.push(transform);
    segment(APP14, &payload)
}

/// Returns the sample precision and the frame.
fn parse_frame(payload: &[u8]) -> Refusal<(u8, Frame)> {
    let [precision, h1, h0, w1, w0, count, rest @ ..] = payload else {
        return Err(UploadRefusal::Unreadable);
    };
    let (height, width) = (u16::from_be_bytes([*h1, *h0]), u16::from_be_bytes([*w1, *w0]));
    if rest.len() != usize::from(*count) * 3 || *count == 0 || height == 0 || width == 0 {
        return Err(UploadRefusal::Unreadable);
    }
    let components: Vec<Component> =
        rest.chunks_exact(3).map(|c| Component { id: c[0], h: c[1] >> 4, v: c[1] & 15, quant: c[2] }).collect();
    let valid = |c: &Component| (1..=4).contains(&c.h) && (1..=4).contains(&c.v) && c.quant < 4;
    let unique = components.iter().enumerate().all(|(i, c)| components[..i].iter().all(|d| d.id != c.id));
    if !components.iter().all(valid) || !unique {
        return Err(UploadRefusal::Unreadable);
    }
    Ok((*precision, Frame { width, height, components }))
}

struct Scan {
    /// For each component of the scan: its index in the frame, DC and AC table.
    components: Vec<(usize, u8, u8)>,
}

fn parse_scan(payload: &[u8], frame: &Frame) -> Refusal<Scan> {
    let [count, rest @ ..] = payload else { return Err(UploadRefusal::Unreadable) };
    if *count == 0 || rest.len() != usize::from(*count) * 2 + 3 {
        return Err(UploadRefusal::Unreadable);
    }
    let (selectors, spectral) = rest.split_at(usize::from(*count) * 2);
    let mut components = Vec::new();
    for pair in selectors.chunks_exact(2) {
        let index = frame.components.iter().position(|c| c.id == pair[0]).ok_or(UploadRefusal::Unreadable)?;
        let (dc, ac) = (pair[1] >> 4, pair[1] & 15);
        if dc > 3 || ac > 3 || components.iter().any(|&(i, _, _)| i == index) {
            return Err(UploadRefusal::Unreadable);
        }
        components.push((index, dc, ac));
    }
    // A sequential scan covers the whole spectrum at full precision.
    if spectral != [0, 63, 0] {
        return Err(UploadRefusal::Unreadable);
    }
    Ok(Scan { components })
}

/// The decoder's tables, as the segments before the scan set them.
#[derive(Default)]
struct Tables {
    /// Quantisation tables, in zig-zag order.
    quantisation: [Option<[u16; 64]>; 4],
    dc: [Option<Huffman>; 4],
    ac: [Option<Huffman>; 4],
    restart_interval: u16,
}

impl Tables {
    fn read_quantisation(&mut self, mut payload: &[u8]) -> Refusal<()> {
        while let [spec, rest @ ..] = payload {
            let (wide, id) = (spec >> 4, spec & 15);
            let size = if wide == 0 { 64 } else { 128 };
            if wide > 1 || id > 3 || rest.len() < size {
                return Err(UploadRefusal::Unreadable);
            }
            let mut table = [0u16; 64];
            for (k, value) in table.iter_mut().enumerate() {
                *value =
                    if wide == 0 { u16::from(rest[k]) } else { u16::from_be_bytes([rest[2 * k], rest[2 * k + 1]]) };
            }
            self.quantisation[usize::from(id)] = Some(table);
            payload = &rest[size..];
        }
        Ok(())
    }

    fn read_huffman(&mut self, mut payload: &[u8]) -> Refusal<()> {
        while payload.len() >= 17 {
            let (class, id) = (payload[0] >> 4, payload[0] & 15);
            let mut counts = [0u8; 16];
            counts.copy_from_slice(&payload[1..17]);
            let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
            if class > 1 || id > 3 || total > 256 || payload.len() < 17 + total {
                return Err(UploadRefusal::Unreadable);
            }
            let table = Huffman::new(&counts, &payload[17..17 + total])?;
            let slot = if class == 0 { &mut self.dc } else { &mut self.ac };
            slot[usize::from(id)] = Some(table);
            payload = &payload[17 + total..];
        }
        if payload.is_empty() {
            Ok(())
        } else {
            Err(UploadRefusal::Unreadable)
        }
    }

    fn read_restart_interval(&mut self, payload: &[u8]) -> Refusal<()> {
        let [high, low] = payload else { return Err(UploadRefusal::Unreadable) };
        self.restart_interval = u16::from_be_bytes([*high, *low]);
        Ok(())
    }
}

/// Bits of a look-up for the shorter Huffman codes (most codes are short).
const FAST_BITS: u32 = 9;

/// A Huffman table: a look-up by the next [`FAST_BITS`] bits for short codes, the canonical
/// code ranges for long ones.
struct Huffman {
    /// `length << 8 | symbol`, or 0 where no short code starts with these bits.
    fast: Vec<u16>,
    /// The largest code of each length (index 1–16), or -1.
    max_code: [i32; 17],
    /// Index into `symbols` minus the first code, for each length.
    offset: [i32; 17],
    symbols: Vec<u8>,
}

impl Huffman {
    fn new(counts: &[u8; 16], symbols: &[u8]) -> Refusal<Huffman> {
        let mut fast = vec![0u16; 1 << FAST_BITS];
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let (mut code, mut k) = (0u32, 0usize);
        for length in 1..=16u32 {
            offset[length as usize] = k as i32 - code as i32;
            for _ in 0..counts[length as usize - 1] {
                if length <= FAST_BITS {
                    let shift = FAST_BITS - length;
                    for suffix in 0..1u32 << shift {
                        fast[((code << shift) | suffix) as usize] = (length << 8) as u16 | u16::from(symbols[k]);
                    }
                }
                code += 1;
                k += 1;
            }
            if code > 1 << length {
                return Err(UploadRefusal::Unreadable);
            }
            if counts[length as usize - 1] > 0 {
                max_code[length as usize] = code as i32 - 1;
            }
            code <<= 1;
        }
        Ok(Huffman { fast, max_code, offset, symbols: symbols.to_vec() })
    }
}

/// Stands in `BitReader::marker` for the end of the file (0x00 is never a marker's code).
const END_OF_FILE: u8 = 0x00;

/// The entropy-coded data, bit by bit: bytes are copied to the output as they are taken in,
/// stuffed zero bytes removed, and reading stops at a marker.
struct BitReader<'a, R, W> {
    input: &'a mut R,
    output: &'a mut W,
    bits: u64,
    count: u32,
    /// Zero bits added past the end of the data (at a marker or the end of the file), which
    /// a valid image never uses.
    padding: u32,
    /// The marker that ended the data, once met.
    marker: Option<u8>,
}

impl<R: BufRead, W: Write> BitReader<'_, R, W> {
    /// At least `n` (≤ 32) bits in hand.
    fn fill(&mut self, n: u32) -> Refusal<()> {
        while self.count < n {
            let byte = if self.marker.is_some() { None } else { self.next_data_byte()? };
            match byte {
                Some(byte) => self.bits = (self.bits << 8) | u64::from(byte),
                None => {
                    self.bits <<= 8;
                    self.padding += 8;
                }
            }
            self.count += 8;
        }
        Ok(())
    }

    /// The next byte of data, or `None` at a marker (kept in `marker`) or the end of the file.
    fn next_data_byte(&mut self) -> Refusal<Option<u8>> {
        let Ok(byte) = read_u8(self.input) else {
            self.marker = Some(END_OF_FILE);
            return Ok(None);
        };
        if byte != 0xFF {
            self.output.write_all(&[byte]).map_err(|e| storage_failure(&e))?;
            return Ok(Some(byte));
        }
        // 0xFF 0x00 is a data byte 0xFF; more 0xFF bytes are fill before a marker.
        let mut next = read_u8(self.input);
        while let Ok(0xFF) = next {
            next = read_u8(self.input);
        }
        match next {
            Ok(0x00) => {
                self.output.write_all(&[0xFF, 0x00]).map_err(|e| storage_failure(&e))?;
                Ok(Some(0xFF))
            }
            Ok(code) => {
                self.marker = Some(code);
                Ok(None)
            }
            Err(_) => {
                self.marker = Some(END_OF_FILE);
                Ok(None)
            }
        }
    }

    fn peek(&self, n: u32) -> u32 {
        ((self.bits >> (self.count - n)) & ((1 << n) - 1)) as u32
    }

    fn consume(&mut self, n: u32) -> Refusal<()> {
        self.count -= n;
        if self.count < self.padding {
            // The image needs more data than there is: truncated or corrupt.
            return Err(UploadRefusal::Unreadable);
        }
        Ok(())
    }

    fn take(&mut self, n: u32) -> Refusal<u32> {
        if n == 0 {
            return Ok(0);
        }
        self.fill(n)?;
        let value = self.peek(n);
        self.consume(n)?;
        Ok(value)
    }

    fn decode(&mut self, table: &Huffman) -> Refusal<u8> {
        self.fill(16)?;
        let entry = table.fast[self.peek(FAST_BITS) as usize];
        if entry != 0 {
            self.consume(u32::from(entry >> 8))?;
            return Ok(entry as u8);
        }
        let bits = self.peek(16);
        for length in 1..=16u32 {
            let code = (bits >> (16 - length)) as i32;
            if code <= table.max_code[length as usize] {
                self.consume(length)?;
                let index = code + table.offset[length as usize];
                return table.symbols.get(index as usize).copied().ok_or(UploadRefusal::Unreadable);
            }
        }
        Err(UploadRefusal::Unreadable)
    }

    /// A coefficient of `size` bits, sign-extended the JPEG way.
    fn value(&mut self, size: u8) -> Refusal<i32> {
        let raw = self.take(u32::from(size))? as i32;
        Ok(if size > 0 && raw < 1 << (size - 1) { raw - (1 << size) + 1 } else { raw })
    }

    /// Drops the bits left in hand: the padding of the last byte.
    fn align(&mut self) {
        self.count = 0;
        self.padding = 0;
    }

    /// The restart marker `expected` (0–7) must come next.
    fn restart(&mut self, expected: u8) -> Refusal<()> {
        self.align();
        if self.marker.is_none() {
            // Nothing but the marker may follow the padding.
            if self.next_data_byte()?.is_some() {
                return Err(UploadRefusal::Unreadable);
            }
        }
        if self.marker != Some(0xD0 + expected) {
            return Err(UploadRefusal::Unreadable);
        }
        self.output.write_all(&[0xFF, 0xD0 + expected]).map_err(|e| storage_failure(&e))?;
        self.marker = None;
        Ok(())
    }

    /// The marker after the scan's data. Stray bytes before it are dropped, not copied.
    fn end(mut self) -> Refusal<u8> {
        self.align();
        loop {
            match self.marker.take() {
                Some(END_OF_FILE) => return Err(UploadRefusal::Unreadable),
                // A restart marker after the last block restarts nothing.
                Some(code) if !(0xD0..=0xD7).contains(&code) => return Ok(code),
                _ => {}
            }
            if read_u8(self.input)? == 0xFF {
                let mut next = read_u8(self.input)?;
                while next == 0xFF {
                    next = read_u8(self.input)?;
                }
                if next != 0x00 {
                    self.marker = Some(next);
                }
            }
        }
    }
}

/// Decodes the scan's blocks as they are copied, one MCU row at a time, into the shrinker.
/// Returns the marker that follows the data, and the shrunk image.
fn decode_scan<R: BufRead, W: Write>(
    input: &mut R,
    output: &mut W,
    header: &Header,
    scan: &Scan,
    tables: &Tables,
) -> Refusal<(u8, image::RgbImage)> {
    let frame = &header.frame;
    if scan.components.len() != frame.components.len() {
        return Err(UploadRefusal::Unreadable);
    }
    let (width, height) = (usize::from(frame.width), usize::from(frame.height));
    let single = frame.components.len() == 1;
    // In a one-component scan every block is its own MCU, whatever the sampling factors say.
    let sampling = |c: &Component| if single { (1, 1) } else { (usize::from(c.h), usize::from(c.v)) };
    let max_h = frame.components.iter().map(|c| sampling(c).0).max().unwrap_or(1);
    let max_v = frame.components.iter().map(|c| sampling(c).1).max().unwrap_or(1);
    if frame.components.iter().map(|c| sampling(c).0 * sampling(c).1).sum::<usize>() > 10 {
        return Err(UploadRefusal::Unreadable);
    }
    let mcus_x = width.div_ceil(8 * max_h);
    let mcus_y = height.div_ceil(8 * max_v);

    // Block averages when they alone fill the thumbnail, full blocks otherwise.
    let (thumb_width, thumb_height) = thumbnail_size(u32::from(frame.width), u32::from(frame.height));
    let averages = width.div_ceil(8) >= thumb_width as usize && height.div_ceil(8) >= thumb_height as usize;
    let scale = if averages { 1 } else { 8 };
    let (out_width, out_height) = if averages { (width.div_ceil(8), height.div_ceil(8)) } else { (width, height) };
    let mut shrinker = Shrinker::new(out_width as u32, out_height as u32, thumb_width, thumb_height);

    let mut blocks = Vec::new();
    for &(index, dc, ac) in &scan.components {
        let component = frame.components[index];
        let quantisation = tables.quantisation[usize::from(component.quant)].ok_or(UploadRefusal::Unreadable)?;
        let dc = tables.dc[usize::from(dc)].as_ref().ok_or(UploadRefusal::Unreadable)?;
        let ac = tables.ac[usize::from(ac)].as_ref().ok_or(UploadRefusal::Unreadable)?;
        let (h, v) = sampling(&component);
        blocks.push(ComponentRow {
            index,
            h,
            v,
            quantisation,
            dc,
            ac,
            stride: mcus_x * h * scale,
            samples: vec![0; mcus_x * h * scale * v * scale],
            predictor: 0,
        });
    }
    blocks.sort_by_key(|b| b.index);
    let order: Vec<usize> = scan.components.iter().map(|&(index, _, _)| index).collect();
    let colour = Colour::of(frame, header.adobe_transform);
    let cosines = cosine_table();

    let mut bits = BitReader { input, output, bits: 0, count: 0, padding: 0, marker: None };
    let restart_interval = usize::from(tables.restart_interval);
    let mut mcu = 0usize;
    let mut coefficients = [0f32; 64];
    let mut rgb = vec![0u8; out_width * 3];
    for mcu_y in 0..mcus_y {
        for mcu_x in 0..mcus_x {
            if restart_interval > 0 && mcu > 0 && mcu.is_multiple_of(restart_interval) {
                bits.restart(((mcu / restart_interval - 1) % 8) as u8)?;
                blocks.iter_mut().for_each(|b| b.predictor = 0);
            }
            mcu += 1;
            for &index in &order {
                let row = &mut blocks[index];
                for block_y in 0..row.v {
                    for block_x in 0..row.h {
                        row.decode_block(&mut bits, scale, &mut coefficients)?;
                        let x = (mcu_x * row.h + block_x) * scale;
                        let y = block_y * scale;
                        row.store_block(x, y, scale, &coefficients, &cosines);
                    }
                }
            }
        }
        // The MCU row's pixels, each component's samples stretched to the largest sampling.
        for y in 0..max_v * scale {
            if mcu_y * max_v * scale + y >= out_height {
                break;
            }
            for (x, pixel) in rgb.chunks_exact_mut(3).enumerate() {
                let mut samples = [0u8; 3];
                for (sample, b) in samples.iter_mut().zip(&blocks) {
                    *sample = b.samples[(y * b.v / max_v) * b.stride + x * b.h / max_h];
                }
                pixel.copy_from_slice(&colour.rgb(samples));
            }
            shrinker.push_row(&rgb);
        }
    }
    let marker = bits.end()?;
    Ok((marker, shrinker.finish()))
}

/// One component's blocks for the current MCU row.
struct ComponentRow<'t> {
    index: usize,
    h: usize,
    v: usize,
    quantisation: [u16; 64],
    dc: &'t Huffman,
    ac: &'t Huffman,
    /// Samples per row of `samples` (the MCU row's width at the decoding scale).
    stride: usize,
    samples: Vec<u8>,
    predictor: i32,
}

impl ComponentRow<'_> {
    /// Reads one block's coefficients; at `scale` 1 only the DC coefficient is kept.
    fn decode_block<R: BufRead, W: Write>(
        &mut self,
        bits: &mut BitReader<'_, R, W>,
        scale: usize,
        coefficients: &mut [f32; 64],
    ) -> Refusal<()> {
        let size = bits.decode(self.dc)?;
        if size > 11 {
            return Err(UploadRefusal::Unreadable);
        }
        self.predictor = self.predictor.wrapping_add(bits.value(size)?);
        coefficients.fill(0.0);
        coefficients[0] = self.predictor as f32 * f32::from(self.quantisation[0]);
        let mut k = 1;
        while k < 64 {
            let symbol = bits.decode(self.ac)?;
            let (run, size) = (usize::from(symbol >> 4), symbol & 15);
            if size == 0 {
                if run != 15 {
                    break;
                }
                k += 16;
                continue;
            }
            k += run;
            if k > 63 {
                return Err(UploadRefusal::Unreadable);
            }
            let value = bits.value(size)?;
            if scale > 1 {
                coefficients[usize::from(ZIGZAG[k])] = value as f32 * f32::from(self.quantisation[k]);
            }
            k += 1;
        }
        Ok(())
    }

    /// Writes the block's samples (1×1 or 8×8) at (`x`, `y`) of the row.
    fn store_block(&mut self, x: usize, y: usize, scale: usize, coefficients: &[f32; 64], cosines: &[[f32; 8]; 8]) {
        if scale == 1 {
            self.samples[y * self.stride + x] = level(coefficients[0] / 8.0);
            return;
        }
        // Separable inverse DCT: along the rows, then down the columns.
        let mut rows = [0f32; 64];
        for v in 0..8 {
            for (px, out) in rows[v * 8..v * 8 + 8].iter_mut().enumerate() {
                *out = (0..8).map(|u| cosines[px][u] * coefficients[v * 8 + u]).sum();
            }
        }
        for (py, basis) in cosines.iter().enumerate() {
            for px in 0..8 {
                let value: f32 = (0..8).map(|v| basis[v] * rows[v * 8 + px]).sum();
                self.samples[(y + py) * self.stride + x + px] = level(value);
            }
        }
    }
}

/// `cosines[x][u]`: the inverse DCT's basis, C(u)/2 · cos((2x+1)uπ/16).
fn cosine_table() -> [[f32; 8]; 8] {
    let mut table = [[0f32; 8]; 8];
    for (x, row) in table.iter_mut().enumerate() {
        for (u, value) in row.iter_mut().enumerate() {
            let c = if u == 0 { std::f32::consts::FRAC_1_SQRT_2 } else { 1.0 };
            *value = c / 2.0 * ((2 * x + 1) as f32 * u as f32 * std::f32::consts::PI / 16.0).cos();
        }
    }
    table
}

/// A level-shifted sample, rounded and clamped to 0–255.
fn level(value: f32) -> u8 {
    (value + 128.0).round().clamp(0.0, 255.0) as u8
}

/// How the components make a colour.
enum Colour {
    Grey,
    YCbCr,
    Rgb,
}

impl Colour {
    /// As browsers read it: an Adobe transform of 0, or components named R, G, B without an
    /// Adobe segment, mean RGB; other three-component images are YCbCr.
    fn of(frame: &Frame, adobe_transform: Option<u8>) -> Colour {
        let ids: Vec<u8> = frame.components.iter().map(|c| c.id).collect();
        match (ids.len(), adobe_transform) {
            (1, _) => Colour::Grey,
            (_, Some(0)) => Colour::Rgb,
            (_, None) if ids == b"RGB" => Colour::Rgb,
            _ => Colour::YCbCr,
        }
    }

    /// `samples` in the frame's component order (only the first for grey).
    fn rgb(&self, samples: [u8; 3]) -> [u8; 3] {
        match self {
            Colour::YCbCr => {
                let [y, cb, cr] = samples.map(f32::from);
                let (cb, cr) = (cb - 128.0, cr - 128.0);
                let clamp = |v: f32| v.round().clamp(0.0, 255.0) as u8;
                [clamp(y + 1.402 * cr), clamp(y - 0.344_136 * cb - 0.714_136 * cr), clamp(y + 1.772 * cb)]
            }
            Colour::Rgb => samples,
            Colour::Grey => [samples[0]; 3],
        }
    }
}
