//! Terms: the clock, durations, and the longest term the policy allows.
//! Shared by `new` and `renew`.

use anyhow::Context as _;
use tenure_schema::diagnostic::{Code, Severity};
use tenure_schema::model::{Days, Instant};
use tenure_schema::registry::Registry;
use tenure_schema::settings::{Lifetime, Settings};
use tenure_schema::span::LineIndex;

/// The term used when no maximum lifetime applies.
pub(crate) const DEFAULT_TERM: Days = Days(90);

/// Today's date, UTC: terms start at the start of it.
pub(crate) fn today(now: jiff::Timestamp) -> jiff::civil::Date {
    jiff::tz::Offset::UTC.to_datetime(now).date()
}

/// `--for`: a duration of at least one day.
pub(crate) fn parse_duration(text: &str) -> Result<Days, String> {
    match Days::parse(text)? {
        Days(0) => Err("a term lasts at least one day (`1d`)".to_owned()),
        days => Ok(days),
    }
}

/// The first instant after a term of `days` that starts today: what the
/// lifetime rule counts, so a term of exactly the maximum passes.
pub(crate) fn end_of_term(today: jiff::civil::Date, days: Days) -> anyhow::Result<jiff::Timestamp> {
    let start = jiff::tz::Offset::UTC
        .to_timestamp(today.to_datetime(jiff::civil::Time::midnight()))
        .context("today is out of range")?;
    start
        .checked_add(days.duration())
        .ok()
        .filter(|end| jiff::tz::Offset::UTC.to_datetime(*end).year() <= 9999)
        .with_context(|| format!("a term of {days} from {today} ends past the year 9999"))
}

/// The last day covered by a term that ends at `end` (a midnight, UTC): the
/// `expires` date of that term.
pub(crate) fn last_day(end: jiff::Timestamp) -> anyhow::Result<jiff::civil::Date> {
    let last = end
        .checked_sub(jiff::SignedDuration::from_secs(1))
        .context("the expiry is out of range")?;
    Ok(jiff::tz::Offset::UTC.to_datetime(last).date())
}

/// How long a term from the start of `today` to the end of `expires` lasts,
/// in days, rounded up.
pub(crate) fn term_days(today: jiff::civil::Date, expires: &Instant) -> i64 {
    let start = jiff::tz::Offset::UTC
        .to_timestamp(today.to_datetime(jiff::civil::Time::midnight()))
        .map_or(0, |t| t.as_second());
    let seconds = expires.end().as_second() - start;
    (seconds + 86_399).div_euclid(86_400)
}

/// Where a limit is set, as `identities/tenure.yaml:17`.
pub(crate) fn limit_place(registry: &Registry, root: &std::path::Path, limit: &Lifetime) -> String {
    let Some(file) = registry.files.get(limit.file) else {
        return "tenure.yaml".to_owned();
    };
    let (line, _) = LineIndex::new(&file.text).line_col(&file.text, limit.span.start);
    format!("{}:{line}", super::staged::display_path(root, &file.path))
}

/// Whether a term over `limit` is refused here: the lifetime code is an
/// error once `tenure.yaml` has had its say (`severity`, `mode: warn`).
pub(crate) fn limit_binds(settings: &Settings<'_>) -> bool {
    matches!(
        settings.adjust(Code::LifetimeExceeded, Severity::Error),
        Some((Severity::Error, _))
    )
}

/// Why a term is as long as it is, for the summary line.
pub(crate) fn why(asked: bool, days: Days, limit: Option<&Lifetime>) -> String {
    match (asked, limit) {
        (true, Some(limit)) => format!(
            "{} days, as asked; {} is {}",
            days.0, limit.what, limit.days
        ),
        (true, None) => format!("{} days, as asked", days.0),
        (false, Some(limit)) => format!("{} days, {}", days.0, limit.what),
        (false, None) => format!(
            "{} days: no maximum lifetime applies, so the default term",
            days.0
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_of_the_maximum_ends_at_a_midnight() {
        let today: jiff::civil::Date = "2026-11-24".parse().expect("date");
        let end = end_of_term(today, Days(90)).expect("end");
        assert_eq!(end.to_string(), "2027-02-22T00:00:00Z");
        let last = Instant::parse("2027-02-21").expect("date");
        assert_eq!(term_days(today, &last), 90);
        assert!(end_of_term(today, Days(99_999 * 365)).is_err());
        assert!(parse_duration("0d").is_err());
        assert_eq!(parse_duration("2w"), Ok(Days(14)));
    }
}
