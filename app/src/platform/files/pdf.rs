//! PDF checks: the document must be complete, must not be encrypted, must carry no active
//! content, and must have at least one page.
//!
//! The file is read as a stream of tokens, never loaded: memory stays a few buffers whatever its
//! size (a parser that builds the document holds a copy of every object and stream). Read are:
//! - every name outside stream data, `#xx` escapes decoded, including the objects packed in
//!   compressed object streams (inflated on the fly, bounded) and, to match a lenient viewer,
//!   names written inside strings and comments: scripts, launch actions and embedded files are
//!   refused wherever one appears;
//! - every `/OpenAction` and `/AA`, which must be a plain `GoTo` (or, for an open action, a
//!   destination array). An action given by reference is checked on another pass over the file
//!   that looks only at the referenced objects (and follows their `/Next` in turn);
//! - the cross-reference table or stream: every object it lists must start exactly where the
//!   token stream saw that object start, and every packed object where its object stream's
//!   header says. So no object a viewer would read can hide where this reader does not look
//!   (inside stream data or a string), and every object is read under its own number.
//!
//! Stream data other than object and cross-reference streams (page contents, images, fonts) is
//! skipped up to its `endstream`: random bytes would now and then spell a short name like `/JS`.

use super::UploadRefusal;
use flate2::read::ZlibDecoder;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

/// Names that mark scripts, programs to launch and files carried inside the PDF. As a key or a
/// value (an action's `/S /JavaScript`), anywhere.
const ACTIVE_NAMES: [&[u8]; 5] = [b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles"];
/// The most one object or cross-reference stream may inflate to.
const MAX_INFLATED_STREAM: u64 = 64 * 1024 * 1024;
/// How many rounds of references an automatic action may take to reach its last action.
const MAX_ACTION_DEPTH: usize = 16;
/// References to automatic actions followed at most (a form has one per field, at most).
const MAX_FOLLOWED: usize = 10_000;
/// Dictionaries and arrays nested deeper than this are not a document.
const MAX_NESTING: usize = 256;
/// Objects (and cross-reference entries) one file may have: a bound on what is remembered.
const MAX_OBJECTS: usize = 200_000;
/// A name or keyword is kept up to this many bytes (active names are short; the rest is read).
const MAX_TOKEN: usize = 1024;
/// `%%EOF` must appear this close to the end: a file cut short in transfer has none.
const TAIL: u64 = 1024;

/// Checks a PDF read from `input` and returns its page count.
pub(super) fn check<R: BufRead + Seek>(mut input: R) -> Result<u32, UploadRefusal> {
    if !ends_like_a_pdf(&mut input).map_err(|_| UploadRefusal::Unreadable)? {
        return Err(UploadRefusal::Unreadable);
    }
    let mut facts = Facts::default();
    let mut checked: HashSet<(u32, Role)> = HashSet::new();
    for round in 0..=MAX_ACTION_DEPTH {
        let mut targets: HashMap<u32, Role> = HashMap::new();
        for &(id, role) in facts.wanted.iter().filter(|w| !checked.contains(w)) {
            targets.entry(id).or_insert(role);
        }
        if round > 0 && targets.is_empty() {
            break;
        }
        if round == MAX_ACTION_DEPTH {
            // Still more actions to follow: a chain this long is not a document's navigation.
            return Err(UploadRefusal::ActiveContent);
        }
        checked.extend(targets.iter().map(|(&id, &role)| (id, role)));
        facts.first_round = round == 0;
        input.seek(SeekFrom::Start(0)).map_err(|_| UploadRefusal::Unreadable)?;
        let mut lexer = Lexer::new(&mut input);
        scan(&mut lexer, &mut facts, None, &targets)?;
        if round == 0 {
            facts.check_cross_references()?;
        }
    }
    if facts.encrypted || !facts.saw_startxref {
        return Err(UploadRefusal::Unreadable);
    }
    let pages = match facts.page_tree_count {
        Some(count) => count.min(facts.page_dictionaries),
        None => facts.page_dictionaries,
    };
    match u32::try_from(pages) {
        Ok(0) | Err(_) => Err(UploadRefusal::Unreadable),
        Ok(pages) => Ok(pages),
    }
}

/// Whether `%%EOF` appears in the last [`TAIL`] bytes before any trailing white space (which
/// some writers pad with).
fn ends_like_a_pdf<R: Read + Seek>(input: &mut R) -> std::io::Result<bool> {
    const BLOCK: u64 = 64 * 1024;
    let mut end = input.seek(SeekFrom::End(0))?;
    let mut block = Vec::with_capacity(BLOCK as usize);
    // The end of the content: the last byte that is not white space.
    while end > 0 {
        let from = end.saturating_sub(BLOCK);
        input.seek(SeekFrom::Start(from))?;
        block.clear();
        input.by_ref().take(end - from).read_to_end(&mut block)?;
        match block.iter().rposition(|&b| !is_space(b)) {
            Some(last) => {
                end = from + last as u64 + 1;
                break;
            }
            None => end = from,
        }
    }
    let from = end.saturating_sub(TAIL);
    input.seek(SeekFrom::Start(from))?;
    block.clear();
    input.take(end - from).read_to_end(&mut block)?;
    Ok(block.windows(5).any(|w| w == b"%%EOF"))
}

/// What the passes found.
#[derive(Default)]
struct Facts {
    /// The first pass counts pages and reads the cross-references; later ones follow actions.
    first_round: bool,
    encrypted: bool,
    saw_startxref: bool,
    /// The largest `/Count` of a page tree node (the root's, unless the file lies).
    page_tree_count: Option<u64>,
    /// Dictionaries of `/Type /Page`.
    page_dictionaries: u64,
    /// Objects referenced where an automatic action is expected, with what they must be.
    wanted: HashSet<(u32, Role)>,
    /// Where each `N G obj` was seen: (start of the space before it, its first byte, N).
    object_starts: Vec<(u64, u64, u32)>,
    /// In-use entries of the cross-reference tables and streams: (offset, object number).
    cross_references: Vec<(u64, u32)>,
}

impl Facts {
    fn remember_start(&mut self, gap: u64, start: u64, id: u32) -> Result<(), UploadRefusal> {
        if self.object_starts.len() >= MAX_OBJECTS {
            return Err(UploadRefusal::Unreadable);
        }
        self.object_starts.push((gap, start, id));
        Ok(())
    }

    fn remember_cross_reference(&mut self, offset: u64, id: u32) -> Result<(), UploadRefusal> {
        if self.cross_references.len() >= MAX_OBJECTS {
            return Err(UploadRefusal::Unreadable);
        }
        self.cross_references.push((offset, id));
        Ok(())
    }

    /// Every listed object starts where one was seen, under the same number (the space before
    /// an object is allowed: some writers point at the line break).
    fn check_cross_references(&mut self) -> Result<(), UploadRefusal> {
        let mut starts = std::mem::take(&mut self.object_starts);
        starts.sort_unstable_by_key(|&(_, start, _)| start);
        for &(offset, id) in &self.cross_references {
            let i = starts.partition_point(|&(_, start, _)| start < offset);
            if !starts.get(i).is_some_and(|&(gap, _, seen)| gap <= offset && seen == id) {
                return Err(UploadRefusal::Unreadable);
            }
        }
        self.cross_references = Vec::new();
        Ok(())
    }
}

/// What a value must be, from where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    Plain,
    /// The value of `/OpenAction`: a destination array or a plain action.
    OpenAction,
    /// The value of `/AA`: a dictionary whose every value is a plain action.
    Triggers,
    /// A plain `GoTo` action.
    Action,
    /// The value of an action's `/Next`: one plain action or an array of them.
    NextActions,
}

/// The dictionary keys whose values matter here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Type,
    Filter,
    DecodeParms,
    Predictor,
    Columns,
    Count,
    N,
    First,
    Size,
    W,
    Index,
    S,
    Next,
    OpenAction,
    AdditionalActions,
    Other,
}

impl Key {
    fn of(name: &[u8]) -> Key {
        match name {
            b"Type" => Key::Type,
            b"Filter" => Key::Filter,
            b"DecodeParms" => Key::DecodeParms,
            b"Predictor" => Key::Predictor,
            b"Columns" => Key::Columns,
            b"Count" => Key::Count,
            b"N" => Key::N,
            b"First" => Key::First,
            b"Size" => Key::Size,
            b"W" => Key::W,
            b"Index" => Key::Index,
            b"S" => Key::S,
            b"Next" => Key::Next,
            b"OpenAction" => Key::OpenAction,
            b"AA" => Key::AdditionalActions,
            _ => Key::Other,
        }
    }
}

/// What a dictionary said about itself.
#[derive(Debug, Default, Clone)]
struct DictFacts {
    kind: Option<Vec<u8>>,
    filters: Vec<Vec<u8>>,
    decode_parms: bool,
    predictor: Option<i64>,
    columns: Option<i64>,
    count: Option<i64>,
    objects: Option<i64>,
    first: Option<i64>,
    size: Option<i64>,
    widths: Vec<i64>,
    index: Vec<i64>,
    go_to: bool,
}

impl DictFacts {
    fn is(&self, kind: &[u8]) -> bool {
        self.kind.as_deref() == Some(kind)
    }

    /// Flate-compressed or not compressed, nothing else.
    fn inflate(&self) -> Result<bool, UploadRefusal> {
        match self.filters.as_slice() {
            [] => Ok(false),
            [only] if only == b"FlateDecode" => Ok(true),
            _ => Err(UploadRefusal::Unreadable),
        }
    }

    /// Records one value given under `key`.
    fn note(&mut self, role: Role, key: Key, value: &Simple<'_>) -> Result<(), UploadRefusal> {
        match (key, value) {
            (Key::Type, Simple::Name(name)) => self.kind = Some(name.to_vec()),
            (Key::Filter, Simple::Name(name)) => self.filters.push(name.to_vec()),
            (Key::DecodeParms, Simple::Null) => {}
            (Key::DecodeParms, _) => self.decode_parms = true,
            (Key::Predictor, Simple::Int(i)) => self.predictor = Some(*i),
            (Key::Columns, Simple::Int(i)) => self.columns = Some(*i),
            (Key::Count, Simple::Int(i)) => self.count = Some(*i),
            (Key::N, Simple::Int(i)) => self.objects = Some(*i),
            (Key::First, Simple::Int(i)) => self.first = Some(*i),
            (Key::Size, Simple::Int(i)) => self.size = Some(*i),
            (Key::S, Simple::Name(name)) if role == Role::Action => {
                if *name != b"GoTo" {
                    return Err(UploadRefusal::ActiveContent);
                }
                self.go_to = true;
            }
            _ => {}
        }
        Ok(())
    }

    /// Records one item of an array given under `key`.
    fn note_item(&mut self, key: Key, value: &Simple<'_>) -> Result<(), UploadRefusal> {
        let list = match (key, value) {
            (Key::Filter, Simple::Name(name)) => {
                self.filters.push(name.to_vec());
                return Ok(());
            }
            (Key::W, Simple::Int(i)) => {
                self.widths.push(*i);
                &self.widths
            }
            (Key::Index, Simple::Int(i)) => {
                self.index.push(*i);
                &self.index
            }
            _ => return Ok(()),
        };
        if list.len() > 2 * 1024 {
            return Err(UploadRefusal::Unreadable);
        }
        Ok(())
    }
}

/// An open dictionary or array.
struct Frame {
    dict: bool,
    /// For a dictionary: what it must be (`Action`, `Triggers` or `Plain`). For an array: what
    /// each item must be.
    role: Role,
    /// The key whose value comes next (a dictionary expecting a key has none).
    key: Option<Key>,
    facts: DictFacts,
}

/// A value that is not a container.
enum Simple<'a> {
    Int(i64),
    Reference(u32),
    Name(&'a [u8]),
    Null,
    Other,
}

/// Where a token starts, and where the space before it starts.
#[derive(Debug, Clone, Copy)]
struct At {
    gap: u64,
    start: u64,
}

/// An object stream being read: its objects' numbers and where they start (after `first`).
struct Packed {
    ids: Vec<u32>,
    offsets: Vec<u64>,
    first: u64,
    next: usize,
}

/// Reads tokens from `lexer` to its end, checking them; follows the objects in `targets`.
fn scan(
    lexer: &mut Lexer<'_>,
    facts: &mut Facts,
    packed: Option<Packed>,
    targets: &HashMap<u32, Role>,
) -> Result<(), UploadRefusal> {
    let in_file = packed.is_none();
    let mut parser = Parser {
        facts,
        targets,
        packed,
        stack: Vec::new(),
        pending: Vec::new(),
        object_role: Role::Plain,
        closed_top_level: None,
    };
    let mut token = lexer.next()?;
    loop {
        let at = lexer.at();
        match &token {
            Token::End => break,
            Token::StreamData => {
                let dict = parser.closed_top_level.take();
                let (true, true, true, Some(dict)) =
                    (in_file, parser.stack.is_empty(), parser.pending.is_empty(), dict)
                else {
                    // Stream data must follow an object's dictionary, and object streams hold
                    // no streams.
                    return Err(UploadRefusal::Unreadable);
                };
                if dict.is(b"ObjStm") {
                    scan_object_stream(lexer, parser.facts, &dict, targets)?;
                } else if dict.is(b"XRef") && parser.facts.first_round {
                    read_cross_reference_stream(lexer, parser.facts, &dict)?;
                } else {
                    lexer.skip_stream_data()?;
                }
                token = lexer.next()?;
                continue;
            }
            Token::Word(word) if word == b"xref" && in_file && parser.stack.is_empty() => {
                parser.flush_pending()?;
                token = read_cross_reference_table(lexer, parser.facts)?;
                continue;
            }
            // The end of an uncompressed object stream's data (which includes the keyword).
            Token::Word(word) if word == b"endstream" && !in_file && parser.stack.is_empty() => break,
            Token::Word(word) if matches!(word.as_slice(), b"obj" | b"endobj" | b"xref") && !in_file => {
                return Err(UploadRefusal::Unreadable);
            }
            Token::Word(word) if word == b"startxref" && parser.facts.first_round => {
                parser.facts.saw_startxref = true;
            }
            _ => {}
        }
        parser.feed(token, at)?;
        token = lexer.next()?;
    }
    parser.finish()
}

/// Inflates the object stream whose data starts at the lexer and scans its objects.
fn scan_object_stream(
    lexer: &mut Lexer<'_>,
    facts: &mut Facts,
    dict: &DictFacts,
    targets: &HashMap<u32, Role>,
) -> Result<(), UploadRefusal> {
    let count = dict.objects.and_then(|n| usize::try_from(n).ok()).filter(|&n| n <= MAX_OBJECTS);
    let first = dict.first.and_then(|f| u64::try_from(f).ok());
    let (false, Some(count), Some(first)) = (dict.decode_parms, count, first) else {
        // Predictors or no header: not an object stream any writer makes.
        return Err(UploadRefusal::Unreadable);
    };
    let inflate = dict.inflate()?;
    let mut data = lexer.stream_data()?;
    let exhausted = {
        let source: Box<dyn Read + '_> =
            if inflate { Box::new(ZlibDecoder::new(&mut data)) } else { Box::new(&mut data) };
        let mut inflated = BufReader::with_capacity(16 * 1024, source.take(MAX_INFLATED_STREAM));
        let mut inner = Lexer::new(&mut inflated);
        let mut packed = Packed { ids: Vec::with_capacity(count), offsets: Vec::with_capacity(count), first, next: 0 };
        for _ in 0..count {
            let (Token::Int(id), Token::Int(offset)) = (inner.next()?, inner.next()?) else {
                return Err(UploadRefusal::Unreadable);
            };
            let id = u32::try_from(id).map_err(|_| UploadRefusal::Unreadable)?;
            let offset = u64::try_from(offset).map_err(|_| UploadRefusal::Unreadable)?;
            // In the order they follow: what makes reading them in turn the same as by offset.
            if packed.offsets.last().is_some_and(|&previous| previous >= offset) {
                return Err(UploadRefusal::Unreadable);
            }
            packed.ids.push(id);
            packed.offsets.push(offset);
        }
        scan(&mut inner, facts, Some(packed), targets)?;
        inflated.into_inner().limit() == 0
    };
    if exhausted {
        return Err(UploadRefusal::Unreadable);
    }
    data.skip_rest()
}

/// Reads a cross-reference table (`xref` already read); returns the token after it.
fn read_cross_reference_table(lexer: &mut Lexer<'_>, facts: &mut Facts) -> Result<Token, UploadRefusal> {
    loop {
        let token = lexer.next()?;
        let Token::Int(first) = token else { return Ok(token) };
        let Token::Int(count) = lexer.next()? else { return Err(UploadRefusal::Unreadable) };
        if !(0..=MAX_OBJECTS as i64).contains(&count) {
            return Err(UploadRefusal::Unreadable);
        }
        for i in 0..count {
            let (Token::Int(offset), Token::Int(_), Token::Word(kind)) = (lexer.next()?, lexer.next()?, lexer.next()?)
            else {
                return Err(UploadRefusal::Unreadable);
            };
            match kind.as_slice() {
                b"n" if facts.first_round => {
                    let id = u32::try_from(first + i).map_err(|_| UploadRefusal::Unreadable)?;
                    let offset = u64::try_from(offset).map_err(|_| UploadRefusal::Unreadable)?;
                    facts.remember_cross_reference(offset, id)?;
                }
                b"n" | b"f" => {}
                _ => return Err(UploadRefusal::Unreadable),
            }
        }
    }
}

/// Reads a cross-reference stream's rows (PDF 32000-1, 7.5.8), undoing a PNG predictor.
fn read_cross_reference_stream(
    lexer: &mut Lexer<'_>,
    facts: &mut Facts,
    dict: &DictFacts,
) -> Result<(), UploadRefusal> {
    let widths: Vec<usize> = dict
        .widths
        .iter()
        .map(|&w| usize::try_from(w).ok().filter(|&w| w <= 8))
        .collect::<Option<_>>()
        .ok_or(UploadRefusal::Unreadable)?;
    let [type_width, second_width, _] = widths.as_slice() else { return Err(UploadRefusal::Unreadable) };
    let row_len: usize = widths.iter().sum();
    let sections: Vec<(i64, i64)> = match dict.index.as_slice() {
        [] => vec![(0, dict.size.ok_or(UploadRefusal::Unreadable)?)],
        index if index.len() % 2 == 0 => index.chunks(2).map(|pair| (pair[0], pair[1])).collect(),
        _ => return Err(UploadRefusal::Unreadable),
    };
    let predicted = match dict.predictor {
        None | Some(1) => false,
        Some(10..=15) if dict.columns.unwrap_or(1) == row_len as i64 => true,
        _ => return Err(UploadRefusal::Unreadable),
    };
    if row_len == 0 {
        return Err(UploadRefusal::Unreadable);
    }
    let mut data = lexer.stream_data()?;
    {
        let mut rows: Box<dyn Read + '_> = if dict.inflate()? {
            Box::new(ZlibDecoder::new(&mut data).take(MAX_INFLATED_STREAM))
        } else {
            Box::new(&mut data)
        };
        let mut previous = vec![0u8; row_len];
        let mut row = vec![0u8; row_len + usize::from(predicted)];
        for (first, count) in sections {
            if !(0..=MAX_OBJECTS as i64).contains(&count) {
                return Err(UploadRefusal::Unreadable);
            }
            for i in 0..count {
                rows.read_exact(&mut row).map_err(|_| UploadRefusal::Unreadable)?;
                let fields = if predicted {
                    unpredict(row[0], &mut row[1..], &previous)?;
                    previous.copy_from_slice(&row[1..]);
                    &row[1..]
                } else {
                    &row[..]
                };
                let kind = if *type_width == 0 { 1 } else { big_endian(&fields[..*type_width]) };
                if kind == 1 {
                    let offset = big_endian(&fields[*type_width..type_width + second_width]);
                    let id = u32::try_from(first + i).map_err(|_| UploadRefusal::Unreadable)?;
                    facts.remember_cross_reference(offset, id)?;
                }
            }
        }
    }
    data.skip_rest()
}

fn big_endian(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |acc, &b| (acc << 8) | u64::from(b))
}

/// Undoes one row's PNG filter (one byte per pixel, as in cross-reference streams).
fn unpredict(filter: u8, row: &mut [u8], previous: &[u8]) -> Result<(), UploadRefusal> {
    for i in 0..row.len() {
        let left = if i == 0 { 0 } else { row[i - 1] };
        let up = previous[i];
        let up_left = if i == 0 { 0 } else { previous[i - 1] };
        let predicted = match filter {
            0 => 0,
            1 => left,
            2 => up,
            3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
            4 => paeth(left, up, up_left),
            _ => return Err(UploadRefusal::Unreadable),
        };
        row[i] = row[i].wrapping_add(predicted);
    }
    Ok(())
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

struct Parser<'a> {
    facts: &'a mut Facts,
    targets: &'a HashMap<u32, Role>,
    packed: Option<Packed>,
    stack: Vec<Frame>,
    /// Integers not yet known to be numbers or the start of a reference (`12 0 R`).
    pending: Vec<(i64, At)>,
    /// What the current top-level object must be (a followed reference's role).
    object_role: Role,
    /// The dictionary that just closed at the top level (stream data may follow it).
    closed_top_level: Option<DictFacts>,
}

impl Parser<'_> {
    fn feed(&mut self, token: Token, at: At) -> Result<(), UploadRefusal> {
        self.closed_top_level = None;
        match token {
            Token::Int(i) => {
                if self.pending.len() == 2 {
                    let (first, first_at) = self.pending.remove(0);
                    self.simple(Simple::Int(first), first_at)?;
                }
                self.pending.push((i, at));
                return Ok(());
            }
            Token::Word(ref w) if w == b"R" && self.pending.len() == 2 => {
                let (id, id_at) = self.pending[0];
                self.pending.clear();
                let id = u32::try_from(id).map_err(|_| UploadRefusal::Unreadable)?;
                return self.simple(Simple::Reference(id), id_at);
            }
            Token::Word(ref w) if w == b"obj" && self.stack.is_empty() && self.pending.len() == 2 => {
                let (id, id_at) = self.pending[0];
                self.pending.clear();
                let id = u32::try_from(id).map_err(|_| UploadRefusal::Unreadable)?;
                if self.facts.first_round {
                    self.facts.remember_start(id_at.gap, id_at.start, id)?;
                }
                self.object_role = self.targets.get(&id).copied().unwrap_or(Role::Plain);
                return Ok(());
            }
            _ => {}
        }
        self.flush_pending()?;
        match token {
            Token::Int(_) | Token::End | Token::StreamData => Ok(()),
            Token::Name(name) => {
                if ACTIVE_NAMES.contains(&name.as_slice()) {
                    return Err(UploadRefusal::ActiveContent);
                }
                if name == b"Encrypt" {
                    self.facts.encrypted = true;
                }
                self.name(&name, at)
            }
            Token::Word(word) => match word.as_slice() {
                b"endobj" => {
                    if !self.stack.is_empty() {
                        return Err(UploadRefusal::Unreadable);
                    }
                    self.object_role = Role::Plain;
                    Ok(())
                }
                b"null" => self.simple(Simple::Null, at),
                _ => self.simple(Simple::Other, at),
            },
            Token::Text => self.simple(Simple::Other, at),
            Token::DictOpen => self.open(true, at),
            Token::ArrayOpen => self.open(false, at),
            Token::DictClose => self.close(true),
            Token::ArrayClose => self.close(false),
        }
    }

    fn flush_pending(&mut self) -> Result<(), UploadRefusal> {
        for (i, at) in std::mem::take(&mut self.pending) {
            self.simple(Simple::Int(i), at)?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(), UploadRefusal> {
        self.flush_pending()?;
        let all_packed_read = self.packed.as_ref().is_none_or(|p| p.next == p.ids.len());
        if self.stack.is_empty() && all_packed_read {
            Ok(())
        } else {
            Err(UploadRefusal::Unreadable)
        }
    }

    /// A name: a dictionary's key, or a value.
    fn name(&mut self, name: &[u8], at: At) -> Result<(), UploadRefusal> {
        if let Some(frame) = self.stack.last_mut() {
            if frame.dict && frame.key.is_none() {
                frame.key = Some(Key::of(name));
                return Ok(());
            }
        }
        self.simple(Simple::Name(name), at)
    }

    /// The role of a value starting at `at`. At the top level of an object stream, the value is
    /// the next packed object, which must start where the stream's header says.
    fn role_of_value(&mut self, at: At) -> Result<Role, UploadRefusal> {
        let Some(frame) = self.stack.last() else {
            let Some(packed) = self.packed.as_mut() else { return Ok(self.object_role) };
            let (Some(&id), Some(&offset)) = (packed.ids.get(packed.next), packed.offsets.get(packed.next)) else {
                return Err(UploadRefusal::Unreadable);
            };
            let declared = packed.first + offset;
            if !(at.gap <= declared && declared <= at.start) {
                return Err(UploadRefusal::Unreadable);
            }
            packed.next += 1;
            return Ok(self.targets.get(&id).copied().unwrap_or(Role::Plain));
        };
        Ok(if !frame.dict {
            frame.role
        } else {
            match frame.key {
                Some(Key::OpenAction) => Role::OpenAction,
                Some(Key::AdditionalActions) => Role::Triggers,
                Some(Key::Next) if frame.role == Role::Action => Role::NextActions,
                Some(_) if frame.role == Role::Triggers => Role::Action,
                _ => Role::Plain,
            }
        })
    }

    /// A value that is not a container.
    fn simple(&mut self, value: Simple<'_>, at: At) -> Result<(), UploadRefusal> {
        if self.stack.last().is_some_and(|f| f.dict && f.key.is_none()) {
            // A value where a key should be.
            return Err(UploadRefusal::Unreadable);
        }
        let role = self.role_of_value(at)?;
        let allowed = match (&value, role) {
            (_, Role::Plain) => true,
            (Simple::Reference(id), _) => {
                if self.facts.wanted.len() >= MAX_FOLLOWED {
                    return Err(UploadRefusal::ActiveContent);
                }
                self.facts.wanted.insert((*id, role));
                true
            }
            (Simple::Null, _) | (_, Role::Triggers) => true,
            // A number, name or string where an automatic action must be.
            _ => false,
        };
        if !allowed {
            return Err(UploadRefusal::ActiveContent);
        }
        let len = self.stack.len();
        match self.stack.last_mut() {
            None => {}
            Some(frame) if frame.dict => {
                let key = frame.key.take().unwrap_or(Key::Other);
                frame.facts.note(frame.role, key, &value)?;
            }
            Some(_) => {
                // `/W [1 4 2]`, `/Filter [/FlateDecode]`: items of an array given under a key.
                if let Some(parent) = self.stack.get_mut(len.wrapping_sub(2)).filter(|f| f.dict) {
                    if let Some(key) = parent.key {
                        parent.facts.note_item(key, &value)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn open(&mut self, dict: bool, at: At) -> Result<(), UploadRefusal> {
        if self.stack.len() >= MAX_NESTING {
            return Err(UploadRefusal::Unreadable);
        }
        if self.stack.last().is_some_and(|f| f.dict && f.key.is_none()) {
            return Err(UploadRefusal::Unreadable);
        }
        let role = match (dict, self.role_of_value(at)?) {
            (_, Role::Plain) => Role::Plain,
            (true, Role::Triggers) => Role::Triggers,
            (true, _) => Role::Action,
            (false, Role::NextActions) => Role::Action,
            // A destination array; or an `/AA` that is not a dictionary, which triggers nothing.
            (false, Role::OpenAction | Role::Triggers) => Role::Plain,
            (false, Role::Action) => return Err(UploadRefusal::ActiveContent),
        };
        if let Some(parent) = self.stack.last_mut().filter(|f| f.dict && f.key == Some(Key::DecodeParms)) {
            parent.facts.decode_parms = true;
        }
        self.stack.push(Frame { dict, role, key: None, facts: DictFacts::default() });
        Ok(())
    }

    fn close(&mut self, dict: bool) -> Result<(), UploadRefusal> {
        let Some(frame) = self.stack.pop() else { return Err(UploadRefusal::Unreadable) };
        if frame.dict != dict || frame.key.is_some() {
            return Err(UploadRefusal::Unreadable);
        }
        if dict {
            if frame.role == Role::Action && !frame.facts.go_to {
                return Err(UploadRefusal::ActiveContent);
            }
            if self.facts.first_round {
                self.count_pages(&frame.facts);
            }
        }
        match self.stack.last_mut() {
            None if dict => self.closed_top_level = Some(frame.facts),
            None => {}
            Some(parent) if parent.dict => {
                let key = parent.key.take();
                if key == Some(Key::DecodeParms) && dict {
                    parent.facts.predictor = frame.facts.predictor;
                    parent.facts.columns = frame.facts.columns;
                }
            }
            Some(_) => {}
        }
        Ok(())
    }

    fn count_pages(&mut self, dict: &DictFacts) {
        if dict.is(b"Page") {
            self.facts.page_dictionaries += 1;
        } else if dict.is(b"Pages") {
            if let Some(count) = dict.count.and_then(|c| u64::try_from(c).ok()) {
                self.facts.page_tree_count = Some(self.facts.page_tree_count.map_or(count, |c| c.max(count)));
            }
        }
    }
}

enum Token {
    Name(Vec<u8>),
    Int(i64),
    /// Keywords (`obj`, `R`, `null`…) and real numbers.
    Word(Vec<u8>),
    /// A string; its content is not kept.
    Text,
    DictOpen,
    DictClose,
    ArrayOpen,
    ArrayClose,
    /// The `stream` keyword: the caller reads or skips the data.
    StreamData,
    End,
}

/// PDF tokens from bytes, counting positions.
struct Lexer<'a> {
    input: &'a mut dyn BufRead,
    /// Bytes consumed so far.
    pos: u64,
    /// Where the last token ended.
    last_end: u64,
    at: At,
    shadow: ShadowNames,
}

impl<'a> Lexer<'a> {
    fn new(input: &'a mut dyn BufRead) -> Lexer<'a> {
        Lexer { input, pos: 0, last_end: 0, at: At { gap: 0, start: 0 }, shadow: ShadowNames::default() }
    }

    /// Where the last token read starts.
    fn at(&self) -> At {
        self.at
    }

    fn peek(&mut self) -> Result<Option<u8>, UploadRefusal> {
        Ok(self.input.fill_buf().map_err(|_| UploadRefusal::Unreadable)?.first().copied())
    }

    fn bump(&mut self) {
        self.input.consume(1);
        self.pos += 1;
    }

    fn next(&mut self) -> Result<Token, UploadRefusal> {
        let gap = self.last_end;
        loop {
            match self.peek()? {
                Some(b) if is_space(b) => self.bump(),
                Some(b'%') => self.comment()?,
                _ => break,
            }
        }
        self.at = At { gap, start: self.pos };
        let token = self.token()?;
        self.last_end = self.pos;
        Ok(token)
    }

    fn token(&mut self) -> Result<Token, UploadRefusal> {
        let Some(b) = self.peek()? else { return Ok(Token::End) };
        let single = match b {
            b'[' => Some(Token::ArrayOpen),
            b']' => Some(Token::ArrayClose),
            b'{' | b'}' => Some(Token::Word(vec![b])),
            b')' => return Err(UploadRefusal::Unreadable),
            _ => None,
        };
        if let Some(token) = single {
            self.bump();
            return Ok(token);
        }
        match b {
            b'/' => {
                self.bump();
                Ok(Token::Name(decode_name(&self.regular()?)))
            }
            b'(' => {
                self.bump();
                self.literal_string()?;
                Ok(Token::Text)
            }
            b'<' => {
                self.bump();
                if self.peek()? == Some(b'<') {
                    self.bump();
                    return Ok(Token::DictOpen);
                }
                self.hex_string()?;
                Ok(Token::Text)
            }
            b'>' => {
                self.bump();
                if self.peek()? != Some(b'>') {
                    return Err(UploadRefusal::Unreadable);
                }
                self.bump();
                Ok(Token::DictClose)
            }
            _ => {
                let word = self.regular()?;
                if word == b"stream" {
                    return Ok(Token::StreamData);
                }
                Ok(parse_int(&word).map_or(Token::Word(word), Token::Int))
            }
        }
    }

    /// A run of regular characters (kept up to [`MAX_TOKEN`] bytes).
    fn regular(&mut self) -> Result<Vec<u8>, UploadRefusal> {
        let mut out = Vec::new();
        loop {
            let buf = self.input.fill_buf().map_err(|_| UploadRefusal::Unreadable)?;
            let n = buf.iter().take_while(|&&b| is_regular(b)).count();
            let keep = n.min(MAX_TOKEN.saturating_sub(out.len()));
            out.extend_from_slice(&buf[..keep]);
            let ended = n < buf.len() || buf.is_empty();
            self.input.consume(n);
            self.pos += n as u64;
            if ended {
                return Ok(out);
            }
        }
    }

    fn comment(&mut self) -> Result<(), UploadRefusal> {
        while let Some(b) = self.peek()? {
            if b == b'\r' || b == b'\n' {
                break;
            }
            self.shadow.feed(b);
            self.bump();
        }
        self.shadow.finish()
    }

    fn literal_string(&mut self) -> Result<(), UploadRefusal> {
        let mut depth = 1;
        loop {
            let b = self.peek()?.ok_or(UploadRefusal::Unreadable)?;
            self.shadow.feed(b);
            self.bump();
            match b {
                b'\\' => {
                    let escaped = self.peek()?.ok_or(UploadRefusal::Unreadable)?;
                    self.shadow.feed(escaped);
                    self.bump();
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return self.shadow.finish();
                    }
                }
                _ => {}
            }
        }
    }

    fn hex_string(&mut self) -> Result<(), UploadRefusal> {
        loop {
            let b = self.peek()?.ok_or(UploadRefusal::Unreadable)?;
            self.bump();
            if b == b'>' {
                return Ok(());
            }
            if !b.is_ascii_hexdigit() && !is_space(b) {
                return Err(UploadRefusal::Unreadable);
            }
        }
    }

    /// The data after a `stream` keyword, up to and including `endstream`.
    fn stream_data(&mut self) -> Result<StreamData<'_, 'a>, UploadRefusal> {
        if self.peek()? == Some(b'\r') {
            self.bump();
        }
        if self.peek()? == Some(b'\n') {
            self.bump();
        }
        Ok(StreamData { lexer: self, window: 0, done: false })
    }

    fn skip_stream_data(&mut self) -> Result<(), UploadRefusal> {
        self.stream_data()?.skip_rest()
    }
}

/// `endstream` as the last nine bytes of a shift register.
const ENDSTREAM: u128 = {
    let word = b"endstream";
    let mut value = 0u128;
    let mut i = 0;
    while i < word.len() {
        value = (value << 8) | word[i] as u128;
        i += 1;
    }
    value
};
const WINDOW: u128 = (1 << 72) - 1;

/// Stream data as a reader: ends once `endstream` has been read (the keyword is part of what it
/// returns; a decompressor stops before it).
struct StreamData<'l, 'a> {
    lexer: &'l mut Lexer<'a>,
    window: u128,
    done: bool,
}

impl Read for StreamData<'_, '_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.done || out.is_empty() {
            return Ok(0);
        }
        let buf = self.lexer.input.fill_buf()?;
        if buf.is_empty() {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let mut n = 0;
        while n < buf.len() && n < out.len() {
            self.window = ((self.window << 8) | u128::from(buf[n])) & WINDOW;
            n += 1;
            if self.window == ENDSTREAM {
                self.done = true;
                break;
            }
        }
        out[..n].copy_from_slice(&buf[..n]);
        self.lexer.input.consume(n);
        self.lexer.pos += n as u64;
        self.lexer.last_end = self.lexer.pos;
        Ok(n)
    }
}

impl StreamData<'_, '_> {
    fn skip_rest(&mut self) -> Result<(), UploadRefusal> {
        let mut sink = [0u8; 8 * 1024];
        while !self.done {
            self.read(&mut sink).map_err(|_| UploadRefusal::Unreadable)?;
        }
        Ok(())
    }
}

/// Names inside strings and comments: not names to a PDF reader, but a lenient viewer that
/// misreads where a string ends would see them.
#[derive(Default)]
struct ShadowNames {
    name: Option<Vec<u8>>,
    active: bool,
}

impl ShadowNames {
    fn feed(&mut self, b: u8) {
        if let Some(name) = self.name.as_mut() {
            if is_regular(b) {
                if name.len() < MAX_TOKEN {
                    name.push(b);
                }
                return;
            }
            self.end_name();
        }
        if b == b'/' {
            self.name = Some(Vec::new());
        }
    }

    fn end_name(&mut self) {
        if let Some(name) = self.name.take() {
            self.active |= ACTIVE_NAMES.contains(&decode_name(&name).as_slice());
        }
    }

    fn finish(&mut self) -> Result<(), UploadRefusal> {
        self.end_name();
        if self.active {
            Err(UploadRefusal::ActiveContent)
        } else {
            Ok(())
        }
    }
}

fn parse_int(word: &[u8]) -> Option<i64> {
    let digits = word.strip_prefix(b"+").or_else(|| word.strip_prefix(b"-")).unwrap_or(word);
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(word).ok()?.parse().ok()
}

/// White space (PDF 32000-1, 7.2.2).
fn is_space(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Not white space and not a delimiter (PDF 32000-1, 7.2.2).
fn is_regular(b: u8) -> bool {
    !is_space(b) && !matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let escaped = (raw[i] == b'#')
            .then(|| raw.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(raw[i]);
                i += 1;
            }
        }
    }
    out
}
