//! Renewing a declaration in its own text: only the bytes of the `expires`
//! value change, and `renewed` is set or added, so comments, blank lines,
//! quoting, key order and line endings stay as the author wrote them and the
//! pull request shows a one- or two-line diff.

use std::ops::Range;

use anyhow::{Context as _, bail};
use tenure_schema::model::Instant;
use tenure_schema::yaml::{self, LoadLimits, Node};

/// The edited text, and the `expires` values before and after (as written,
/// without quotes).
#[derive(Debug)]
pub(crate) struct Edited {
    pub(crate) text: String,
    pub(crate) old_expires: String,
    pub(crate) new_expires: String,
}

/// Move `spec.expires` of the declaration in `text` to `end` (the first
/// instant no longer covered) and set `spec.renewed` to `today`.
///
/// A date stays a date (the last day covered, so the term is exactly what the
/// policy counts), a timestamp stays a timestamp with its offset and
/// separator, and quotes stay. A missing `renewed` is inserted on its own line
/// after `expires`, with the same indentation and line ending, or after the
/// value in a flow mapping (`spec: {..., expires: X}`).
pub(crate) fn renew_text(
    text: &str,
    end: jiff::Timestamp,
    today: jiff::civil::Date,
) -> anyhow::Result<Edited> {
    // Spans from the parser start after a byte-order mark, as in the loader.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let root = yaml::load(&text[bom..], &LoadLimits::default())
        .map_err(|_| anyhow::anyhow!("the file does not parse as YAML"))?;
    let spec = root.get("spec").context("the file has no `spec`")?;
    let expires = spec
        .get("expires")
        .context("the file has no `spec.expires`")?;
    let (expires_raw, expires_inner) = scalar(text, shift(expires.span.range(), bom));
    let old = &text[expires_inner.clone()];
    let instant = Instant::parse(old).map_err(|e| anyhow::anyhow!("`spec.expires`: {e}"))?;
    let new_expires = if instant.date_only {
        super::term::last_day(end)?.to_string()
    } else {
        timestamp_like(old, end)?
    };
    let today = today.to_string();

    let mut edits: Vec<(Range<usize>, String)> = vec![(expires_inner.clone(), new_expires.clone())];
    match spec.get("renewed") {
        Some(renewed) => {
            let (_, inner) = scalar(text, shift(renewed.span.range(), bom));
            edits.push((inner, today));
        }
        None if is_flow(text, spec, bom) => {
            let at = expires_raw.end;
            edits.push((at..at, format!(", renewed: {today}")));
        }
        None => {
            let key = spec
                .key_span("expires")
                .map(|s| shift(s.range(), bom))
                .context("the file has no `spec.expires` key")?;
            edits.push(insert_line_after(text, key.start, expires_raw.end, &today)?);
        }
    }
    // Back to front, so every range still points at the original bytes.
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = text.to_owned();
    for (range, with) in edits {
        out.replace_range(range, &with);
    }
    Ok(Edited {
        text: out,
        old_expires: old.to_owned(),
        new_expires,
    })
}

fn shift(range: Range<usize>, by: usize) -> Range<usize> {
    range.start + by..range.end + by
}

/// A scalar's bytes from the start of its span: the whole value with its
/// quotes, and what lies inside them. The parser's span of a quoted scalar
/// can run on over a comment after it, so the closing quote is found here.
fn scalar(text: &str, span: Range<usize>) -> (Range<usize>, Range<usize>) {
    let start = span.start;
    let rest = text.get(start..).unwrap_or("");
    let close = match rest.chars().next() {
        // `''` is an escaped quote inside single quotes.
        Some('\'') => {
            let bytes = rest.as_bytes();
            let mut i = 1;
            loop {
                match bytes.get(i) {
                    Some(b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    Some(b'\'') | None => break Some(i),
                    Some(_) => i += 1,
                }
            }
        }
        Some('"') => {
            let bytes = rest.as_bytes();
            let mut i = 1;
            loop {
                match bytes.get(i) {
                    Some(b'\\') => i += 2,
                    Some(b'"') | None => break Some(i),
                    Some(_) => i += 1,
                }
            }
        }
        _ => None,
    };
    match close {
        Some(close) => {
            let close = (start + close).min(text.len().saturating_sub(1));
            (start..close + 1, start + 1..close)
        }
        None => {
            let raw = text.get(span.clone()).unwrap_or("");
            let raw = raw.split(" #").next().unwrap_or(raw).trim_end();
            let whole = start..start + raw.len();
            (whole.clone(), whole)
        }
    }
}

/// Whether `spec` is a flow mapping, `{...}`.
fn is_flow(text: &str, spec: &Node, bom: usize) -> bool {
    text.as_bytes().get(spec.span.start as usize + bom) == Some(&b'{')
}

/// `renewed: DATE` on a new line after the one where the `expires` value
/// ends, indented like the `expires` key.
fn insert_line_after(
    text: &str,
    key_start: usize,
    value_end: usize,
    today: &str,
) -> anyhow::Result<(Range<usize>, String)> {
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..key_start].trim_start_matches('\u{feff}');
    if !indent.bytes().all(|b| b == b' ') {
        bail!("`expires` is not at the start of its line; add `renewed` by hand");
    }
    Ok(match text[value_end..].find('\n') {
        Some(i) => {
            let newline = value_end + i;
            let eol = if text[..newline].ends_with('\r') {
                "\r\n"
            } else {
                "\n"
            };
            let at = newline + 1;
            (at..at, format!("{indent}renewed: {today}{eol}"))
        }
        // The last line, without a line break: add one before ours.
        None => {
            let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
            let at = text.len();
            (at..at, format!("{eol}{indent}renewed: {today}"))
        }
    })
}

/// `end` written like `old`: the same separator between date and time and
/// the same offset (`Z` or `+02:00`), whole seconds.
fn timestamp_like(old: &str, end: jiff::Timestamp) -> anyhow::Result<String> {
    let sep = old.chars().nth(10).unwrap_or('T');
    let (offset, suffix) = match old.chars().last() {
        Some(z @ ('Z' | 'z')) => (jiff::tz::Offset::UTC, z.to_string()),
        _ => {
            let suffix = old.get(old.len().saturating_sub(6)..).unwrap_or("");
            match parse_offset(suffix) {
                Some(offset) => (offset, suffix.to_owned()),
                None => (jiff::tz::Offset::UTC, "Z".to_owned()),
            }
        }
    };
    let at = offset.to_datetime(end);
    Ok(format!(
        "{}{sep}{:02}:{:02}:{:02}{suffix}",
        at.date(),
        at.hour(),
        at.minute(),
        at.second()
    ))
}

/// `+hh:mm` or `-hh:mm`.
fn parse_offset(s: &str) -> Option<jiff::tz::Offset> {
    let b = s.as_bytes();
    if b.len() != 6 || b[3] != b':' {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i32 = s.get(1..3)?.parse().ok()?;
    let minutes: i32 = s.get(4..6)?.parse().ok()?;
    jiff::tz::Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end() -> jiff::Timestamp {
        // A 90-day term from 2026-11-24: covered through 2027-02-21.
        "2027-02-22T00:00:00Z".parse().expect("timestamp")
    }

    fn today() -> jiff::civil::Date {
        "2026-11-24".parse().expect("date")
    }

    fn renew(text: &str) -> Edited {
        renew_text(text, end(), today()).expect("renewed")
    }

    const HEAD: &str =
        "apiVersion: tenure/v1\nkind: Identity\nmetadata: {name: x, owner: t, description: X.}\n";

    #[test]
    fn a_date_becomes_the_last_covered_day_and_renewed_is_added() {
        let text = format!(
            "{HEAD}spec:\n  type: bot\n  environment: ci\n  created: 2026-01-01\n  expires: 2026-12-01   # the old term\n  justification: Runs.\n"
        );
        let edited = renew(&text);
        assert_eq!(
            edited.text,
            format!(
                "{HEAD}spec:\n  type: bot\n  environment: ci\n  created: 2026-01-01\n  expires: 2027-02-21   # the old term\n  renewed: 2026-11-24\n  justification: Runs.\n"
            )
        );
        assert_eq!(edited.old_expires, "2026-12-01");
        assert_eq!(edited.new_expires, "2027-02-21");
    }

    #[test]
    fn comments_crlf_and_quotes_stay() {
        let text = format!(
            "# owned by t\r\n{}spec:\r\n  type: bot\r\n\r\n  # dates\r\n  created: 2026-01-01\r\n  expires: \"2026-12-01\"\r\n  renewed: '2026-06-01' # last time\r\n",
            HEAD.replace('\n', "\r\n")
        );
        let edited = renew(&text);
        assert_eq!(
            edited.text,
            text.replace("\"2026-12-01\"", "\"2027-02-21\"")
                .replace("'2026-06-01'", "'2026-11-24'")
        );
    }

    #[test]
    fn crlf_lines_get_a_crlf_renewed_line() {
        let text = format!("{HEAD}spec:\n  created: 2026-01-01\n  expires: 2026-12-01\n")
            .replace('\n', "\r\n");
        let edited = renew(&text);
        assert!(
            edited
                .text
                .ends_with("  expires: 2027-02-21\r\n  renewed: 2026-11-24\r\n"),
            "{:?}",
            edited.text
        );
    }

    #[test]
    fn flow_style_gets_renewed_after_the_value() {
        let text = format!(
            "{HEAD}spec: {{type: bot, environment: ci, created: 2026-01-01, expires: 2026-12-01}} # end\n"
        );
        let edited = renew(&text);
        assert_eq!(
            edited.text,
            format!(
                "{HEAD}spec: {{type: bot, environment: ci, created: 2026-01-01, expires: 2027-02-21, renewed: 2026-11-24}} # end\n"
            )
        );
    }

    #[test]
    fn quoted_values_followed_by_comments() {
        let text = format!("{HEAD}spec: {{created: 2026-01-01, expires: 'it''s'}}\n");
        assert!(renew_text(&text, end(), today()).is_err(), "not an instant");
        let text =
            format!("{HEAD}spec: {{created: 2026-01-01,\n  expires: \"2026-12-01\" # why\n  }}\n");
        assert_eq!(
            renew(&text).text,
            format!(
                "{HEAD}spec: {{created: 2026-01-01,\n  expires: \"2027-02-21\", renewed: 2026-11-24 # why\n  }}\n"
            )
        );
    }

    #[test]
    fn timestamps_keep_their_offset_and_separator() {
        let text = format!(
            "{HEAD}spec:\n    created: 2026-01-01\n    expires: 2026-12-01 17:30:00.5+02:00\n"
        );
        let edited = renew(&text);
        assert_eq!(
            edited.text,
            format!(
                "{HEAD}spec:\n    created: 2026-01-01\n    expires: 2027-02-22 02:00:00+02:00\n    renewed: 2026-11-24\n"
            )
        );
        let utc =
            format!("{HEAD}spec:\n  created: 2026-01-01\n  expires: '2026-12-01T10:00:00Z'\n");
        assert!(
            renew(&utc)
                .text
                .contains("expires: '2027-02-22T00:00:00Z'\n  renewed: 2026-11-24\n")
        );
    }

    #[test]
    fn a_last_line_without_a_line_break_and_a_byte_order_mark() {
        let text = format!("\u{feff}{HEAD}spec:\n  created: 2026-01-01\n  expires: 2026-12-01");
        let edited = renew(&text);
        assert_eq!(
            edited.text,
            format!(
                "\u{feff}{HEAD}spec:\n  created: 2026-01-01\n  expires: 2027-02-21\n  renewed: 2026-11-24"
            )
        );
    }

    #[test]
    fn renewed_before_expires_is_replaced_where_it_is() {
        let text = format!(
            "{HEAD}spec:\n  renewed: 2026-06-01\n  created: 2026-01-01\n  expires: 2026-12-01\n"
        );
        assert_eq!(
            renew(&text).text,
            format!(
                "{HEAD}spec:\n  renewed: 2026-11-24\n  created: 2026-01-01\n  expires: 2027-02-21\n"
            )
        );
    }

    #[test]
    fn without_expires_nothing_is_guessed() {
        let text = format!("{HEAD}spec:\n  created: 2026-01-01\n");
        assert!(renew_text(&text, end(), today()).is_err());
    }
}
