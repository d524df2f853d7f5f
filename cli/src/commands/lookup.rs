//! Finding a declaration by name, for the commands that act on one
//! (`renew`, `export`).

use tenure_schema::diagnostic::Diagnostic;
use tenure_schema::model::Declaration;
use tenure_schema::registry::{Entry, Registry};

/// What a name leads to.
pub(crate) enum Found<'a> {
    One(&'a Entry),
    /// Several declarations share the name (`duplicate-name`).
    Many(usize),
    /// A file named after it did not load: its findings.
    Broken(Vec<Diagnostic>),
    /// Nothing; the closest name among those `suggest` admits, if one is close.
    None(Option<String>),
}

/// The declaration called `name`. Suggestions for a typo come only from
/// declarations `suggest` admits: the kinds the command can act on.
pub(crate) fn find<'a>(
    registry: &'a Registry,
    name: &str,
    suggest: impl Fn(&Declaration) -> bool,
) -> Found<'a> {
    let named: Vec<&Entry> = registry
        .entries
        .iter()
        .filter(|e| e.declaration.name() == name)
        .collect();
    match named.as_slice() {
        [one] => return Found::One(one),
        [] => {}
        many => return Found::Many(many.len()),
    }
    if registry.broken_names.contains(name) {
        let file_name = format!("{name}.yaml");
        let broken = registry
            .diagnostics
            .iter()
            .filter(|d| {
                d.primary.as_ref().is_some_and(|l| {
                    let path = &registry.files[l.file].path;
                    path == &file_name || path.ends_with(&format!("/{file_name}"))
                })
            })
            .cloned()
            .collect();
        return Found::Broken(broken);
    }
    let candidates: Vec<String> = registry
        .entries
        .iter()
        .filter(|e| suggest(&e.declaration))
        .map(|e| e.declaration.name().to_owned())
        .collect();
    Found::None(tenure_schema::schema::did_you_mean(name, &candidates).map(str::to_owned))
}
