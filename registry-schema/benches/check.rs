//! Where `tenure check` spends its time: loading (read, secret scan, YAML
//! parse, schema validation, model) against the rules (`check()` on a loaded
//! registry), on a registry made by `bench/gen_registry.py`.
//!
//! ```sh
//! python3 bench/gen_registry.py /tmp/reg-100k 100000
//! TENURE_BENCH_REGISTRY=/tmp/reg-100k cargo bench -p tenure-schema --bench check
//! ```
//!
//! Without `TENURE_BENCH_REGISTRY` it prints a notice and exits, so
//! `cargo test --all-targets` and `cargo bench --no-run` never need a
//! registry. Under `cargo test` (no `--bench` argument) every phase runs
//! once, as a smoke test. Knobs: `TENURE_BENCH_RUNS` (timed runs per phase,
//! default 5, after one warm-up), `TENURE_BENCH_NOW` (default
//! `2026-11-24T00:00:00Z`, the clock of `bench/run.sh`).
//!
//! Each phase is timed twice: on rayon's default pool (one thread per core,
//! as `tenure check` runs) and on a one-thread pool, which is close to its
//! CPU time. The phases after `load_memory` split it: they run on files
//! already read into memory (secret scan), on texts (YAML parse, each tree
//! dropped as loading does), and on trees parsed beforehand and all held in
//! memory (schema validation, model), so each is timed alone. Other outputs
//! are dropped outside the timed region; `tenure check` never frees the
//! registry either. `check()` is every rule, on one thread for the
//! registry-wide rules and in parallel per declaration for the others.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tenure_schema::check::{CheckOptions, check};
use tenure_schema::de::from_node;
use tenure_schema::model::{Identity, Kind, RegistryConfig, SigningKey, Team};
use tenure_schema::registry::{LoadOptions, load, load_memory};
use tenure_schema::yaml::{self, Node};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Median and minimum of the timed runs.
#[derive(Clone, Copy, Debug)]
struct Stats {
    median: Duration,
    min: Duration,
}

/// Run `f` on a fresh `setup()` once untimed, then `runs` times timed; the
/// setup and the dropping of each output stay outside the clock.
fn time<S, T>(runs: usize, setup: &impl Fn() -> S, f: &impl Fn(S) -> T) -> Stats {
    drop(f(setup()));
    let mut walls: Vec<Duration> = (0..runs)
        .map(|_| {
            let input = setup();
            let t0 = Instant::now();
            let out = f(input);
            let wall = t0.elapsed();
            drop(out);
            wall
        })
        .collect();
    walls.sort();
    Stats {
        median: walls[walls.len() / 2],
        min: walls[0],
    }
}

/// Time a phase on the default pool and on `one` (a one-thread pool), and
/// print its row.
fn phase<S, T>(
    name: &str,
    runs: usize,
    one: &rayon::ThreadPool,
    setup: impl Fn() -> S + Sync,
    f: impl Fn(S) -> T + Sync,
) -> (Stats, Stats) {
    let many = time(runs, &setup, &f);
    let single = one.install(|| time(runs, &setup, &f));
    println!(
        "{name:<80} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
        ms(many.median),
        ms(many.min),
        ms(single.median),
        ms(single.min)
    );
    (many, single)
}

/// Every `.yaml` file under `root` (dot-files and dot-folders skipped, as
/// tenure does), as (path relative to the root with `/`, bytes), in path order.
fn read_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
            .expect("list the registry folder")
            .map(|e| {
                let e = e.expect("read a folder entry");
                (e.file_name().to_string_lossy().into_owned(), e.path())
            })
            .filter(|(name, _)| !name.starts_with('.'))
            .collect();
        entries.sort();
        for (name, path) in entries {
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            if path.is_dir() {
                walk(&path, &rel, out);
            } else if name.ends_with(".yaml") {
                out.push((rel, std::fs::read(&path).expect("read a file")));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, "", &mut out);
    out
}

/// The kind a parsed document declares (`tenure.yaml` files are `Registry`).
fn kind_of(path: &str, root: &Node) -> Kind {
    if path == "tenure.yaml" || path.ends_with("/tenure.yaml") {
        return Kind::Registry;
    }
    root.get("kind")
        .and_then(Node::as_str)
        .and_then(Kind::parse)
        .expect("every generated file declares a known kind")
}

/// A document turned into its model type, kept until the clock stops.
#[allow(dead_code)] // held only to be dropped outside the timed region
enum Model {
    Registry(Box<RegistryConfig>),
    Team(Box<Team>),
    Identity(Box<Identity>),
    SigningKey(Box<SigningKey>),
}

fn to_model(kind: Kind, root: &Node) -> Model {
    let what = "a valid generated file deserializes";
    match kind {
        Kind::Registry => Model::Registry(Box::new(from_node(root).expect(what))),
        Kind::Team => Model::Team(Box::new(from_node(root).expect(what))),
        Kind::Identity => Model::Identity(Box::new(from_node(root).expect(what))),
        Kind::SigningKey => Model::SigningKey(Box::new(from_node(root).expect(what))),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let Some(root) = std::env::var_os("TENURE_BENCH_REGISTRY") else {
        println!(
            "benches/check.rs: skipped; set TENURE_BENCH_REGISTRY to a registry made by bench/gen_registry.py"
        );
        return;
    };
    let root = PathBuf::from(root);
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let runs = if bench_mode {
        std::env::var("TENURE_BENCH_RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .filter(|&r: &usize| r > 0)
            .unwrap_or(5)
    } else {
        1
    };
    let now: jiff::Timestamp = std::env::var("TENURE_BENCH_NOW")
        .unwrap_or_else(|_| "2026-11-24T00:00:00Z".to_owned())
        .parse()
        .expect("TENURE_BENCH_NOW is an RFC 3339 timestamp");
    let options = LoadOptions::default();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");

    // The registry must load clean: every file a declaration or a settings file.
    let registry = load(&root, &options).expect("load the registry");
    let findings = check(&registry, &CheckOptions::at(now));
    let errors = findings
        .iter()
        .filter(|d| d.severity == tenure_schema::diagnostic::Severity::Error)
        .count();
    assert_eq!(errors, 0, "the registry must check without errors");
    let files = read_tree(&root);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!(
        "registry: {} ({} files, {} declarations, {:.1} MiB of YAML, {} findings)",
        root.display(),
        files.len(),
        registry.entries.len(),
        bytes as f64 / (1024.0 * 1024.0),
        findings.len()
    );
    println!(
        "runs: 1 warm-up + {runs} timed per phase; rayon pool: {} threads, and 1 thread; milliseconds",
        rayon::current_num_threads()
    );

    let texts: Vec<(String, String)> = files
        .iter()
        .map(|(p, b)| {
            (
                p.clone(),
                String::from_utf8(b.clone()).expect("generated files are UTF-8"),
            )
        })
        .collect();
    let trees: Vec<(Kind, &str, Node)> = texts
        .par_iter()
        .map(|(p, t)| {
            let node = yaml::load(t, &options.limits).expect("generated files parse");
            (kind_of(p, &node), t.as_str(), node)
        })
        .collect();

    println!();
    println!(
        "{:<80} {:>9} {:>9} {:>9} {:>9}",
        "phase", "median", "min", "1t med", "1t min"
    );
    let none = || ();
    let load_all = phase(
        "load: read + secret scan + parse + schema + model (registry::load, from disk)",
        runs,
        &one,
        none,
        |()| load(&root, &options).expect("load"),
    );
    let load_mem = phase(
        "load_memory: the same on bytes already in memory",
        runs,
        &one,
        || files.clone(),
        |files| load_memory(&root, files, &options),
    );
    let scan = phase(
        "  secret scan (every file's text)",
        runs,
        &one,
        || {
            texts
                .iter()
                .map(|(_, t)| t.clone())
                .collect::<Vec<String>>()
        },
        |texts| {
            texts
                .into_par_iter()
                .map(tenure_schema::bench_scan_secrets)
                .collect::<Vec<(String, usize)>>()
        },
    );
    let parse = phase(
        "  YAML parse into span-keeping trees, each dropped after (yaml::load)",
        runs,
        &one,
        none,
        |()| {
            texts
                .par_iter()
                .map(|(_, t)| yaml::load(t, &options.limits).expect("parse").span.end)
                .max()
        },
    );
    let schema = phase(
        "  schema validation on parsed trees (schema::validate)",
        runs,
        &one,
        none,
        |()| {
            let problems = trees
                .par_iter()
                .map(|(kind, text, node)| {
                    tenure_schema::schema::validate(*kind, 0, text, node).len()
                })
                .sum::<usize>();
            assert_eq!(problems, 0, "every generated file is valid");
        },
    );
    let model = phase(
        "  model: trees into typed declarations (de::from_node)",
        runs,
        &one,
        none,
        |()| {
            trees
                .par_iter()
                .map(|(kind, _, node)| to_model(*kind, node))
                .collect::<Vec<Model>>()
        },
    );
    let rules = phase(
        "check(): every rule, on the loaded registry",
        runs,
        &one,
        none,
        |()| check(&registry, &CheckOptions::at(now)),
    );
    let med = |s: Stats| s.median.as_secs_f64();
    let (mem1, rules1) = (med(load_mem.1), med(rules.1));
    println!();
    println!(
        "one thread, medians: of load_memory, secret scan {:.0}%, YAML parse {:.0}%, schema validation {:.0}%, model {:.0}%",
        100.0 * med(scan.1) / mem1,
        100.0 * med(parse.1) / mem1,
        100.0 * med(schema.1) / mem1,
        100.0 * med(model.1) / mem1,
    );
    println!(
        "rules / schema validation: {:.2} on the default pool, {:.2} on one thread; rules / load: {:.2} on the default pool, {:.2} on one thread",
        med(rules.0) / med(schema.0),
        rules1 / med(schema.1),
        med(rules.0) / med(load_all.0),
        rules1 / med(load_all.1),
    );
}
