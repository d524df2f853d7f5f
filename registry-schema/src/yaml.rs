//! Span-keeping YAML loading on top of `saphyr-parser`.
//!
//! tenure reads every file as hostile: one document per file, string keys only,
//! no duplicate keys, no tags, a small budget of aliases, bounded nesting. The
//! result is a [`Node`] tree in which every node knows its byte span, so schema
//! errors and rule findings can point at the exact line.
//!
//! Plain scalars are resolved with the YAML 1.2 core schema: `yes`, `on` and
//! `no` stay strings (no "Norway problem") and `2026-01-31` is a string.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::span::{Span, Spanned};

/// Limits applied while loading one file.
#[derive(Clone, Copy, Debug)]
pub struct LoadLimits {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Deepest nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most aliases (`*name`) in one file.
    pub max_aliases: usize,
    /// Most nodes that aliases may copy in one file (billion-laughs guard).
    pub max_alias_nodes: usize,
    /// Most anchors (`&name`) in one file.
    pub max_anchors: usize,
}

impl Default for LoadLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 256 * 1024,
            max_depth: 32,
            max_aliases: 8,
            max_alias_nodes: 256,
            max_anchors: 16,
        }
    }
}

/// A YAML node with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the node stands in its file.
    pub span: Span,
    /// What the node holds.
    pub value: Value,
}

/// The value of a YAML node, resolved with the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits in 64 bits.
    Int(i64),
    /// A floating point number.
    Float(f64),
    /// Any other scalar, and every quoted or block scalar.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping with string keys, in file order.
    Map(Vec<(Spanned<String>, Node)>),
}

impl Node {
    /// The child at mapping key `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The span of the key `key` in this mapping.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.value == key)
                .map(|(k, _)| k.span),
            _ => None,
        }
    }

    /// The string held by this node, if it is a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The node at a JSON pointer (`/spec/federation/issuer`), and the span of
    /// the mapping key that leads to it, if any.
    pub fn pointer(&self, pointer: &str) -> Option<(&Node, Option<Span>)> {
        let mut node = self;
        let mut key_span = None;
        for raw in pointer.split('/').skip(1) {
            let token = raw.replace("~1", "/").replace("~0", "~");
            match &node.value {
                Value::Map(entries) => {
                    let (k, v) = entries.iter().find(|(k, _)| k.value == token)?;
                    key_span = Some(k.span);
                    node = v;
                }
                Value::Seq(items) => {
                    node = items.get(token.parse::<usize>().ok()?)?;
                    key_span = None;
                }
                _ => return None,
            }
        }
        Some((node, key_span))
    }

    /// The JSON pointer of the node (or mapping key) whose span is `span`.
    pub fn pointer_of(&self, span: Span) -> Option<String> {
        if self.span == span {
            return Some(String::new());
        }
        match &self.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, n)| n.pointer_of(span).map(|rest| format!("/{i}{rest}"))),
            Value::Map(entries) => entries.iter().find_map(|(k, n)| {
                let key = k.value.replace('~', "~0").replace('/', "~1");
                if k.span == span {
                    return Some(format!("/{key}"));
                }
                n.pointer_of(span).map(|rest| format!("/{key}{rest}"))
            }),
            _ => None,
        }
    }

    /// Number of nodes in this subtree, itself included.
    fn weight(&self) -> usize {
        match &self.value {
            Value::Seq(items) => 1 + items.iter().map(Node::weight).sum::<usize>(),
            Value::Map(entries) => 1 + entries.iter().map(|(_, v)| 1 + v.weight()).sum::<usize>(),
            _ => 1,
        }
    }

    /// The node as JSON, for schema validation.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.value.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// The length of a quoted scalar, quotes included, from its opening quote:
/// `\"` escapes in double quotes and `''` in single quotes do not end it.
fn quoted_len(raw: &str) -> Option<usize> {
    let bytes = raw.as_bytes();
    let quote = *bytes.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Why a file could not be loaded as YAML.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum YamlErrorKind {
    /// The scanner or parser rejected the text.
    #[error("invalid YAML: {0}")]
    Syntax(String),
    /// A mapping repeats a key.
    #[error("duplicate key `{0}`")]
    DuplicateKey(String),
    /// A mapping key is not a plain string.
    #[error("mapping keys must be strings")]
    NonStringKey,
    /// More aliases than the budget allows.
    #[error("more than {0} YAML aliases")]
    TooManyAliases(usize),
    /// Aliases expand to more nodes than the budget allows.
    #[error("YAML aliases expand to more than {0} nodes")]
    AliasExpansion(usize),
    /// More anchors, or larger anchored nodes, than the budget allows.
    #[error("more than {0} YAML anchors, or anchored values that are too large")]
    TooManyAnchors(usize),
    /// A plain scalar that YAML 1.1 tools read as a boolean or number.
    #[error("`{0}` is read as {1} by YAML 1.1 tools and as a string by YAML 1.2; quote it")]
    Ambiguous(String, &'static str),
    /// A `%YAML` directive for a version other than 1.2.
    #[error("only YAML 1.2 is read; this file declares `{0}`")]
    Version(String),
    /// A character tenure refuses anywhere in a file.
    #[error("{0}")]
    Forbidden(String),
    /// An alias names an anchor that was not defined before it.
    #[error("alias to an unknown anchor")]
    UnknownAnchor,
    /// Tags (`!foo`, `!!int`) change how a value is read; tenure does not accept them.
    #[error("YAML tags are not allowed (`{0}`)")]
    Tag(String),
    /// Nesting deeper than the budget.
    #[error("nesting deeper than {0} levels")]
    TooDeep(usize),
    /// More than one document in the file.
    #[error("a file holds exactly one YAML document; this one has several")]
    MultipleDocuments,
    /// The file holds no document at all.
    #[error("the file is empty")]
    Empty,
}

/// A load failure with the span it concerns.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct YamlError {
    /// What went wrong.
    pub kind: YamlErrorKind,
    /// Where.
    pub span: Span,
    /// A related place, e.g. where a duplicated key was first defined.
    pub previous: Option<Span>,
}

/// Turns the parser's character offsets into byte offsets.
enum Offsets {
    Ascii,
    Table(Vec<u32>),
}

impl Offsets {
    fn new(src: &str) -> Self {
        if src.is_ascii() {
            return Offsets::Ascii;
        }
        let mut table: Vec<u32> = src
            .char_indices()
            .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        table.push(u32::try_from(src.len()).unwrap_or(u32::MAX));
        Offsets::Table(table)
    }

    fn byte(&self, char_index: usize) -> usize {
        match self {
            Offsets::Ascii => char_index,
            Offsets::Table(t) => t
                .get(char_index)
                .or(t.last())
                .map_or(char_index, |&b| b as usize),
        }
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        Span::new(self.byte(s.start.index()), self.byte(s.end.index()))
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<(Spanned<String>, Node)>,
        pending_key: Option<Spanned<String>>,
        /// Key positions, built once the mapping outgrows a linear scan.
        index: HashMap<String, usize>,
    },
}

/// Load one YAML document. Every error found is returned, in file order; a
/// syntax error stops the scan, while duplicate keys are all collected.
pub fn load(src: &str, limits: &LoadLimits) -> Result<Node, Vec<YamlError>> {
    let forbidden = forbidden_characters(src);
    if !forbidden.is_empty() {
        return Err(forbidden);
    }
    if let Some(error) = version_directive(src) {
        return Err(vec![error]);
    }
    let offsets = Offsets::new(src);
    let parser = Parser::new_from_str(src);
    let mut errors = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut aliases = 0usize;
    let mut alias_nodes = 0usize;
    let mut anchored_nodes = 0usize;
    let mut root: Option<Node> = None;
    let mut documents = 0usize;

    let fail = |kind, span| YamlError {
        kind,
        span,
        previous: None,
    };

    for next in parser {
        let (event, raw_span) = match next {
            Ok(ev) => ev,
            Err(e) => {
                let at = offsets.byte(e.marker().index());
                errors.push(fail(
                    YamlErrorKind::Syntax(e.info().to_owned()),
                    Span::new(at, at),
                ));
                return Err(errors);
            }
        };
        let span = offsets.span(raw_span);
        let (node, anchor) = match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => continue,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    errors.push(fail(YamlErrorKind::MultipleDocuments, span));
                    return Err(errors);
                }
                continue;
            }
            Event::Alias(id) => {
                aliases += 1;
                if aliases > limits.max_aliases {
                    errors.push(fail(
                        YamlErrorKind::TooManyAliases(limits.max_aliases),
                        span,
                    ));
                    return Err(errors);
                }
                let Some(target) = anchors.get(&id) else {
                    errors.push(fail(YamlErrorKind::UnknownAnchor, span));
                    return Err(errors);
                };
                alias_nodes += target.weight();
                if alias_nodes > limits.max_alias_nodes {
                    errors.push(fail(
                        YamlErrorKind::AliasExpansion(limits.max_alias_nodes),
                        span,
                    ));
                    return Err(errors);
                }
                let mut copy = target.clone();
                copy.span = span;
                (copy, 0)
            }
            Event::Scalar(text, style, anchor, tag) => {
                if let Some(tag) = tag {
                    errors.push(fail(YamlErrorKind::Tag(tag_name(&tag)), span));
                    return Err(errors);
                }
                let value = if style == ScalarStyle::Plain {
                    if let Some(reading) = yaml11_reading(&text)
                        && errors.len() < MAX_ERRORS_PER_FILE
                    {
                        errors.push(fail(
                            YamlErrorKind::Ambiguous(text.clone().into_owned(), reading),
                            span,
                        ));
                    }
                    resolve_plain(text)
                } else {
                    Value::String(text.into_owned())
                };
                // A block scalar's span runs to the next token, past the
                // line breaks that end it; labels stop at its last character.
                let span = match src.get(span.start as usize..span.end as usize) {
                    Some(raw) if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) => {
                        Span::new(
                            span.start as usize,
                            span.start as usize + raw.trim_end().len(),
                        )
                    }
                    // A quoted scalar's span can run past its closing quote
                    // (over spaces and a comment); labels stop at the quote.
                    Some(raw)
                        if matches!(
                            style,
                            ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted
                        ) =>
                    {
                        match quoted_len(raw) {
                            Some(len) => Span::new(span.start as usize, span.start as usize + len),
                            None => span,
                        }
                    }
                    _ => span,
                };
                let node = Node { span, value };
                (node, anchor)
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let is_seq = matches!(event, Event::SequenceStart(..));
                let (Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag)) = event
                else {
                    continue;
                };
                if let Some(tag) = tag {
                    errors.push(fail(YamlErrorKind::Tag(tag_name(&tag)), span));
                    return Err(errors);
                }
                if stack.len() >= limits.max_depth {
                    errors.push(fail(YamlErrorKind::TooDeep(limits.max_depth), span));
                    return Err(errors);
                }
                stack.push(if is_seq {
                    Frame::Seq {
                        start: span,
                        anchor,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        start: span,
                        anchor,
                        entries: Vec::with_capacity(8),
                        pending_key: None,
                        index: HashMap::new(),
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else {
                    continue;
                };
                let (start, anchor, value) = match frame {
                    Frame::Seq {
                        start,
                        anchor,
                        items,
                    } => (start, anchor, Value::Seq(items)),
                    Frame::Map {
                        start,
                        anchor,
                        entries,
                        ..
                    } => (start, anchor, Value::Map(entries)),
                };
                let end = match &value {
                    Value::Seq(items) => items.last().map(|n| n.span.end),
                    Value::Map(entries) => entries.last().map(|(_, n)| n.span.end),
                    _ => None,
                }
                .unwrap_or(span.end)
                .max(start.end);
                let node = Node {
                    span: Span {
                        start: start.start,
                        end,
                    },
                    value,
                };
                (node, anchor)
            }
        };
        // Anchored values are copied for their aliases; both count against the budget.
        if anchor != 0 {
            anchored_nodes += node.weight();
            if anchors.len() >= limits.max_anchors || anchored_nodes > limits.max_alias_nodes * 4 {
                errors.push(fail(
                    YamlErrorKind::TooManyAnchors(limits.max_anchors),
                    node.span,
                ));
                return Err(errors);
            }
            anchors.insert(anchor, node.clone());
        }
        // Attach the finished node to its parent, or make it the root.
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                index: key_index,
                ..
            }) => match pending_key.take() {
                None => match node.value {
                    Value::String(key) => {
                        if let Some((first, _)) = find_key(entries, key_index, &key)
                            && errors.len() < MAX_ERRORS_PER_FILE
                        {
                            errors.push(YamlError {
                                kind: YamlErrorKind::DuplicateKey(key.clone()),
                                span: node.span,
                                previous: Some(first.span),
                            });
                        }
                        *pending_key = Some(Spanned::new(node.span, key));
                    }
                    // `1`, `true` or `~` as a key: YAML tools disagree on whether
                    // `1` and `0x1` are the same key, so such keys are refused.
                    _ => {
                        errors.push(fail(YamlErrorKind::NonStringKey, node.span));
                        return Err(errors);
                    }
                },
                Some(key) => {
                    // Later duplicates are reported, and the first value is kept.
                    if find_key(entries, key_index, &key.value).is_none() {
                        if entries.len() >= KEY_INDEX_FROM {
                            if key_index.is_empty() {
                                key_index.extend(
                                    entries
                                        .iter()
                                        .enumerate()
                                        .map(|(i, (k, _))| (k.value.clone(), i)),
                                );
                            }
                            key_index.insert(key.value.clone(), entries.len());
                        }
                        entries.push((key, node));
                    }
                }
            },
        }
    }

    match root {
        _ if !errors.is_empty() => Err(errors),
        Some(root) => Ok(root),
        None => Err(vec![fail(YamlErrorKind::Empty, Span::new(0, 0))]),
    }
}

/// Most findings of one kind reported per file; a hostile file cannot flood the output.
pub const MAX_ERRORS_PER_FILE: usize = 20;

/// Characters refused anywhere in a file, with why. YAML 1.1 tools break lines
/// at NEL, LS and PS where YAML 1.2 does not, so text after them could be a
/// key for one tool and a comment for another; control characters can drive
/// the terminal that shows a diagnostic; bidirectional controls make a
/// reviewer read something other than what is there.
pub fn forbidden_reason(c: char) -> Option<&'static str> {
    match c {
        '\t' | '\n' => None,
        '\r' => Some("a carriage return not followed by a line feed"),
        '\u{85}' | '\u{2028}' | '\u{2029}' => {
            Some("a line separator that YAML 1.1 tools treat as a line break")
        }
        '\u{200e}'
        | '\u{200f}'
        | '\u{061c}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => {
            Some("a bidirectional control character, which can hide text from reviewers")
        }
        '\u{feff}' => Some("a byte-order mark that is not at the start of the file"),
        c if c.is_control() => Some("a control character"),
        _ => None,
    }
}

fn forbidden_characters(src: &str) -> Vec<YamlError> {
    let bytes = src.as_bytes();
    // Almost every file is printable ASCII with tabs and line feeds: check that
    // in wide chunks first (the fold compiles to vector code), and look
    // character by character only from the first chunk that needs it.
    let suspicious = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') | (b >= 0x7f);
    let first = bytes
        .chunks(64)
        .position(|chunk| chunk.iter().fold(false, |acc, &b| acc | suspicious(b)));
    let Some(first) = first else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    let mut i = first * 64;
    while i < bytes.len() {
        let b = bytes[i];
        // Fast path: printable ASCII, tab and line feed.
        if (0x20..0x7f).contains(&b) || b == b'\t' || b == b'\n' {
            i += 1;
            continue;
        }
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 2;
            continue;
        }
        let c = src[i..].chars().next().unwrap_or('\u{fffd}');
        let len = c.len_utf8();
        if let Some(reason) = forbidden_reason(c)
            && errors.len() < MAX_ERRORS_PER_FILE
        {
            errors.push(YamlError {
                kind: YamlErrorKind::Forbidden(format!("{reason} (U+{:04X})", u32::from(c))),
                span: Span::new(i, i + len),
                previous: None,
            });
        }
        i += len;
    }
    errors
}

/// A `%YAML` directive for anything but 1.2 is refused: 1.1 reads `on` as true.
fn version_directive(src: &str) -> Option<YamlError> {
    if !(src.starts_with('%') || src.contains("\n%")) {
        return None;
    }
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed.starts_with("---") {
            return None;
        }
        if let Some(version) = trimmed.strip_prefix("%YAML")
            && version.trim() != "1.2"
        {
            return Some(YamlError {
                kind: YamlErrorKind::Version(trimmed.to_owned()),
                span: Span::new(offset, offset + trimmed.len()),
                previous: None,
            });
        }
        offset += line.len();
    }
    None
}

/// What YAML 1.1 makes of a plain scalar that YAML 1.2 reads as a string, if
/// anything: `on` is `true` for PyYAML and many CI tools, `010` is 8, `1:20` is 80.
fn yaml11_reading(text: &str) -> Option<&'static str> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Some("`true`"),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Some("`false`"),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let first_digit = digits.bytes().next().is_some_and(|b| b.is_ascii_digit());
    if !first_digit {
        return None;
    }
    if digits.contains('_')
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'_' || b == b'.')
    {
        return Some("a number");
    }
    if digits.contains(':')
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
    {
        return Some("a base-60 number");
    }
    if digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some("an octal number");
    }
    if let Some(bin) = digits.strip_prefix("0b")
        && !bin.is_empty()
        && bin.bytes().all(|b| b == b'0' || b == b'1')
    {
        return Some("a binary number");
    }
    None
}

/// Find `key` among `entries`; large mappings use the hash index.
fn find_key<'e>(
    entries: &'e [(Spanned<String>, Node)],
    index: &HashMap<String, usize>,
    key: &str,
) -> Option<&'e (Spanned<String>, Node)> {
    if entries.len() <= KEY_INDEX_FROM {
        entries.iter().find(|(k, _)| k.value == key)
    } else {
        index.get(key).map(|&i| &entries[i])
    }
}

/// Mappings larger than this get a hash index for duplicate detection, so a
/// hostile file with thousands of keys stays linear.
const KEY_INDEX_FROM: usize = 16;

/// A tag as it was most likely written: `!!int` rather than its expanded form.
fn tag_name(tag: &saphyr_parser::Tag) -> String {
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        handle => format!("{handle}{}", tag.suffix),
    }
}

/// Resolve a plain scalar with the YAML 1.2 core schema. Strings are moved,
/// not copied: most scalars in a registry are words.
fn resolve_plain(text: std::borrow::Cow<'_, str>) -> Value {
    match resolve_plain_non_string(&text) {
        Some(value) => value,
        None => Value::String(text.into_owned()),
    }
}

/// The non-string value a plain scalar denotes, if any.
fn resolve_plain_non_string(text: &str) -> Option<Value> {
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Value::Float(f64::NAN),
        _ => return resolve_number(text),
    })
}

fn resolve_number(text: &str) -> Option<Value> {
    let first = *text.as_bytes().first()?;
    // Fast exit: most scalars in a registry are words, not numbers.
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return None;
    }
    let radix = |digits: &str, radix: u32| {
        (!digits.is_empty() && digits.chars().all(|c| c.is_digit(radix)))
            .then(|| i64::from_str_radix(digits, radix).ok())
            .flatten()
            .map(Value::Int)
    };
    if let Some(hex) = text.strip_prefix("0x") {
        return radix(hex, 16);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return radix(oct, 8);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(match text.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(text.parse::<f64>().unwrap_or(f64::NAN)),
        });
    }
    if is_core_float(digits) {
        return text.parse::<f64>().ok().map(Value::Float);
    }
    None
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &str) -> Node {
        load(src, &LoadLimits::default()).expect("valid YAML")
    }

    fn err(src: &str) -> Vec<YamlError> {
        load(src, &LoadLimits::default()).expect_err("invalid YAML")
    }

    #[test]
    fn spans_point_at_values() {
        let src = "a: 1\nb:\n  c: hello\n";
        let root = ok(src);
        let c = root.pointer("/b/c").expect("path").0;
        assert_eq!(&src[c.span.range()], "hello");
        let key = root.pointer("/b/c").expect("path").1.expect("key");
        assert_eq!(&src[key.range()], "c");
    }

    #[test]
    fn spans_are_bytes_even_with_multibyte_text() {
        let src = "a: \"héllo\"\nb: x\n";
        let root = ok(src);
        let b = root.get("b").expect("b");
        assert_eq!(&src[b.span.range()], "x");
    }

    #[test]
    fn core_schema_resolution() {
        let root = ok(
            "a: word\nb: 2026-01-31\nc: 12\nd: 1.5\ne: ~\nf: \"12\"\ng: 0x1f\nh: TRUE\ni: 1e3\n",
        );
        assert_eq!(
            root.get("a").map(|n| &n.value),
            Some(&Value::String("word".into()))
        );
        assert_eq!(
            root.get("b").map(|n| &n.value),
            Some(&Value::String("2026-01-31".into()))
        );
        assert_eq!(root.get("c").map(|n| &n.value), Some(&Value::Int(12)));
        assert_eq!(root.get("d").map(|n| &n.value), Some(&Value::Float(1.5)));
        assert_eq!(root.get("e").map(|n| &n.value), Some(&Value::Null));
        assert_eq!(
            root.get("f").map(|n| &n.value),
            Some(&Value::String("12".into()))
        );
        assert_eq!(root.get("g").map(|n| &n.value), Some(&Value::Int(31)));
        assert_eq!(root.get("h").map(|n| &n.value), Some(&Value::Bool(true)));
        assert_eq!(root.get("i").map(|n| &n.value), Some(&Value::Float(1000.0)));
    }

    #[test]
    fn yaml_1_1_readings_are_refused() {
        for word in [
            "yes", "No", "on", "OFF", "y", "010", "1_000", "1:20", "0b101",
        ] {
            let errors = err(&format!("a: {word}\n"));
            assert!(
                matches!(errors[0].kind, YamlErrorKind::Ambiguous(..)),
                "{word}"
            );
        }
        // Quoted, they are plain strings for every tool.
        assert_eq!(
            ok("a: \"on\"\n").get("a").and_then(Node::as_str),
            Some("on")
        );
        assert!(matches!(
            err("%YAML 1.1\n---\na: 1\n")[0].kind,
            YamlErrorKind::Version(_)
        ));
        assert!(ok("%YAML 1.2\n---\na: 1\n").get("a").is_some());
    }

    #[test]
    fn forbidden_characters() {
        for c in [
            '\u{85}', '\u{2028}', '\u{2029}', '\u{1b}', '\u{7f}', '\u{202e}', '\u{200f}',
        ] {
            let errors = err(&format!("a: x # {c}\n"));
            assert!(
                matches!(errors[0].kind, YamlErrorKind::Forbidden(_)),
                "{c:?}"
            );
            assert_eq!(errors[0].span.start, 7);
        }
        assert!(matches!(
            err("a: 1\rb: 2\n")[0].kind,
            YamlErrorKind::Forbidden(_)
        ));
        assert!(ok("a: 1\r\nb: \"tab\there\"\n").get("b").is_some());
    }

    #[test]
    fn anchors_have_a_budget() {
        let many: String = (0..20).map(|i| format!("k{i}: &a{i} v\n")).collect();
        assert!(matches!(
            err(&many)[0].kind,
            YamlErrorKind::TooManyAnchors(_)
        ));
    }

    #[test]
    fn duplicate_keys_in_large_mappings_are_found() {
        let mut src: String = (0..40).map(|i| format!("k{i}: v\n")).collect();
        src.push_str("k3: again\n");
        let errors = err(&src);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, YamlErrorKind::DuplicateKey("k3".into()));
    }

    #[test]
    fn duplicate_keys_are_all_reported_with_the_first_place() {
        let src = "a: 1\nb: 2\na: 3\nb: 4\n";
        let errors = err(src);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].kind, YamlErrorKind::DuplicateKey("a".into()));
        assert_eq!(errors[0].previous.map(|s| s.start), Some(0));
        assert_eq!(&src[errors[1].span.range()], "b");
    }

    #[test]
    fn billion_laughs_is_stopped() {
        let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..7 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("l{}", i - 1)
            };
            src.push_str(&format!(
                "l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let errors = err(&src);
        assert!(matches!(
            errors[0].kind,
            YamlErrorKind::AliasExpansion(_) | YamlErrorKind::TooManyAliases(_)
        ));
    }

    #[test]
    fn a_few_aliases_are_fine() {
        let root = ok("base: &b {x: 1}\ncopy: *b\n");
        assert_eq!(
            root.get("copy").and_then(|n| n.get("x")).map(|n| &n.value),
            Some(&Value::Int(1))
        );
    }

    #[test]
    fn rejected_shapes() {
        assert!(matches!(err("a: !!int 3\n")[0].kind, YamlErrorKind::Tag(_)));
        assert!(matches!(
            err("a: 1\n---\nb: 2\n")[0].kind,
            YamlErrorKind::MultipleDocuments
        ));
        assert!(matches!(err("")[0].kind, YamlErrorKind::Empty));
        assert!(matches!(
            err("? [a]\n: 1\n")[0].kind,
            YamlErrorKind::NonStringKey
        ));
        assert!(matches!(err("a: [\n")[0].kind, YamlErrorKind::Syntax(_)));
        let deep = "[".repeat(40) + &"]".repeat(40);
        assert!(matches!(err(&deep)[0].kind, YamlErrorKind::TooDeep(_)));
    }
}

#[cfg(test)]
mod quoted_span_tests {
    use super::*;

    #[test]
    fn quoted_spans_stop_at_the_closing_quote() {
        let src = "a: \"x\\\"y\"   # note\nb: 'it''s'  # more\nc: \"plain\"\n";
        let node = load(src, &LoadLimits::default()).expect("yaml");
        let text = |key: &str| {
            let span = node.get(key).expect("key").span;
            &src[span.start as usize..span.end as usize]
        };
        assert_eq!(text("a"), "\"x\\\"y\"");
        assert_eq!(text("b"), "'it''s'");
        assert_eq!(text("c"), "\"plain\"");
        assert_eq!(quoted_len("\"unterminated"), None);
    }
}
