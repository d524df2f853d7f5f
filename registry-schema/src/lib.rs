//! tenure's registry format.
#![warn(missing_docs)]
pub mod check;
pub mod de;
pub mod diagnostic;
mod json_view;
pub mod model;
pub mod pattern;
pub mod registry;
pub mod rules;
pub mod schema;
pub mod span;
pub mod yaml;
pub use span::{Span, Spanned};
