//! Tests of `tenure git and review` (being written).
