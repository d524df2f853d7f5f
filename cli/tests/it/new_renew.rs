//! Tests of `tenure new and renew` (being written).
