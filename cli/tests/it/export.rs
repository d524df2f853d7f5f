//! `tenure export`.
