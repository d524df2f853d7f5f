//! How tenure compiles the patterns in declarations, the same way for `check`,
//! `verify` and `sign`.

/// Compiled regexes are capped so a hostile pattern cannot exhaust memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Compile a regular expression (`subjectPattern`, `identityPattern`, claim
/// patterns). Rust `regex` syntax: linear time, no look-around, no backreferences.
pub fn compile_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// Parse a regular expression into its high-level form, as the `regex` crate
/// does before compiling: a syntax check for [`compile_regex`] without
/// building the matcher, at a fraction of the cost, and what the rules read
/// to judge what a pattern admits. The size limits are enforced when the
/// pattern is compiled for use.
pub fn parse_regex(pattern: &str) -> Result<regex_syntax::hir::Hir, Box<regex_syntax::Error>> {
    regex_syntax::Parser::new().parse(pattern).map_err(Box::new)
}

/// Check that `pattern` is a valid glob for [`compile_glob`] without building the matcher.
pub fn check_glob(pattern: &str) -> Result<(), globset::Error> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(drop)
}

/// Compile a glob (`refs/tags/v*`, `tenure-*.tar.gz`): `*` does not cross `/`,
/// `**` does.
pub fn compile_glob(pattern: &str) -> Result<globset::GlobMatcher, globset::Error> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_do_not_cross_slashes() {
        let g = compile_glob("refs/tags/v*").expect("glob");
        assert!(g.is_match("refs/tags/v1.2.3"));
        assert!(!g.is_match("refs/tags/v1/evil"));
        assert!(!g.is_match("refs/heads/main"));
    }

    #[test]
    fn regexes_compile_or_explain() {
        assert!(compile_regex("^repo:acme/app:ref:refs/heads/main$").is_ok());
        assert!(compile_regex("^repo:acme/(app$").is_err());
        // Look-around is not supported: linear time only.
        assert!(compile_regex("^(?=a)a$").is_err());
        // The cheap check agrees with the compiler on syntax.
        for p in [
            "^repo:acme/app$",
            "^repo:acme/(app$",
            "^(?=a)a$",
            "[z-a]",
            "\\p{Greek}+",
            "a{2,1}",
        ] {
            assert_eq!(parse_regex(p).is_ok(), compile_regex(p).is_ok(), "{p}");
        }
        for g in ["refs/tags/v*", "refs/heads/[main", "{a,b", "**/x"] {
            assert_eq!(check_glob(g).is_ok(), compile_glob(g).is_ok(), "{g}");
        }
    }
}
