//! Integration tests of the `tenure` binary: one binary, one module per area.

mod check;
mod cli;
mod common;
mod docs;
mod formats;
mod hostile;
