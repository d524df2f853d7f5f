//! Tests of `tenure codeowners` (being written).
