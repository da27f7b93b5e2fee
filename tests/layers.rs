//! The layers of `src/` are one-way: this test reads every `crate::`,
//! `super::` and `self::` path in the code (test modules left out), resolves
//! each to the file it names, and fails on
//! - an import cycle between files,
//! - an import from a higher layer (the ranks below, top to bottom:
//!   entry → transports → handlers and worker → use cases → jobs and app →
//!   store, export, views, Web API → domain),
//! - a Slack handler importing another handler,
//! - a SQL driver type (`rusqlite::`, `sqlx::`, `postgres::`) outside `src/store/`.
//!
//! `cargo test --test layers` runs it alone; CI runs it with the rest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layer of each top-level module: a module may import only from lower
/// layers (or from inside itself).
const RANKS: &[(&str, u8)] = &[
    ("main", 10),
    ("lib", 10),
    // The playground starts wb as `wb serve` does, then drives its HTTP edge.
    ("playground", 9),
    ("startup", 8),
    ("offline", 8),
    ("cli", 7),
    ("http", 6),
    ("socket", 6),
    ("slack", 5),
    ("worker", 5),
    ("flows", 4),
    ("jobs", 3),
    ("app", 3),
    ("store", 2),
    ("export", 2),
    ("views", 2),
    ("webapi", 2),
    ("telemetry", 2),
    ("config", 1),
    ("clock", 1),
    ("metrics", 1),
    ("pacing", 1),
    ("vault", 1),
    ("domain", 0),
];

type Module = Vec<String>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every module file, keyed by its module path (`mod.rs` names its directory).
fn modules() -> BTreeMap<Module, PathBuf> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<Module, PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, base, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(base).expect("under src");
                let mut parts: Module = rel
                    .with_extension("")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if parts.len() > 1 && parts.last().is_some_and(|p| p == "mod") {
                    parts.pop();
                }
                out.insert(parts, path);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&src(), &src(), &mut out);
    out
}

/// The code without comments and without `#[cfg(test)] mod … { … }` blocks.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let is_mod = after["#[cfg(test)]".len()..]
            .trim_start()
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub ")
            .starts_with("mod ");
        match (is_mod, after.find('{')) {
            (true, Some(open)) => {
                let mut depth = 0;
                let mut end = after.len();
                for (j, c) in after[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + j + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => {
                out.push_str("#[cfg(test)]");
                rest = &after["#[cfg(test)]".len()..];
            }
        }
    }
    out.push_str(rest);
    out.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path starting with `crate`, `super` or `self`, with one level of
/// `{a, b::c}` groups expanded.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts = ["crate::", "super::", "self::"]
            .iter()
            .find(|p| code_at(&bytes, i, p))
            .copied();
        let boundary = i == 0 || !is_ident(bytes[i - 1]);
        let (Some(_), true) = (starts, boundary) else {
            i += 1;
            continue;
        };
        let mut segments = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < bytes.len() && is_ident(bytes[j]) {
                j += 1;
            }
            if j == start {
                break;
            }
            segments.push(bytes[start..j].iter().collect::<String>());
            if code_at(&bytes, j, "::") {
                j += 2;
            } else {
                break;
            }
        }
        if j < bytes.len() && bytes[j] == '{' {
            let close = bytes[j..].iter().position(|c| *c == '}').map(|p| j + p);
            if let Some(close) = close {
                let group: String = bytes[j + 1..close].iter().collect();
                for item in group.split(',') {
                    let item = item.split(" as ").next().unwrap_or_default().trim();
                    if item.is_empty() || item == "self" || item.contains('{') {
                        continue;
                    }
                    let mut path = segments.clone();
                    path.extend(item.split("::").map(|s| s.trim().to_string()));
                    found.push(path);
                }
            }
        }
        found.push(segments);
        i = j.max(i + 1);
    }
    found
}

fn code_at(bytes: &[char], i: usize, pat: &str) -> bool {
    let pat: Vec<char> = pat.chars().collect();
    bytes.len() >= i + pat.len() && bytes[i..i + pat.len()] == pat[..]
}

/// The file a path names, seen from module `from`: the longest prefix of the
/// path that is a module file.
fn resolve(from: &Module, path: &[String], mods: &BTreeMap<Module, PathBuf>) -> Option<Module> {
    let (base, rest): (Module, &[String]) = match path.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &path[1..]),
        Some("self") => (from.clone(), &path[1..]),
        Some("super") => {
            let mut cur = from.clone();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                cur.pop();
                rest = &rest[1..];
            }
            (cur, rest)
        }
        _ => return None,
    };
    (0..=rest.len()).rev().find_map(|k| {
        let mut cur = base.clone();
        cur.extend(rest[..k].iter().cloned());
        (!cur.is_empty() && mods.contains_key(&cur)).then_some(cur)
    })
}

struct Graph {
    mods: BTreeMap<Module, PathBuf>,
    edges: BTreeMap<Module, BTreeSet<Module>>,
    code: BTreeMap<Module, String>,
}

fn graph() -> Graph {
    let mods = modules();
    let mut edges = BTreeMap::new();
    let mut code = BTreeMap::new();
    for (module, path) in &mods {
        let text = code_of(&std::fs::read_to_string(path).expect("read source"));
        let is_dir = path
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs");
        let mut targets = BTreeSet::new();
        for p in paths_in(&text) {
            let Some(target) = resolve(module, &p, &mods) else {
                continue;
            };
            // A module file declaring or re-exporting its own submodules.
            let own_child = is_dir && target.starts_with(module);
            if target != *module && !own_child {
                targets.insert(target);
            }
        }
        edges.insert(module.clone(), targets);
        code.insert(module.clone(), text);
    }
    Graph { mods, edges, code }
}

fn rank(module: &Module) -> u8 {
    let top = module.first().map(String::as_str).unwrap_or("lib");
    RANKS
        .iter()
        .find(|(name, _)| *name == top)
        .map(|(_, r)| *r)
        .unwrap_or_else(|| panic!("src/{top}: add it to RANKS in tests/layers.rs"))
}

fn name(module: &Module) -> String {
    module.join("::")
}

#[test]
fn no_module_imports_a_higher_layer() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, targets) in &g.edges {
        for to in targets {
            let same_top = from.first() == to.first();
            if !same_top && rank(to) >= rank(from) {
                wrong.push(format!("{} -> {}", name(from), name(to)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_cycle_between_files() {
    let g = graph();
    // Depth-first search for a back edge, reporting the cycle it closes.
    fn visit(
        node: &Module,
        g: &Graph,
        state: &mut BTreeMap<Module, u8>,
        stack: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        state.insert(node.clone(), 1);
        stack.push(node.clone());
        for next in g.edges.get(node).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                0 => {
                    if let Some(cycle) = visit(next, g, state, stack) {
                        return Some(cycle);
                    }
                }
                1 => {
                    let at = stack.iter().position(|m| m == next).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in g.mods.keys() {
        if state.get(node).copied().unwrap_or(0) == 0 {
            let cycle = visit(node, &g, &mut state, &mut Vec::new());
            assert!(
                cycle.is_none(),
                "import cycle: {}",
                cycle
                    .unwrap_or_default()
                    .iter()
                    .map(name)
                    .collect::<Vec<_>>()
                    .join(" -> ")
            );
        }
    }
}

#[test]
fn no_slack_handler_imports_another_handler() {
    let g = graph();
    let handler = |m: &Module| {
        m.len() >= 3
            && m[0] == "slack"
            && ["commands", "events", "interactions"].contains(&m[1].as_str())
    };
    let mut wrong = Vec::new();
    for (from, targets) in &g.edges {
        for to in targets.iter().filter(|t| handler(from) && handler(t)) {
            wrong.push(format!("{} -> {}", name(from), name(to)));
        }
    }
    assert!(
        wrong.is_empty(),
        "handlers importing handlers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn sql_driver_types_stay_in_the_store() {
    let g = graph();
    let leaks: Vec<String> = g
        .code
        .iter()
        .filter(|(m, _)| m.first().is_some_and(|t| t != "store"))
        .filter(|(_, code)| {
            ["rusqlite::", "sqlx::", "postgres::"]
                .iter()
                .any(|driver| code.contains(driver))
        })
        .map(|(m, _)| name(m))
        .collect();
    assert!(
        leaks.is_empty(),
        "SQL driver types outside src/store/: {leaks:?}"
    );
}

#[test]
fn the_checker_sees_real_edges() {
    // Guards the guard: if parsing broke, every test above would pass vacuously.
    let g = graph();
    let edges = |m: &[&str]| {
        g.edges
            .get(&m.iter().map(|s| s.to_string()).collect::<Module>())
            .cloned()
            .unwrap_or_default()
    };
    let flows_draft = edges(&["flows", "draft"]);
    assert!(flows_draft.contains(&vec!["store".to_string(), "drafts".to_string()]));
    assert!(flows_draft.contains(&vec!["flows".to_string(), "root".to_string()]));
    assert!(edges(&["http", "slack_routes"])
        .contains(&vec!["slack".to_string(), "inbound".to_string()]));
    assert!(
        edges(&["slack", "inbound"]).contains(&vec!["slack".to_string(), "commands".to_string()])
    );
    assert!(g.edges.values().map(BTreeSet::len).sum::<usize>() > 150);
}
