//! Integration tests of the `tenure` binary: one binary, one module per area.

mod check;
mod cli;
mod codeowners;
mod common;
mod conformance;
mod docs;
mod export;
mod formats;
mod git_review;
mod hostile;
mod init;
mod new_renew;
mod sign;
mod sign_stack;
mod trust;
mod verify;
