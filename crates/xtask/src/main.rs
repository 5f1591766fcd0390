//! `cargo run -p xtask -- web`: builds every bundle of the web app, as the route table in
//! `protocol::web` lists them, into `dist/`: `index.html` (the merchant app) and `kiosk.html`
//! (the customer display), each with its own wasm, sharing one stylesheet and `public/`.
//!
//! The bundles' binaries are compiled in one cargo run (cargo links them side by side), then
//! trunk turns each into its page (wasm-bindgen, wasm-opt), as many at a time as there are
//! cores. Expects the tools of `scripts/setup.sh` on `PATH`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};

use protocol::web::Bundle;

mod split;

/// The line of `index.html` that names the merchant app's binary; each other bundle's page swaps
/// the name.
const COUNTER_BIN: &str = "data-bin=\"tonle-merchant\"";

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "web" => web(),
        "bundles" => {
            for bundle in Bundle::ALL {
                println!("{} {} {}", bundle.name(), bundle.binary(), bundle.html());
            }
            Ok(())
        }
        _ => Err("usage: cargo run -p xtask -- web | bundles".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn web() -> Result<(), String> {
    let root = workspace_root()?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    // Checkouts sharing one build cache stage their web builds apart.
    let stage = target.join("web").join(checkout_key(&root));

    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let wasm_build = |sub: &str| {
        let mut c = Command::new(&cargo_bin);
        c.current_dir(&root).args([
            sub,
            "--release",
            "--locked",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "tonle-app",
        ]);
        c
    };
    // The kiosk as one module (trunk binds it); the merchant app linked with its relocations,
    // which the splitter needs to cut it by screen (a flag for the final link only, so the
    // library is not rebuilt for it).
    let mut kiosk = wasm_build("build");
    for bundle in Bundle::ALL.into_iter().filter(|b| *b != Bundle::Merchant) {
        kiosk.args(["--bin", &bundle.binary()]);
    }
    run(&mut kiosk)?;
    let merchant = Bundle::Merchant.binary();
    let mut linked = wasm_build("rustc");
    linked.args(["--bin", &merchant, "--", "-C", "link-arg=--emit-relocs"]);
    run(&mut linked)?;
    let wasm_dir = target.join("wasm32-unknown-unknown").join("release");
    let split = split::split_and_bind(
        &wasm_dir.join(format!("{merchant}.wasm")),
        &stage.join("split"),
        &merchant,
    )?;
    eprintln!(
        "split {merchant} into its main module and {} chunks",
        split.chunks.len()
    );

    let index = read(&root.join("index.html"))?;
    if !index.contains(COUNTER_BIN) {
        return Err(format!("index.html has no {COUNTER_BIN}"));
    }
    let mut builds = Vec::new();
    for bundle in Bundle::ALL {
        let page = if bundle == Bundle::Merchant {
            // The page, its styles and assets from trunk; the split wasm is added after. Written
            // in a folder of its own: beside a page with no wasm, trunk builds the crate there.
            let dir = root.join(".web");
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let html: String = index
                .lines()
                .filter(|l| !l.contains(COUNTER_BIN))
                .map(|l| {
                    if l.contains("data-trunk") {
                        format!("{}\n", l.replace("href=\"", "href=\"../"))
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            write(&dir.join("index.html"), &html)?;
            ".web/index.html".to_owned()
        } else {
            // trunk resolves the stylesheet from the page's folder: written beside index.html
            // (git ignores them), without the files only the counter's page copies.
            let name = format!(".bundle-{}.html", bundle.name());
            let html: String = index
                .replace(COUNTER_BIN, &format!("data-bin=\"{}\"", bundle.binary()))
                .lines()
                .filter(|l| !l.contains("rel=\"copy-"))
                .map(|l| format!("{l}\n"))
                .collect();
            write(&root.join(&name), &html)?;
            name
        };
        let mut trunk = Command::new("trunk");
        trunk
            .current_dir(&root)
            .args(["build", "--release", "--offline=true", "--dist"])
            .arg(stage.join(bundle.name()))
            .arg(page);
        builds.push((bundle, trunk));
    }
    let at_once = std::thread::available_parallelism().map_or(2, usize::from);
    for batch in builds.chunks_mut(at_once) {
        let children = batch
            .iter_mut()
            .map(|(bundle, cmd)| {
                cmd.stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .map(|child| (*bundle, child))
                    .map_err(|e| format!("trunk: {e} (run scripts/setup.sh)"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (bundle, child) in children {
            let out = child.wait_with_output().map_err(|e| e.to_string())?;
            check(&format!("trunk build of {}", bundle.name()), &out)?;
            eprintln!("built {}", bundle.html());
        }
    }

    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    }
    copy_dir(&stage.join(Bundle::Merchant.name()), &dist)?;
    for bundle in Bundle::ALL.into_iter().filter(|b| *b != Bundle::Merchant) {
        let built = stage.join(bundle.name());
        for entry in std::fs::read_dir(&built).map_err(|e| format!("{}: {e}", built.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let to = if name == "index.html" {
                dist.join(bundle.html())
            } else if name.ends_with(".js") || name.ends_with(".wasm") || name.ends_with(".css") {
                dist.join(name)
            } else {
                continue;
            };
            copy(&path, &to)?;
        }
    }
    for file in split.files() {
        copy(&stage.join("split").join(file), &dist.join(file))?;
    }
    start_split_app(&dist, &split)?;
    let (plain, compressed) = compress_dir(&dist)?;
    eprintln!("compressed {plain} B of text and wasm to {compressed} B (brotli) beside each file");
    Ok(())
}

/// The split (`src/bin/merchant.rs`) holding the screen of each address, by its first segment
/// (`/` leads to the charge screen when signed in).
const SPLIT_OF_SEGMENT: [(&str, &str); 17] = [
    ("", "main"),
    ("charge", "main"),
    ("dashboard", "office"),
    ("history", "office"),
    ("help", "office"),
    ("shift", "office"),
    ("poster", "office"),
    ("receipt", "office"),
    ("settings", "setup"),
    ("integrations", "setup"),
    ("items", "setup"),
    ("login", "onboarding"),
    ("register", "onboarding"),
    ("welcome", "onboarding"),
    ("forgot", "onboarding"),
    ("reset", "onboarding"),
    ("join", "onboarding"),
];

/// Makes `dist/index.html` start the split merchant app (preloading its glue and main module),
/// and the service worker keep every chunk: it fetches them all when it installs, into a
/// cache named for this build (the one of the build before is dropped when it activates).
fn start_split_app(dist: &Path, split: &split::Split) -> Result<(), String> {
    let page = dist.join("index.html");
    let html = read(&page)?;
    let (js, wasm) = (&split.js, &split.wasm);
    let preload = format!(
        "<link rel=\"modulepreload\" href=\"/{js}\"><link rel=\"preload\" href=\"/{wasm}\" \
         as=\"fetch\" type=\"application/wasm\" crossorigin=\"\"></head>"
    );
    // The chunks of the screen the address names are fetched beside the main module, not after
    // it starts: the loader's own fetch then finds them in the preload cache.
    let by_segment: Vec<String> = SPLIT_OF_SEGMENT
        .iter()
        .map(|(segment, split_name)| {
            let files: Vec<String> = split
                .fetches
                .get(*split_name)
                .into_iter()
                .flatten()
                .map(|f| format!("\"{f}\""))
                .collect();
            format!("\"{segment}\":[{}]", files.join(","))
        })
        .collect();
    let start = format!(
        "<script>(()=>{{const m={{{}}};for(const f of m[location.pathname.split(\"/\")[1]]||[]){{\
         const l=document.createElement(\"link\");l.rel=\"preload\";l.as=\"fetch\";\
         l.crossOrigin=\"anonymous\";l.href=\"/\"+f;document.head.appendChild(l)}}}})()</script>\
         <script type=\"module\">import init from \"/{js}\";await init({{module_or_path:\"/{wasm}\"}});</script></body>",
        by_segment.join(",")
    );
    if !html.contains("</head>") || !html.contains("</body>") {
        return Err(format!("{}: no </head> or </body>", page.display()));
    }
    write(
        &page,
        &html
            .replacen("</head>", &preload, 1)
            .replacen("</body>", &start, 1),
    )?;

    // What each split fetches, for the budget bench: {"counter": ["split_counter-….wasm", …]}.
    let manifest: Vec<String> = split
        .fetches
        .iter()
        .map(|(name, files)| {
            let files: Vec<String> = files.iter().map(|f| format!("\"{f}\"")).collect();
            format!("\"{name}\":[{}]", files.join(","))
        })
        .collect();
    write(
        &dist.join("chunks.json"),
        &format!("{{{}}}\n", manifest.join(",")),
    )?;

    let sw_path = dist.join("sw.js");
    let sw = read(&sw_path)?;
    let (cache, list) = ("\"tonle-shell-v1\"", "const PRECACHE = [");
    if !sw.contains(cache) || !sw.contains(list) {
        return Err(format!("{}: no {cache} or {list}", sw_path.display()));
    }
    let build = js
        .trim_end_matches(".js")
        .rsplit('-')
        .next()
        .unwrap_or_default();
    let files: String = split.files().map(|f| format!("\"/{f}\", ")).collect();
    write(
        &sw_path,
        &sw.replacen(cache, &format!("\"tonle-{build}\""), 1)
            .replacen(list, &format!("{list}{files}"), 1),
    )
}

/// Names the server sends compressed: text and wasm (images and fonts are compressed already).
const COMPRESSIBLE: [&str; 8] = [
    "html",
    "js",
    "wasm",
    "css",
    "svg",
    "webmanifest",
    "json",
    "txt",
];

/// Writes `f.br` (brotli, quality 11) and `f.gz` (gzip, level 9) beside every compressible file
/// under `dir`, once at build time, so the server answers `Accept-Encoding` without compressing.
/// Returns the plain and brotli byte totals.
fn compress_dir(dir: &Path) -> Result<(u64, u64), String> {
    use std::io::Write;
    let (mut plain, mut compressed) = (0u64, 0u64);
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            let (p, c) = compress_dir(&path)?;
            plain += p;
            compressed += c;
            continue;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 64 * 1024, 11, 22);
            w.write_all(&bytes).map_err(|e| e.to_string())?;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes).map_err(|e| e.to_string())?;
        let gz = gz.finish().map_err(|e| e.to_string())?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        std::fs::write(path.with_file_name(format!("{name}.br")), &br)
            .map_err(|e| format!("{name}.br: {e}"))?;
        std::fs::write(path.with_file_name(format!("{name}.gz")), &gz)
            .map_err(|e| format!("{name}.gz: {e}"))?;
        plain += bytes.len() as u64;
        compressed += br.len() as u64;
    }
    Ok((plain, compressed))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed: {status}"))
    }
}

fn check(what: &str, out: &Output) -> Result<(), String> {
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let dest = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            copy(&path, &dest)?;
        }
    }
    Ok(())
}

/// The workspace this build runs in, found at run time: a build cache shared by two checkouts
/// may hand one checkout's build of this task to the other, so the path compiled in
/// (`env!("CARGO_MANIFEST_DIR")`) can name the wrong checkout. `cargo run` sets the variable for
/// the process to this checkout's `crates/xtask`; without it, the nearest folder up from the
/// current one whose `Cargo.toml` has a `[workspace]`.
fn workspace_root() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let dir = PathBuf::from(dir);
        if let Some(root) = dir.ancestors().nth(2).filter(|r| is_workspace(r)) {
            return Ok(root.to_path_buf());
        }
    }
    let here = std::env::current_dir().map_err(|e| format!("current dir: {e}"))?;
    here.ancestors()
        .find(|d| is_workspace(d))
        .map(Path::to_path_buf)
        .ok_or_else(|| format!("no workspace Cargo.toml above {}", here.display()))
}

fn is_workspace(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|t| t.contains("[workspace]"))
}

/// A short name for a checkout, from its path.
fn checkout_key(root: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut h);
    format!("{:016x}", h.finish())
}
