//! Draws one issued document as an A4 PDF: the department's heading, the document's title and
//! number, the wording of its kind, the issuing department and date, and a QR code of its
//! verification address. The text is set in the configured CJK font, of which only the glyphs
//! used are embedded (krilla subsets it). The same facts always give the same bytes (no clock,
//! no random identifiers inside), though the bytes are stored anyway.

use super::super::text::{Text, ZH_CN};
use super::super::DocumentKind;
use crate::i18n::fill;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use std::path::Path;
use std::sync::Arc;

/// Where Debian's `fonts-wqy-microhei` package puts its font (WenQuanYi Micro Hei, TrueType
/// outlines in a collection): the configuration's default.
pub const DEFAULT_FONT_PATH: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

/// The font documents are set in, loaded once at start-up.
#[derive(Clone)]
pub struct DocumentFont {
    data: Arc<Vec<u8>>,
    font: Font,
}

impl std::fmt::Debug for DocumentFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DocumentFont({} bytes)", self.data.len())
    }
}

/// Characters every document uses: a font without them would print empty boxes.
const MUST_HAVE: &str = "受理通知书办件编号补正不予准许可决定";

impl DocumentFont {
    /// Reads the font file (TrueType, OpenType or a collection, whose first face is used) and
    /// checks that it can set Chinese text. The message says what is wrong with the file.
    pub fn load(path: &Path) -> Result<DocumentFont, String> {
        let data = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        DocumentFont::from_bytes(data).map_err(|reason| format!("{}: {reason}", path.display()))
    }

    pub fn from_bytes(data: Vec<u8>) -> Result<DocumentFont, String> {
        let face = ttf_parser::Face::parse(&data, 0).map_err(|e| format!("not a usable font ({e})"))?;
        if let Some(missing) = MUST_HAVE.chars().find(|c| face.glyph_index(*c).is_none()) {
            return Err(format!("the font has no glyph for {missing}: a font with Chinese characters is needed"));
        }
        let data = Arc::new(data);
        let font = Font::new(data.clone().into(), 0).ok_or("the PDF writer cannot use this font")?;
        Ok(DocumentFont { data, font })
    }

    /// The width of `text` at `size` points, from the font's advances.
    fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(face) = ttf_parser::Face::parse(&self.data, 0) else { return text.chars().count() as f32 * size };
        let per_unit = size / f32::from(face.units_per_em());
        text.chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(size, |advance| f32::from(advance) * per_unit)
            })
            .sum()
    }

    /// The size of the font file, to compare with what a document embeds.
    pub fn file_size(&self) -> usize {
        self.data.len()
    }
}

/// What a document says.
#[derive(Debug, Clone)]
pub struct Facts {
    pub kind: DocumentKind,
    /// The portal's name (where the applicant applied).
    pub portal: String,
    /// The issuing department.
    pub department: String,
    pub applicant: String,
    pub item: String,
    pub number: String,
    pub submitted_at: i64,
    pub issued_at: i64,
    /// For 受理通知书: the promised decision day.
    pub promised_due: Option<String>,
    /// For 补正: the day by which to supplement, when there is one.
    pub supplement_due: Option<String>,
    /// The clerk's reason or note, as the applicant sees it.
    pub reason: String,
    /// For 不予受理: the appeal rights as the clerk gave them.
    pub appeal: String,
    /// For 补正: (material, reason) of every material asked for.
    pub materials: Vec<(String, String)>,
    pub reference: String,
    pub verify_url: String,
}

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 72.0;
const BODY_SIZE: f32 = 12.0;
const LINE: f32 = 21.0;
const QR_SIZE: f32 = 96.0;

/// Characters that may not start a line (they stay with the one before).
const NO_LINE_START: &str = "，。、：；！？）》」』”’,.:;!?)";

/// Renders the document. Fails only if the PDF writer does (it never has for these inputs).
pub fn render(font: &DocumentFont, facts: &Facts) -> Result<Vec<u8>, String> {
    let t = &ZH_CN;
    let mut document = Document::new();
    let title = t.kind_label(facts.kind);
    let (year, month, day) = beijing_date(facts.issued_at);
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(format!("{title} {}", facts.number))
            .creator(facts.department.clone())
            .language("zh-CN".to_owned())
            .creation_date(
                krilla::metadata::DateTime::new(year as u16).month(month as u8).day(day as u8).utc_offset_hour(8),
            ),
    );
    let mut pen = Pen { font, marks: Vec::new(), page: 0, y: MARGIN };
    pen.centred(&facts.department, 15.0, 28.0);
    pen.centred(title, 22.0, 34.0);
    pen.centred(&fill(t.doc_number, &[&facts.number]), 11.0, 20.0);
    pen.rule();
    // The salutation: the applicant's name and a full-width colon, as official letters open.
    pen.paragraph(&format!("{}：", facts.applicant), BODY_SIZE, 0.0);
    let received = fill(t.doc_received, &[&beijing_day_text(t, facts.submitted_at), &facts.portal, &facts.item]);
    for paragraph in body(t, facts, &received) {
        pen.paragraph(&paragraph.text, BODY_SIZE, paragraph.indent);
    }

    // The issuing department and the date, right-aligned, then the verification block (kept
    // whole on the last page).
    pen.y += LINE;
    pen.right(&facts.department, BODY_SIZE);
    pen.right(&fill(t.doc_issued_on, &[&year.to_string(), &month.to_string(), &day.to_string()]), BODY_SIZE);
    pen.room_for(LINE + QR_SIZE);
    let (qr_page, qr_top) = (pen.page, (pen.y + LINE).max(PAGE_HEIGHT - MARGIN - QR_SIZE));
    let text_x = MARGIN + QR_SIZE + 16.0;
    let mut y = qr_top + 14.0;
    for text in [t.doc_verify.to_owned(), facts.verify_url.clone(), fill(t.doc_reference, &[&facts.reference])] {
        for line in wrap(font, &text, 9.0, PAGE_WIDTH - MARGIN - text_x) {
            pen.marks.push(Mark::Text { page: qr_page, x: text_x, y, size: 9.0, text: line });
            y += 14.0;
        }
    }
    let link_area = Rect::from_ltrb(MARGIN, qr_top, PAGE_WIDTH - MARGIN, (qr_top + QR_SIZE).max(y));

    let pages = pen.page + 1;
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or("page size")?;
    for number in 0..pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let footer = fill(t.doc_page, &[&facts.number, &(number + 1).to_string(), &pages.to_string()]);
        let footer_x = (PAGE_WIDTH - font.width(&footer, 9.0)) / 2.0;
        let marks = pen.marks.iter().filter(|m| m.page() == number);
        for mark in marks.chain([&Mark::Text {
            page: number,
            x: footer_x,
            y: PAGE_HEIGHT - 36.0,
            size: 9.0,
            text: footer.clone(),
        }]) {
            match mark {
                Mark::Text { x, y, size, text, .. } => surface.draw_text(
                    Point::from_xy(*x, *y),
                    font.font.clone(),
                    *size,
                    text,
                    false,
                    TextDirection::Auto,
                ),
                Mark::Rule { y, .. } => {
                    fill_rects(&mut surface, Rect::from_xywh(MARGIN, *y, PAGE_WIDTH - 2.0 * MARGIN, 0.8))
                }
            }
        }
        if number == qr_page {
            draw_qr(&mut surface, &facts.verify_url, MARGIN, qr_top)?;
        }
        surface.finish();
        // The QR code and the address beside it are also a link, for whoever reads on screen.
        if let Some(area) = link_area.filter(|_| number == qr_page) {
            let target = Target::Action(Action::Link(LinkAction::new(facts.verify_url.clone())));
            page.add_annotation(Annotation::new_link(LinkAnnotation::new(area, target), Some(t.doc_verify.to_owned())));
        }
        page.finish();
    }
    document.finish().map_err(|e| format!("{e:?}"))
}

/// One block of a plain document (a statement another feature prints, such as a gas bill).
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A paragraph (wrapped; `\n` starts a new line).
    Text(String),
    /// A label and its value on one line, the value right-aligned.
    Pair(String, String),
    Rule,
}

/// A statement in the documents' layout: the issuer centred, the title, then the blocks; each
/// page has `footer` and its page number at the bottom. The same input gives the same bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainDocument {
    pub issuer: String,
    pub title: String,
    pub blocks: Vec<Block>,
    /// `{}` twice: this page's number and the number of pages.
    pub footer: String,
}

/// Renders a [`PlainDocument`] as an A4 PDF in the documents' font (subset embedded).
pub fn render_plain(font: &DocumentFont, doc: &PlainDocument) -> Result<Vec<u8>, String> {
    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(doc.title.clone())
            .creator(doc.issuer.clone())
            .language("zh-CN".to_owned()),
    );
    let mut pen = Pen { font, marks: Vec::new(), page: 0, y: MARGIN };
    pen.centred(&doc.issuer, 15.0, 28.0);
    pen.centred(&doc.title, 20.0, 30.0);
    pen.rule();
    for block in &doc.blocks {
        match block {
            Block::Heading(text) => {
                pen.room_for(3.0 * LINE);
                pen.y += 6.0;
                pen.paragraph(text, 13.0, 0.0);
            }
            Block::Text(text) => pen.paragraph(text, 10.5, 0.0),
            Block::Pair(label, value) => {
                pen.room_for(LINE);
                let size = 10.5;
                let x = PAGE_WIDTH - MARGIN - font.width(value, size);
                pen.marks.push(Mark::Text { page: pen.page, x: x.max(MARGIN), y: pen.y, size, text: value.clone() });
                pen.line(MARGIN, label.clone(), size, LINE - 4.0);
            }
            Block::Rule => {
                pen.room_for(LINE);
                pen.y += 8.0;
                pen.rule();
            }
        }
    }
    let pages = pen.page + 1;
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or("page size")?;
    for number in 0..pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let footer = fill(&doc.footer, &[&(number + 1).to_string(), &pages.to_string()]);
        let footer_x = (PAGE_WIDTH - font.width(&footer, 9.0)) / 2.0;
        let footer_mark = Mark::Text { page: number, x: footer_x, y: PAGE_HEIGHT - 36.0, size: 9.0, text: footer };
        for mark in pen.marks.iter().filter(|m| m.page() == number).chain([&footer_mark]) {
            match mark {
                Mark::Text { x, y, size, text, .. } => surface.draw_text(
                    Point::from_xy(*x, *y),
                    font.font.clone(),
                    *size,
                    text,
                    false,
                    TextDirection::Auto,
                ),
                Mark::Rule { y, .. } => {
                    fill_rects(&mut surface, Rect::from_xywh(MARGIN, *y, PAGE_WIDTH - 2.0 * MARGIN, 0.8))
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| format!("{e:?}"))
}

/// What is drawn where: text (its baseline at `y`) or a rule under the heading.
enum Mark {
    Text { page: usize, x: f32, y: f32, size: f32, text: String },
    Rule { page: usize, y: f32 },
}

impl Mark {
    fn page(&self) -> usize {
        match self {
            Mark::Text { page, .. } | Mark::Rule { page, .. } => *page,
        }
    }
}

/// Fills `rect` (if it is one) in black.
fn fill_rects(surface: &mut krilla::surface::Surface<'_>, rect: Option<Rect>) {
    let mut path = PathBuilder::new();
    if let Some(rect) = rect {
        path.push_rect(rect);
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(krilla::paint::Fill::default()));
        surface.draw_path(&path);
    }
}

struct Paragraph {
    text: String,
    indent: f32,
}

/// The paragraphs under the salutation, by kind.
fn body(t: &Text, facts: &Facts, received: &str) -> Vec<Paragraph> {
    let first = |rest: &str| Paragraph { text: format!("{received}{rest}"), indent: 2.0 };
    let plain = |text: String| Paragraph { text, indent: 2.0 };
    let reason = (!facts.reason.trim().is_empty()).then(|| facts.reason.trim());
    let mut out = Vec::new();
    match facts.kind {
        DocumentKind::Supplement => {
            out.push(first(t.doc_supplement_body));
            for (i, (material, why)) in facts.materials.iter().enumerate() {
                out.push(Paragraph { text: format!("{}. {material}：{why}", i + 1), indent: 2.0 });
            }
            out.extend(reason.map(|r| plain(fill(t.doc_supplement_note, &[r]))));
            out.extend(facts.supplement_due.as_deref().map(|d| plain(fill(t.doc_supplement_due, &[d]))));
            out.push(plain(fill(t.doc_supplement_how, &[&facts.portal])));
        }
        DocumentKind::Acceptance => {
            out.push(first(t.doc_acceptance_body));
            out.extend(facts.promised_due.as_deref().map(|d| plain(fill(t.doc_acceptance_due, &[d]))));
            out.extend(reason.map(|r| plain(fill(t.doc_note, &[r]))));
        }
        DocumentKind::NonAcceptance => {
            out.push(first(t.doc_non_acceptance_body));
            out.extend(reason.map(|r| plain(fill(t.doc_reason, &[r]))));
            let appeal = facts.appeal.trim();
            out.push(plain(fill(t.doc_appeal, &[if appeal.is_empty() { t.doc_denial_appeal } else { appeal }])));
        }
        DocumentKind::Approval => {
            out.push(first(t.doc_approval_body));
            out.extend(reason.map(|r| plain(fill(t.doc_note, &[r]))));
        }
        DocumentKind::Denial => {
            out.push(first(t.doc_denial_body));
            out.extend(reason.map(|r| plain(fill(t.doc_reason, &[r]))));
            out.push(plain(fill(t.doc_appeal, &[t.doc_denial_appeal])));
        }
    }
    out
}

/// Lays out lines down the pages, starting a new page where one is full.
struct Pen<'a> {
    font: &'a DocumentFont,
    marks: Vec<Mark>,
    page: usize,
    /// The baseline of the next line, from the top of the page.
    y: f32,
}

impl Pen<'_> {
    /// Starts a new page unless `height` more fits above the bottom margin (and the footer).
    fn room_for(&mut self, height: f32) {
        if self.y + height > PAGE_HEIGHT - MARGIN {
            self.page += 1;
            self.y = MARGIN;
        }
    }

    fn line(&mut self, x: f32, text: String, size: f32, advance: f32) {
        self.room_for(0.0);
        self.marks.push(Mark::Text { page: self.page, x, y: self.y, size, text });
        self.y += advance;
    }

    fn centred(&mut self, text: &str, size: f32, advance: f32) {
        for line in wrap(self.font, text, size, PAGE_WIDTH - 2.0 * MARGIN) {
            let x = (PAGE_WIDTH - self.font.width(&line, size)) / 2.0;
            self.line(x, line, size, advance);
        }
    }

    fn right(&mut self, text: &str, size: f32) {
        let x = PAGE_WIDTH - MARGIN - self.font.width(text, size);
        self.line(x.max(MARGIN), text.to_owned(), size, LINE);
    }

    /// A paragraph, its first line indented by `indent` characters; long text wraps, and goes
    /// on over the next page when this one is full.
    fn paragraph(&mut self, text: &str, size: f32, indent: f32) {
        let width = PAGE_WIDTH - 2.0 * MARGIN;
        for text in text.lines() {
            let mut first = true;
            let mut rest = text;
            while !rest.is_empty() {
                let shift = if first { indent * size } else { 0.0 };
                let line = first_line(self.font, rest, size, width - shift);
                rest = &rest[line.len()..];
                self.line(MARGIN + shift, line, size, LINE);
                first = false;
            }
        }
        self.y += 4.0;
    }

    /// A thin line across the text column under the heading.
    fn rule(&mut self) {
        self.marks.push(Mark::Rule { page: self.page, y: self.y - 8.0 });
        self.y += 18.0;
    }
}

/// The longest start of `text` that fits `width` (at least one character), not leaving a
/// closing punctuation mark at the start of the next line.
fn first_line(font: &DocumentFont, text: &str, size: f32, width: f32) -> String {
    let mut line = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let mut candidate = line.clone();
        candidate.push(c);
        if !line.is_empty() && font.width(&candidate, size) > width {
            break;
        }
        line = candidate;
        // Keep a closing mark with its line, even a little past the margin.
        while let Some(next) = chars.peek().copied().filter(|n| NO_LINE_START.contains(*n)) {
            line.push(next);
            chars.next();
        }
    }
    line
}

fn wrap(font: &DocumentFont, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let line = first_line(font, rest, size, width);
        rest = &rest[line.len()..];
        lines.push(line);
    }
    lines
}

/// The QR code of `url`, black modules on the page (no image: rectangles, crisp at any zoom),
/// `QR_SIZE` points wide with its quiet zone.
fn draw_qr(surface: &mut krilla::surface::Surface<'_>, url: &str, x: f32, y: f32) -> Result<(), String> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| format!("QR code: {e}"))?;
    let modules = code.width();
    let quiet = 4;
    let module = QR_SIZE / (modules + 2 * quiet) as f32;
    let mut path = PathBuilder::new();
    for (i, colour) in code.to_colors().into_iter().enumerate() {
        if colour == qrcode::Color::Dark {
            let (col, row) = ((i % modules + quiet) as f32, (i / modules + quiet) as f32);
            if let Some(rect) = Rect::from_xywh(x + col * module, y + row * module, module, module) {
                path.push_rect(rect);
            }
        }
    }
    let path = path.finish().ok_or("empty QR code")?;
    surface.set_fill(Some(krilla::paint::Fill::default()));
    surface.draw_path(&path);
    Ok(())
}

/// (year, month, day) of a Unix time in Beijing.
fn beijing_date(unix: i64) -> (i32, u32, u32) {
    let day = crate::applications::server::beijing_day(unix);
    (day.year(), u32::from(u8::from(day.month())), u32::from(day.day()))
}

fn beijing_day_text(t: &Text, unix: i64) -> String {
    let (year, month, day) = beijing_date(unix);
    fill(t.doc_issued_on, &[&year.to_string(), &month.to_string(), &day.to_string()])
}
