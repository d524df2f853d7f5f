//! `tenure schema [KIND]`: print the shipped JSON Schema.

use std::io::Write;

use tenure_schema::model::Kind;
use tenure_schema::schema;

use crate::ExitStatus;
use crate::args::{SchemaArgs, SchemaKind};

pub(crate) fn run(args: &SchemaArgs, out: &mut impl Write) -> anyhow::Result<ExitStatus> {
    let text = match args.kind {
        None => schema::combined_schema_text(),
        Some(SchemaKind::Registry) => schema::schema_text(Kind::Registry),
        Some(SchemaKind::Team) => schema::schema_text(Kind::Team),
        Some(SchemaKind::Identity) => schema::schema_text(Kind::Identity),
        Some(SchemaKind::SigningKey) => schema::schema_text(Kind::SigningKey),
    };
    out.write_all(text.as_bytes())?;
    Ok(ExitStatus::Success)
}
