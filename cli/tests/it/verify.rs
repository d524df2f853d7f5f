//! `tenure verify`.
