//! The server's shape, checked: its top-level modules import each other in one direction (no
//! circle), no source file grows past ~400 lines, and no HTTP handler past ~60.
// reason: test code: a failed step should panic and fail the test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 430;
const MAX_HANDLER_LINES: usize = 60;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> (PathBuf, Vec<PathBuf>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    (root, files)
}

/// The top-level module a file belongs to (`routes/charges.rs` → `routes`).
fn module_of(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// `crate::x` paths in a file's non-test code.
fn imports(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let name: String = code[i + 7..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

#[test]
fn modules_import_each_other_in_one_direction() {
    let (root, files) = src();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&root, file);
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let deps = graph.entry(module.clone()).or_default();
        for used in imports(&text) {
            // `api` is the protocol crate, re-exported.
            if used != module && used != "api" {
                deps.insert(used);
            }
        }
    }
    // A depth-first search that reports the first circle it finds.
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            let mut circle = path[at..].to_vec();
            circle.push(n.to_owned());
            return Some(circle);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_owned());
        for d in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        let circle = visit(n, &graph, &mut Vec::new(), &mut done);
        assert!(
            circle.is_none(),
            "modules import in a circle: {}",
            circle.unwrap().join(" → ")
        );
    }
    // The rules depend on the wire types and the clock only.
    let domain = &graph["domain"];
    assert!(
        domain.iter().all(|d| d == "clock"),
        "domain imports {domain:?}"
    );
}

#[test]
fn no_source_file_and_no_handler_grows_too_long() {
    let (root, files) = src();
    let mut long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() > MAX_FILE_LINES {
            long.push(format!(
                "{} has {} lines",
                file.strip_prefix(&root).unwrap().display(),
                lines.len()
            ));
        }
        // A handler: the function after a `#[utoipa::path(...)]`, to its closing brace.
        for (i, line) in lines.iter().enumerate() {
            if !line.starts_with("#[utoipa::path(") {
                continue;
            }
            let start = i + lines[i..].iter().position(|l| l.contains("fn ")).unwrap();
            let end = start + lines[start..].iter().position(|l| *l == "}").unwrap();
            if end - start > MAX_HANDLER_LINES {
                long.push(format!(
                    "{} handler `{}` has {} lines",
                    file.strip_prefix(&root).unwrap().display(),
                    lines[start].trim(),
                    end - start
                ));
            }
        }
    }
    assert!(long.is_empty(), "too long:\n{}", long.join("\n"));
}

#[test]
fn only_the_accept_loop_and_client_module_read_the_peer_or_forwarding_headers() {
    let (root, files) = src();
    for file in files {
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .to_string_lossy()
            .into_owned();
        if rel == "serve.rs" || rel == "client.rs" || rel.starts_with("client/") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for needle in [
            "ConnectInfo",
            "\"x-forwarded",
            "\"X-Forwarded",
            "X_FORWARDED",
            "\"forwarded\"",
            "header::FORWARDED",
            "x-real-ip",
            "peer_addr",
        ] {
            assert!(
                !text.contains(needle),
                "{rel} reads {needle}: the client's address is `client::ClientAddr`, decided once"
            );
        }
    }
}
