//! A unified diff of two versions of a small file, for `--dry-run`.

use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Same,
    Removed,
    Added,
}

/// Lines with their line breaks dropped, for display.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n')
        .map(|l| l.trim_end_matches('\n').trim_end_matches('\r'))
        .collect()
}

/// The edit script from `a` to `b`: line by line, longest common subsequence
/// of what lies between the common head and tail (a renewal touches a line or
/// two, so that middle is small).
fn script(a: &[&str], b: &[&str]) -> Vec<(Op, usize, usize)> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops: Vec<(Op, usize, usize)> = (0..head).map(|i| (Op::Same, i, i)).collect();
    if mid_a.len().saturating_mul(mid_b.len()) <= 1_000_000 {
        // lcs[i][j]: the longest common subsequence of mid_a[i..] and mid_b[j..].
        let mut lcs = vec![vec![0u32; mid_b.len() + 1]; mid_a.len() + 1];
        for i in (0..mid_a.len()).rev() {
            for j in (0..mid_b.len()).rev() {
                lcs[i][j] = if mid_a[i] == mid_b[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < mid_a.len() || j < mid_b.len() {
            if i < mid_a.len() && j < mid_b.len() && mid_a[i] == mid_b[j] {
                ops.push((Op::Same, head + i, head + j));
                i += 1;
                j += 1;
            } else if i < mid_a.len() && (j == mid_b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
                // Removed lines first, as `diff` shows a replacement.
                ops.push((Op::Removed, head + i, head + j));
                i += 1;
            } else {
                ops.push((Op::Added, head + i, head + j));
                j += 1;
            }
        }
    } else {
        ops.extend((0..mid_a.len()).map(|i| (Op::Removed, head + i, head)));
        ops.extend((0..mid_b.len()).map(|j| (Op::Added, head + mid_a.len(), head + j)));
    }
    ops.extend((0..tail).map(|k| (Op::Same, a.len() - tail + k, b.len() - tail + k)));
    ops
}

/// `old` and `new` as a unified diff with three lines of context, both
/// sides labelled `path`. Empty when they are the same.
pub(crate) fn unified(path: &str, old: &str, new: &str) -> String {
    const CONTEXT: usize = 3;
    let (a, b) = (lines(old), lines(new));
    let ops = script(&a, &b);
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != Op::Same).collect();
    let mut out = String::new();
    if changed.is_empty() {
        return out;
    }
    let path = crate::render::clean(path);
    let _ = writeln!(out, "--- {path}\n+++ {path}");
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut last = changed[k];
        // Changes closer than twice the context share a hunk.
        while k + 1 < changed.len() && changed[k + 1] <= last + 2 * CONTEXT + 1 {
            k += 1;
            last = changed[k];
        }
        let end = (last + CONTEXT + 1).min(ops.len());
        let hunk = &ops[start..end];
        let old_len = hunk.iter().filter(|o| o.0 != Op::Added).count();
        let new_len = hunk.iter().filter(|o| o.0 != Op::Removed).count();
        let (old_start, new_start) = (hunk[0].1, hunk[0].2);
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            range(old_start, old_len),
            range(new_start, new_len)
        );
        for &(op, i, j) in hunk {
            let (mark, line) = match op {
                Op::Same => (' ', a[i]),
                Op::Removed => ('-', a[i]),
                Op::Added => ('+', b[j]),
            };
            let _ = writeln!(out, "{mark}{}", crate::render::clean(line));
        }
        k += 1;
    }
    out
}

/// A hunk range: 1-based start and length, `start,len` (GNU diff omits a
/// length of one, and counts an empty range from the line before it).
fn range(start: usize, len: usize) -> String {
    match len {
        1 => format!("{}", start + 1),
        0 => format!("{start},0"),
        _ => format!("{},{len}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_line_and_one_added() {
        let old = "a\nb\nc\nexpires: 1\nd\ne\nf\ng\n";
        let new = "a\nb\nc\nexpires: 2\nrenewed: 0\nd\ne\nf\ng\n";
        assert_eq!(
            unified("x.yaml", old, new),
            "--- x.yaml\n+++ x.yaml\n@@ -1,7 +1,8 @@\n a\n b\n c\n-expires: 1\n+expires: 2\n+renewed: 0\n d\n e\n f\n"
        );
        assert_eq!(unified("x.yaml", old, old), "");
    }

    #[test]
    fn distant_changes_make_two_hunks_and_crlf_is_not_shown() {
        let old = "r: 1\r\n1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n8\r\ne: 1\r\n";
        let new = "r: 2\r\n1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n8\r\ne: 2\r\n";
        let diff = unified("x.yaml", old, new);
        assert_eq!(diff.matches("@@ -").count(), 2, "{diff}");
        assert!(!diff.contains('\r'));
        assert!(
            diff.contains("@@ -1,4 +1,4 @@\n-r: 1\n+r: 2\n 1\n"),
            "{diff}"
        );
    }
}
