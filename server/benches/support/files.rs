//! Upload files for the benchmarks: photo-like pictures, JPEGs of a chosen size and PDFs as a
//! scanner writes them. Generated, deterministic.

use bytes::Bytes;

/// A photo-like picture of a page: smooth light and shade with sensor noise, so it compresses
/// like a phone photo or a scan (neither a flat colour nor pure noise).
pub fn picture(width: u32, height: u32, seed: u64) -> image::RgbImage {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 41) as i32 - 20
    };
    image::RgbImage::from_fn(width, height, |x, y| {
        let light = 150 + (60 * x / width.max(1)) as i32 - (40 * y / height.max(1)) as i32;
        // Lines of "text": darker bands every 24 px.
        let ink = if (y / 6) % 4 == 0 && (x / 9) % 7 != 0 { -90 } else { 0 };
        let px = |tint: i32, n: i32| (light + ink + tint + n).clamp(0, 255) as u8;
        image::Rgb([px(8, noise()), px(0, noise()), px(-12, noise())])
    })
}

pub fn jpeg(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)).expect("jpeg");
    out
}

pub struct Encoded {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// A portrait (3:4) picture encoded at the size that makes the file 95–100 % of `target` bytes.
pub fn sized(target: usize, encode: impl Fn(u32, u32) -> Vec<u8>) -> Encoded {
    let (mut w, mut h) = (300u32, 400u32);
    for _ in 0..12 {
        let bytes = encode(w, h);
        if bytes.len() <= target && bytes.len() * 100 >= target * 95 {
            return Encoded { bytes, width: w, height: h };
        }
        let scale = ((target as f64 * 0.975) / bytes.len() as f64).sqrt();
        w = ((f64::from(w) * scale) as u32).max(8);
        h = w * 4 / 3;
    }
    panic!("no picture size gives {target} bytes");
}

/// A PDF as a scanner writes it: a page per scan showing the JPEG (DCTDecode, not decoded by the
/// portal's check), a text line with a fixed-width serial number on the first page, and comment
/// lines bringing the file to an exact size.
pub struct ScannedPdf {
    pub bytes: Vec<u8>,
    /// Where the ten serial digits are.
    serial_at: usize,
}

impl ScannedPdf {
    pub fn new(scans: &[&Encoded], size: usize) -> ScannedPdf {
        let pages = scans.len();
        // Objects: 1 catalogue, 2 page tree, 3 font, then per page: page, contents, image.
        let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 4 + 3 * i)).collect();
        let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        fn object(out: &mut Vec<u8>, offsets: &mut Vec<usize>, body: &[u8]) {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        object(&mut out, &mut offsets, b"<< /Type /Catalog /Pages 2 0 R >>");
        object(
            &mut out,
            &mut offsets,
            format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")).as_bytes(),
        );
        object(&mut out, &mut offsets, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        let mut serial_at = 0;
        for (i, scan) in scans.iter().enumerate() {
            let first = 4 + 3 * i;
            object(
                &mut out,
                &mut offsets,
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R \
                     /Resources << /XObject << /Im0 {} 0 R >> /Font << /F1 3 0 R >> >> >>",
                    first + 1,
                    first + 2
                )
                .as_bytes(),
            );
            let content = "q 595 0 0 842 0 0 cm /Im0 Do Q BT /F1 8 Tf 20 12 Td (serial 0000000000) Tj ET";
            let mut body = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
            if i == 0 {
                serial_at = out.len()
                    + format!("{} 0 obj\n", first + 1).len()
                    + body.len()
                    + content.find("0000000000").expect("serial");
            }
            body.extend_from_slice(content.as_bytes());
            body.extend_from_slice(b"\nendstream");
            object(&mut out, &mut offsets, &body);
            let mut image = format!(
                "<< /Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceRGB /BitsPerComponent 8 \
                 /Filter /DCTDecode /Length {} >>\nstream\n",
                scan.width,
                scan.height,
                scan.bytes.len()
            )
            .into_bytes();
            image.extend_from_slice(&scan.bytes);
            image.extend_from_slice(b"\nendstream");
            object(&mut out, &mut offsets, &image);
        }
        let tail = |xref: usize| {
            let mut t = format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
            for o in &offsets {
                t.push_str(&format!("{o:010} 00000 n \n"));
            }
            t.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1));
            t
        };
        // Padding before the cross-reference table; its offset's digits depend on the padding.
        let mut pad = size.checked_sub(out.len() + tail(size).len()).expect("scans fit the size");
        while out.len() + pad + tail(out.len() + pad).len() != size {
            pad = size - out.len() - tail(out.len() + pad).len();
        }
        // Comment lines of 2 to 1024 bytes, each ending its line.
        assert!(pad != 1, "one byte of padding cannot be a comment line");
        while pad > 0 {
            let line = if pad > 1024 && pad - 1024 == 1 { 1023 } else { pad.min(1024) };
            out.push(b'%');
            out.extend(std::iter::repeat_n(b'-', line - 2));
            out.push(b'\n');
            pad -= line;
        }
        let xref = out.len();
        out.extend_from_slice(tail(xref).as_bytes());
        assert_eq!(out.len(), size);
        ScannedPdf { bytes: out, serial_at }
    }

    /// A copy whose serial number is `n` (so each upload is new content).
    pub fn copy(&self, n: u64) -> Bytes {
        let mut bytes = self.bytes.clone();
        bytes[self.serial_at..self.serial_at + 10].copy_from_slice(format!("{n:010}").as_bytes());
        Bytes::from(bytes)
    }
}
