//! The Dockerfile, without a Docker engine: its stages parse, the dependency
//! stage stubs every target Cargo.toml declares and hides no error, the
//! runtime is non-root with a health check that works in both modes and no
//! curl, `.dockerignore` keeps secrets and build output out of the context —
//! and the dependency stage's own build command, run as written in a temp dir
//! with the real Cargo.toml and Cargo.lock, gets past cargo's manifest and
//! lock-file checks and compiles. (`WB_TEST_DOCKER_STUB_FULL=1` lets that
//! build run to the end: minutes on a small machine.)

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One instruction: keyword and arguments, continuation lines joined.
#[derive(Debug, Clone)]
struct Instruction {
    keyword: String,
    args: String,
}

#[derive(Debug)]
struct Stage {
    base: String,
    name: Option<String>,
    steps: Vec<Instruction>,
}

fn parse(dockerfile: &str) -> Vec<Stage> {
    let mut logical = Vec::new();
    let mut current = String::new();
    for line in dockerfile.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if let Some(body) = trimmed.strip_suffix('\\') {
            current.push_str(body);
            current.push(' ');
        } else {
            current.push_str(trimmed);
            logical.push(std::mem::take(&mut current));
        }
    }
    let mut stages: Vec<Stage> = Vec::new();
    for line in logical {
        let (keyword, args) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
        let keyword = keyword.to_ascii_uppercase();
        let args = args.split_whitespace().collect::<Vec<_>>().join(" ");
        if keyword == "FROM" {
            let words: Vec<&str> = args.split(' ').collect();
            let name = match words.as_slice() {
                [_, as_, name] if as_.eq_ignore_ascii_case("as") => Some(name.to_string()),
                _ => None,
            };
            stages.push(Stage {
                base: words[0].to_string(),
                name,
                steps: Vec::new(),
            });
        } else {
            stages
                .last_mut()
                .expect("an instruction before the first FROM")
                .steps
                .push(Instruction { keyword, args });
        }
    }
    stages
}

/// Paths of the targets Cargo.toml declares (lib, bins, benches).
fn declared_targets(manifest: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut section = String::new();
    let mut name = None;
    let mut path = None;
    let mut flush = |section: &str, name: &mut Option<String>, path: &mut Option<String>| {
        let default = match (section, name.as_deref()) {
            ("[lib]", _) => Some("src/lib.rs".to_string()),
            ("[[bin]]", Some(n)) => Some(format!("src/bin/{n}.rs")),
            ("[[bench]]", Some(n)) => Some(format!("benches/{n}.rs")),
            _ => None,
        };
        if let Some(p) = path.take().or(default) {
            targets.push(p);
        }
        *name = None;
    };
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            flush(&section, &mut name, &mut path);
            section = line.to_string();
            continue;
        }
        let value = |key: &str| {
            line.strip_prefix(key)
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('='))
                .map(|v| v.trim().trim_matches('"').to_string())
        };
        if let Some(v) = value("name") {
            name = Some(v);
        } else if let Some(v) = value("path") {
            path = Some(v);
        }
    }
    flush(&section, &mut name, &mut path);
    targets
}

fn stages() -> Vec<Stage> {
    parse(&read("Dockerfile"))
}

/// The dependency stage's build command: the first RUN after copying only
/// the manifest and the lock file.
fn stub_command(build: &Stage) -> String {
    let copy = build
        .steps
        .iter()
        .position(|s| s.keyword == "COPY" && s.args == "Cargo.toml Cargo.lock ./")
        .expect("the build stage copies Cargo.toml and Cargo.lock alone first");
    build.steps[copy + 1..]
        .iter()
        .find(|s| s.keyword == "RUN")
        .map(|s| s.args.clone())
        .expect("a RUN after copying the manifest")
}

#[test]
fn the_dockerfile_has_a_dependency_layer_that_hides_no_error_and_a_small_runtime() {
    let stages = stages();
    assert_eq!(stages.len(), 2, "{stages:#?}");
    let build = &stages[0];
    assert_eq!(build.name.as_deref(), Some("build"));
    assert!(build.base.starts_with("rust:"), "{}", build.base);

    let stub = stub_command(build);
    assert!(
        !stub.contains("|| true"),
        "a failing stub build must fail the image"
    );
    assert!(
        stub.contains("cargo build --release --locked --bin wb"),
        "{stub}"
    );
    for target in declared_targets(&read("Cargo.toml")) {
        assert!(
            stub.contains(&format!("> {target}")) || stub.contains(&format!("touch {target}")),
            "the stub does not create {target}, a target Cargo.toml declares: {stub}"
        );
    }
    // The application build copies what it reads, and rebuilds the crate.
    let copies: Vec<&str> = build
        .steps
        .iter()
        .filter(|s| s.keyword == "COPY")
        .map(|s| s.args.as_str())
        .collect();
    for needed in ["src src", "migrations migrations"] {
        assert!(copies.contains(&needed), "{copies:?}");
    }
    let last_run = build
        .steps
        .iter()
        .rev()
        .find(|s| s.keyword == "RUN")
        .expect("RUN");
    assert!(
        last_run.args.starts_with("touch src/main.rs src/lib.rs"),
        "{}",
        last_run.args
    );

    let runtime = &stages[1];
    let step = |k: &str| -> Vec<&Instruction> {
        runtime.steps.iter().filter(|s| s.keyword == k).collect()
    };
    let all = runtime
        .steps
        .iter()
        .map(|s| s.args.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!all.contains("curl") && !all.contains("apt-get"), "{all}");
    let user = &step("USER")[0].args;
    assert!(
        !user.starts_with("root") && !user.starts_with('0'),
        "runs as {user}"
    );
    let health = &step("HEALTHCHECK")[0].args;
    assert!(
        health.contains(r#"CMD ["/usr/local/bin/wb", "healthcheck"]"#),
        "{health}"
    );
    let env = step("ENV")
        .iter()
        .map(|s| s.args.clone())
        .collect::<Vec<_>>()
        .join(" ");
    // The health check asks WB_ADMIN_LISTEN, which both modes serve.
    assert!(env.contains("WB_ADMIN_LISTEN=0.0.0.0:9090"), "{env}");
    assert!(env.contains("DATABASE_URL=sqlite:///data/wb.db"), "{env}");
    assert!(step("EXPOSE")[0].args.contains("9090"));
    assert_eq!(step("ENTRYPOINT")[0].args, r#"["/usr/local/bin/wb"]"#);
}

#[test]
fn the_dockerignore_keeps_secrets_output_and_extra_targets_out() {
    let ignore = read(".dockerignore");
    let patterns: Vec<&str> = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    for wanted in [".env", "target", ".git", "fuzz", "bench", "benches"] {
        assert!(
            patterns.contains(&wanted),
            "{wanted} missing from .dockerignore"
        );
    }
    for kept in ["src", "migrations", "Cargo.toml", "Cargo.lock"] {
        assert!(!patterns.contains(&kept), "{kept} is needed by the build");
    }
}

/// Kills the process group `pid` leads (the cargo build and its rustc children).
#[cfg(unix)]
fn kill_group(pid: u32) {
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{pid}")])
        .status();
}

#[cfg(unix)]
#[test]
fn the_dependency_stage_build_command_runs_in_a_temp_dir() {
    use std::os::unix::process::CommandExt;

    let stub = stub_command(&stages()[0]);
    let dir = tempfile::tempdir().expect("temp dir");
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::copy(root().join(file), dir.path().join(file)).expect(file);
    }
    let full = std::env::var("WB_TEST_DOCKER_STUB_FULL").is_ok_and(|v| v == "1");
    let mut child = Command::new("sh")
        .args(["-c", &stub])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", dir.path().join("target"))
        .env("CARGO_TERM_COLOR", "never")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("run the stub build");
    let stderr = child.stderr.take().expect("stderr");
    let started = Instant::now();
    let mut seen = String::new();
    let mut compiling = false;
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        seen.push_str(&line);
        seen.push('\n');
        if line.trim_start().starts_with("Compiling") || line.trim_start().starts_with("Finished") {
            compiling = true;
            if !full {
                // Past the manifest, the targets and the lock file: the rest
                // is compiling dependencies, which the test suite builds too.
                kill_group(child.id());
                break;
            }
        }
        if started.elapsed() > Duration::from_secs(if full { 3_600 } else { 600 }) {
            kill_group(child.id());
            panic!("the stub build took too long:\n{seen}");
        }
    }
    let status = child.wait().expect("wait");
    assert!(compiling, "the stub build failed before compiling:\n{seen}");
    if full {
        assert!(status.success(), "{seen}");
        assert!(Path::new(&dir.path().join("target/release/wb")).exists());
    }
}

#[test]
fn compose_runs_two_replicas_on_one_postgres_on_two_ports() {
    let mut doc: yaml_serde::Value = yaml_serde::from_str(&read("compose.yaml")).expect("YAML");
    doc.apply_merge().expect("merge keys");
    let services = &doc["services"];
    assert!(
        services["db"]["image"]
            .as_str()
            .is_some_and(|i| i.starts_with("postgres")),
        "a PostgreSQL service"
    );
    let mut ports = Vec::new();
    for replica in ["wb1", "wb2"] {
        let s = &services[replica];
        assert_eq!(
            s["environment"]["DATABASE_URL"].as_str(),
            Some("postgres://wb:wb@db:5432/wb"),
            "{replica} shares the database"
        );
        assert_eq!(s["build"].as_str(), Some("."), "{replica} is this wb");
        assert_eq!(
            s["depends_on"]["db"]["condition"].as_str(),
            Some("service_healthy")
        );
        let first = s["ports"][0].as_str().expect("a port").to_string();
        assert!(first.ends_with(":3000"), "{first}");
        ports.push(first);
    }
    assert_ne!(ports[0], ports[1], "two ports");
}
