//! The merchant app's wasm, split by screen: trunk cannot split wasm (trunk issue 1022), so this
//! does what it would. From the binary cargo linked with `--emit-relocs`:
//!
//! 1. `wasm_split_cli_support` cuts it at every `#[wasm_split]` function: the main module (the
//!    framework and the shell), a chunk per screen, a chunk per piece of code screens share,
//!    and `__wasm_split.js`, which fetches a chunk and links it to the main module's memory,
//!    table and functions when a split function is first called;
//! 2. wasm-bindgen binds the main module (keeping the exports the chunks import);
//! 3. wasm-opt `-Oz` shrinks the main module and every chunk, and minify-js the JS, as trunk does
//!    for the kiosk;
//! 4. every file is renamed with its content hash (the server caches those for a year), and
//!    the references between them rewritten.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// What [`split_and_bind`] left in its folder, by file name.
pub struct Split {
    /// the entry module the page imports (wasm-bindgen's glue)
    pub js: String,
    /// the main module
    pub wasm: String,
    /// the loader the main module imports
    pub loader: String,
    /// every chunk
    pub chunks: Vec<String>,
    /// each split (a `#[wasm_split]` module) and the chunks its first call fetches
    pub fetches: BTreeMap<String, Vec<String>>,
}

impl Split {
    /// Every file, by name.
    pub fn files(&self) -> impl Iterator<Item = &String> {
        [&self.js, &self.wasm, &self.loader]
            .into_iter()
            .chain(&self.chunks)
    }
}

/// Splits, binds and shrinks `input` (named `name`) into `dir`, emptied first.
pub fn split_and_bind(input: &Path, dir: &Path, name: &str) -> Result<Split, String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let wasm = std::fs::read(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let main_out = dir.join("main.wasm");
    let main_module = format!("./{name}.js");
    let mut opts = wasm_split_cli_support::Options::new(&wasm);
    opts.output_dir = dir;
    opts.main_out_path = &main_out;
    opts.main_module = &main_module;
    opts.link_name = LOADER;
    let split = wasm_split_cli_support::transform(opts)
        .map_err(|e| format!("splitting {}: {e:#}", input.display()))?;

    let mut bindgen = Command::new("wasm-bindgen");
    bindgen
        .args(["--target", "web", "--keep-lld-exports", "--no-demangle"])
        .args(["--out-name", name, "--out-dir"])
        .arg(dir)
        .arg(&main_out);
    super::run(&mut bindgen)?;
    remove(&main_out)?;

    let bound = dir.join(format!("{name}_bg.wasm"));
    let mut shrink: Vec<PathBuf> = split.split_modules.clone();
    shrink.push(bound.clone());
    wasm_opt_all(&shrink)?;

    // Chunks first: the loader names them, and the loader's text goes into the build's hash.
    let loader_path = dir.join(LOADER.trim_start_matches("./"));
    let mut loader = super::read(&loader_path)?;
    let mut chunks = Vec::new();
    let mut renamed = BTreeMap::new();
    for chunk in &split.split_modules {
        let old = file_name(chunk)?;
        let stem = old.trim_end_matches(".wasm");
        let new = format!("{stem}-{}.wasm", hash16(&[&read_bytes(chunk)?]));
        rename(chunk, &dir.join(&new))?;
        loader = loader.replace(&format!("\"./{old}\""), &format!("\"./{new}\""));
        renamed.insert(stem.to_owned(), new.clone());
        chunks.push(new);
    }
    let glue_path = dir.join(format!("{name}.js"));
    let glue = super::read(&glue_path)?;
    let main = read_bytes(&bound)?;
    let build = hash16(&[&main, glue.as_bytes(), loader.as_bytes()]);

    let (js, wasm, loader_name) = (
        format!("{name}-{build}.js"),
        format!("{name}-{build}_bg.wasm"),
        format!("__wasm_split-{build}.js"),
    );
    // Only the JS import's path: the main module still names its imports' module `LOADER`.
    let import = format!("from \"{LOADER}\"");
    if !glue.contains(&import) || !loader.contains(&main_module) {
        return Err(format!(
            "the split build's glue does not import {LOADER}, or its loader {main_module}"
        ));
    }
    let glue = glue
        .replace(&import, &format!("from \"./{loader_name}\""))
        .replace(&format!("{name}_bg.wasm"), &wasm);
    let loader = loader.replace(&main_module, &format!("./{js}"));
    super::write(&dir.join(&js), &minify(&glue))?;
    super::write(&dir.join(&loader_name), &minify(&loader))?;
    rename(&bound, &dir.join(&wasm))?;
    remove(&glue_path)?;
    remove(&loader_path)?;
    for leftover in [format!("{name}.d.ts"), format!("{name}_bg.wasm.d.ts")] {
        let _ = std::fs::remove_file(dir.join(leftover));
    }
    chunks.sort();
    let fetches = split
        .prefetch_map
        .iter()
        .map(|(name, stems)| {
            let files = stems
                .iter()
                .filter_map(|s| renamed.get(s).cloned())
                .collect();
            (name.clone(), files)
        })
        .collect();
    Ok(Split {
        fetches,
        js,
        wasm,
        loader: loader_name,
        chunks,
    })
}

/// The module the split main module imports its loader from (rewritten to the hashed name).
const LOADER: &str = "./__wasm_split.js";

/// `wasm-opt -Oz` on every file, in place, two at a time (the machine has two cores).
fn wasm_opt_all(files: &[PathBuf]) -> Result<(), String> {
    let at_once = std::thread::available_parallelism().map_or(2, usize::from);
    for batch in files.chunks(at_once) {
        let children = batch
            .iter()
            .map(|f| {
                Command::new("wasm-opt")
                    .arg("-Oz")
                    .arg("--output")
                    .arg(f)
                    .arg(f)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .map_err(|e| format!("wasm-opt: {e} (run scripts/setup.sh)"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (child, f) in children.into_iter().zip(batch) {
            let out = child.wait_with_output().map_err(|e| e.to_string())?;
            super::check(&format!("wasm-opt of {}", f.display()), &out)?;
        }
    }
    Ok(())
}

/// `js` (an ES module) minified, as trunk minifies the kiosk's glue; unchanged if the minifier
/// cannot read it.
fn minify(js: &str) -> String {
    // wasm-bindgen ends its `import … from "…"` lines without a semicolon, which minify-js's
    // parser requires…
    let terminated: String = js
        .lines()
        .map(|l| {
            if l.starts_with("import ") && !l.trim_end().ends_with(';') {
                format!("{};\n", l.trim_end())
            } else if let Some(names) = l
                .strip_prefix("export { ")
                .and_then(|r| r.strip_suffix(" as default };"))
            {
                // nor `export { x as default }`: the same export, spelled as it reads.
                match names.rsplit_once(", ") {
                    Some((others, default)) => {
                        format!("export {{ {others} }};\nexport default {default};\n")
                    }
                    None => format!("export default {names};\n"),
                }
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    let session = minify_js::Session::new();
    let mut out = Vec::new();
    match minify_js::minify(
        &session,
        minify_js::TopLevelMode::Module,
        terminated.as_bytes(),
        &mut out,
    ) {
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| js.to_owned()),
        Err(e) => {
            eprintln!("xtask: JS left as it is (minifier: {e:?})");
            js.to_owned()
        }
    }
}

/// The first 16 hex digits of the SHA-256 of `parts`, one after another.
fn hash16(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn file_name(path: &Path) -> Result<String, String> {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("{}: no file name", path.display()))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn rename(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::rename(from, to).map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
}

fn remove(path: &Path) -> Result<(), String> {
    std::fs::remove_file(path).map_err(|e| format!("{}: {e}", path.display()))
}
