//! Tests of `tenure init` (being written).
