//! Types shared by every kind of declaration.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};

use crate::span::Spanned;

/// The only API version this release reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum ApiVersion {
    /// `tenure/v1`.
    #[serde(rename = "tenure/v1")]
    V1,
}

/// Fields every declaration carries.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    /// Unique name in the registry; the file must be named `<name>.yaml`.
    pub name: Spanned<Name>,
    /// The Team that owns this declaration and answers for it.
    pub owner: Spanned<Name>,
    /// What it is for, in one or two sentences a reviewer can judge.
    pub description: Spanned<Text>,
    /// Free-form labels for selection and reporting.
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": "^[a-z0-9]([a-z0-9./-]{0,61}[a-z0-9])?$"}))]
    pub labels: Mapping<String, String>,
}

/// A declaration name: lower-case letters, digits and dashes, at most 63 characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(transparent)]
pub struct Name(pub String);

impl JsonSchema for Name {
    fn schema_name() -> Cow<'static, str> {
        "Name".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "Lower-case letters, digits and dashes; starts and ends with a letter or digit; at most 63 characters.",
            "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"
        })
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// Non-empty human text.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "Text with at least one character that is not a space.",
            "pattern": "\\S"
        })
    }
}

/// A point in time, written as a date (`2026-07-01`) or an RFC 3339 timestamp
/// (`2026-07-01T12:00:00Z`).
///
/// A date alone means midnight UTC at the start of that day for `created`,
/// and the end of that day (UTC) for `expires`: `expires: 2026-07-01` is
/// valid through 1 July and lapsed on 2 July.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    /// The start of the day for a date, or the exact instant.
    pub at: jiff::Timestamp,
    /// `true` when written as a date alone.
    pub date_only: bool,
}

impl Instant {
    /// The first instant covered: the start of the day for a date.
    pub fn start(&self) -> jiff::Timestamp {
        self.at
    }

    /// The first instant no longer covered: the next midnight for a date.
    pub fn end(&self) -> jiff::Timestamp {
        if self.date_only {
            self.at
                .checked_add(jiff::SignedDuration::from_hours(24))
                .unwrap_or(self.at)
        } else {
            self.at
        }
    }

    /// Parse a date or RFC 3339 timestamp.
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.len() == 10 {
            let date: jiff::civil::Date = s
                .parse()
                .map_err(|e| format!("`{s}` is not a valid date: {e}"))?;
            let at = jiff::tz::Offset::UTC
                .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
                .map_err(|e| format!("`{s}` is out of range: {e}"))?;
            return Ok(Self {
                at,
                date_only: true,
            });
        }
        let at: jiff::Timestamp = s.parse().map_err(|e| {
            format!("`{s}` is not a date (YYYY-MM-DD) or an RFC 3339 timestamp with an offset: {e}")
        })?;
        Ok(Self {
            at,
            date_only: false,
        })
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.date_only {
            write!(f, "{}", jiff::tz::Offset::UTC.to_datetime(self.at).date())
        } else {
            write!(f, "{}", self.at)
        }
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        Instant::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Instant {
    fn schema_name() -> Cow<'static, str> {
        "Instant".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A date (YYYY-MM-DD, UTC) or an RFC 3339 timestamp with an offset.",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
        })
    }
}

/// A length of time in days, weeks or years: `30d`, `12w`, `1y` (365 days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Days(pub u32);

impl Days {
    /// Parse `30d`, `12w` or `1y`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a duration such as `30d`, `12w` or `1y`");
        let (num, unit) = s.split_at(s.len().checked_sub(1).ok_or_else(bad)?);
        let n: u32 = num.parse().map_err(|_| bad())?;
        let days = match unit {
            "d" => Some(n),
            "w" => n.checked_mul(7),
            "y" => n.checked_mul(365),
            _ => None,
        };
        days.map(Days).ok_or_else(bad)
    }

    /// As a signed duration.
    pub fn duration(self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_hours(i64::from(self.0) * 24)
    }
}

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}d", self.0)
    }
}

impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        Days::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Days {
    fn schema_name() -> Cow<'static, str> {
        "Days".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A length of time: `30d`, `12w` or `1y` (365 days).",
            "pattern": "^[0-9]{1,5}[dwy]$"
        })
    }
}

/// A YAML mapping kept as a list of pairs in file order.
///
/// Declarations hold small maps (labels, permissions, claim patterns); a
/// vector is a fraction of a `BTreeMap`'s memory and keeps the order the
/// author wrote. Keys are unique: the loader rejects duplicate keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for Mapping<K, V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<K, V> Mapping<K, V> {
    /// The pairs, in file order.
    pub fn iter(&self) -> std::slice::Iter<'_, (K, V)> {
        self.0.iter()
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first value whose key satisfies `is_key`.
    pub fn find(&self, is_key: impl Fn(&K) -> bool) -> Option<&V> {
        self.0.iter().find(|(k, _)| is_key(k)).map(|(_, v)| v)
    }

    /// The value at `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: std::borrow::Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.0
            .iter()
            .find(|(k, _)| k.borrow() == key)
            .map(|(_, v)| v)
    }
}

impl<'a, K, V> IntoIterator for &'a Mapping<K, V> {
    type Item = &'a (K, V);
    type IntoIter = std::slice::Iter<'a, (K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Mapping<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<K, V> {
            type Value = Mapping<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(Mapping(pairs))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

impl<K, V: JsonSchema> JsonSchema for Mapping<K, V> {
    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", V::schema_name()).into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<V>();
        json_schema!({
            "type": "object",
            "additionalProperties": value
        })
    }
}

/// The span of validity that every Identity and SigningKey declares.
#[derive(Clone, Copy, Debug)]
pub struct Term<'a> {
    /// When trust starts.
    pub created: &'a Spanned<Instant>,
    /// When trust ends.
    pub expires: &'a Spanned<Instant>,
    /// When the current term started, if the declaration was renewed.
    pub renewed: Option<&'a Spanned<Instant>>,
}

impl Term<'_> {
    /// Where the current term starts: `renewed` when set, otherwise `created`.
    pub fn start(&self) -> &Spanned<Instant> {
        self.renewed.unwrap_or(self.created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_expiry_covers_the_whole_day() {
        let i = Instant::parse("2026-07-01").expect("date");
        assert!(i.date_only);
        assert_eq!(i.end().to_string(), "2026-07-02T00:00:00Z");
        assert_eq!(i.to_string(), "2026-07-01");
    }

    #[test]
    fn timestamps_need_an_offset() {
        assert!(Instant::parse("2026-07-01T10:00:00Z").is_ok());
        assert!(Instant::parse("2026-07-01T10:00:00+02:00").is_ok());
        assert!(Instant::parse("2026-07-01T10:00:00").is_err());
        assert!(Instant::parse("2026-02-30").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(Days::parse("30d"), Ok(Days(30)));
        assert_eq!(Days::parse("2w"), Ok(Days(14)));
        assert_eq!(Days::parse("1y"), Ok(Days(365)));
        assert!(Days::parse("d").is_err());
        assert!(Days::parse("").is_err());
        assert!(Days::parse("5m").is_err());
    }
}
