//! `assess`: the main job. Assesses one order and prints a readable report
//! (or the machine answer with `--json`), or a batch of orders sorted by
//! urgency.
//!
//! ```text
//! cargo run -p dispute-rules-examples --bin assess                  # built-in sample
//! cargo run -p dispute-rules-examples --bin assess -- --list-samples
//! cargo run -p dispute-rules-examples --bin assess -- --sample quantity_shortage --explain
//! cargo run -p dispute-rules-examples --bin assess -- order.json --now 2026-03-20T12:00:00Z --json
//! cargo run -p dispute-rules-examples --bin assess -- --batch examples/data/orders.jsonl --now 2026-03-20T12:00:00Z
//! cargo run --release -p dispute-rules-examples --bin assess -- --generate 100000 > big.jsonl
//! ```

use chrono::{DateTime, Utc};
use dispute_rules::{api, Policy};
use dispute_rules_examples::batch::{self, Options};
use dispute_rules_examples::generate;
use dispute_rules_examples::report::{self, Context};
use dispute_rules_examples::request::{self, Overrides, PolicyArg};
use dispute_rules_examples::samples::{self, Sample, DEFAULT_SAMPLE, SAMPLES};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: assess [FILE | --sample NAME] [--now RFC3339] [--policy PRESET|FILE] [--json] [--explain]
       assess --batch FILE.jsonl [--now RFC3339] [--policy PRESET|FILE] [--json] [--top N] [--progress|--no-progress]
       assess --generate N [--seed S] [--now RFC3339]
       assess --list-samples | --show-policy [--policy PRESET|FILE]

Assesses one order line: can a dispute be opened now, in what window, every
date that matters (Pacific time and UTC) and what to do next.

  FILE             a request {\"facts\": {...}, \"now\": ..., \"policy\": ..., \"report\": ...}
                   or bare order facts (default: the built-in sample)
  --sample NAME    a built-in sample (see --list-samples)
  --now T          the moment of evaluation (default: the request's `now`, else the clock)
  --policy P       a preset (aliexpress, aliexpress-legacy) or a policy JSON file
  --json           print the machine answer (api::call(\"assess\", request))
  --explain        include the plain-English reasoning
  --batch FILE     JSON lines of order facts, printed most urgent first, with a summary
  --top N          batch: print only the N most urgent lines
  --show-policy    print the policy as JSON (a starting point for your own policy file)
  --generate N     print N lines of generated facts (for --batch)
  --seed S         generator seed (default 1)
";

#[derive(Debug, Default)]
struct Args {
    file: Option<String>,
    sample: Option<String>,
    list_samples: bool,
    now: Option<DateTime<Utc>>,
    policy: Option<String>,
    json: bool,
    explain: bool,
    show_policy: bool,
    batch: Option<String>,
    top: Option<usize>,
    progress: Option<bool>,
    generate: Option<usize>,
    seed: u64,
}

/// The wall clock (the example may read it; the engine never does). Through
/// `SystemTime`, so chrono's `clock` feature (and its time-zone database
/// lookup) stays out of the build.
fn clock() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        seed: 1,
        ..Args::default()
    };
    let value = |it: &mut dyn Iterator<Item = String>, flag: &str| {
        it.next().ok_or(format!("{flag} needs a value"))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--sample" => a.sample = Some(value(&mut it, "--sample")?),
            "--list-samples" => a.list_samples = true,
            "--now" => {
                let v = value(&mut it, "--now")?;
                let t = DateTime::parse_from_rfc3339(&v).map_err(|e| {
                    format!("--now `{v}`: {e} (use RFC 3339, like 2026-03-20T12:00:00Z)")
                })?;
                a.now = Some(t.with_timezone(&Utc));
            }
            "--policy" => a.policy = Some(value(&mut it, "--policy")?),
            "--json" => a.json = true,
            "--explain" => a.explain = true,
            "--show-policy" => a.show_policy = true,
            "--batch" => a.batch = Some(value(&mut it, "--batch")?),
            "--top" => {
                let v = value(&mut it, "--top")?;
                a.top = Some(
                    v.parse()
                        .map_err(|_| format!("--top `{v}` is not a count"))?,
                );
            }
            "--progress" => a.progress = Some(true),
            "--no-progress" => a.progress = Some(false),
            "--generate" => {
                let v = value(&mut it, "--generate")?;
                a.generate = Some(
                    v.parse()
                        .map_err(|_| format!("--generate `{v}` is not a count"))?,
                );
            }
            "--seed" => {
                let v = value(&mut it, "--seed")?;
                a.seed = v
                    .parse()
                    .map_err(|_| format!("--seed `{v}` is not a number"))?;
            }
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option `{s}`")),
            _ if a.file.is_none() => a.file = Some(arg),
            _ => return Err(format!("unexpected argument `{arg}` (one FILE at a time)")),
        }
    }
    if a.file.is_some() && a.sample.is_some() {
        return Err("give a FILE or --sample, not both".into());
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("assess: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("assess: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<ExitCode, String> {
    if args.list_samples {
        for s in SAMPLES {
            let default = if s.name == DEFAULT_SAMPLE {
                " (default)"
            } else {
                ""
            };
            println!(
                "{:<26} {}{default}  [{}]",
                s.name,
                s.title,
                s.rules.join(" ")
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(n) = args.generate {
        let now = args.now.unwrap_or_else(clock);
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        generate::write(n, args.seed, now, &mut out).map_err(|e| format!("writing: {e}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let policy = policy_arg(args.policy.as_deref())?;
    if args.show_policy {
        let p = match &policy {
            None => Policy::aliexpress(),
            Some(PolicyArg::Preset(id)) => {
                Policy::preset(id).ok_or_else(|| format!("unknown preset `{id}`"))?
            }
            Some(PolicyArg::Json(t)) => {
                Policy::from_json(t).map_err(|e| format!("--policy: {e}"))?
            }
        };
        println!("{}", p.to_json());
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(path) = &args.batch {
        return run_batch(args, path, policy);
    }
    single(args, policy)
}

fn policy_arg(p: Option<&str>) -> Result<Option<PolicyArg>, String> {
    Ok(match p {
        None => None,
        Some(id) if Policy::PRESETS.contains(&id) => Some(PolicyArg::Preset(id.to_owned())),
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some(PolicyArg::Json(text)),
            Err(e) => {
                return Err(format!(
                    "--policy `{path}`: not a preset ({}) and not a readable file: {e}",
                    Policy::PRESETS.join(", ")
                ))
            }
        },
    })
}

fn single(args: &Args, policy: Option<PolicyArg>) -> Result<ExitCode, String> {
    let (text, sample): (String, Option<&Sample>) = match (&args.file, &args.sample) {
        (Some(path), _) => (
            std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?,
            None,
        ),
        (None, name) => {
            let name = name.as_deref().unwrap_or(DEFAULT_SAMPLE);
            let s = samples::find(name).ok_or_else(|| {
                format!(
                    "no sample `{name}` (known: {})",
                    SAMPLES
                        .iter()
                        .map(|s| s.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            (s.json.to_owned(), Some(s))
        }
    };
    let o = Overrides {
        now: args.now,
        policy,
        explain: args.explain,
    };
    let req = request::build(&text, &o, clock)?;
    if args.json {
        let answer = api::call("assess", &req);
        println!("{answer}");
        let ok = answer.starts_with(r#"{"result":"success""#);
        return Ok(if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    match request::assess(&req) {
        Ok((loaded, analysis)) => {
            print!(
                "{}",
                report::render(&Context {
                    loaded: &loaded,
                    analysis: &analysis,
                    sample
                })
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let problems = e.problems();
            if problems.len() > 1 {
                eprintln!(
                    "assess: {} ({} problems):",
                    e.kind().as_str(),
                    problems.len()
                );
                for p in problems {
                    eprintln!("  {p}");
                }
            } else {
                eprintln!("assess: {e}");
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// A progress line on stderr: redrawn in place on a terminal, or a plain
/// line every 25% otherwise (large files only, so CI logs stay clean).
struct Progress {
    total: usize,
    tty: bool,
    start: Instant,
    last: Instant,
    quarter: usize,
}

impl Progress {
    fn tick(&mut self, done: usize) {
        let mut err = std::io::stderr().lock();
        if self.tty {
            if self.last.elapsed() >= Duration::from_millis(100) {
                self.last = Instant::now();
                let pct = done * 100 / self.total.max(1);
                let _ = write!(err, "\rassessing: {done}/{} lines ({pct}%)", self.total);
            }
        } else {
            let q = done * 4 / self.total.max(1);
            if q > self.quarter {
                self.quarter = q;
                let _ = writeln!(err, "assessing: {done}/{} lines ({}%)", self.total, q * 25);
            }
        }
    }

    fn finish(&self, lines: usize) {
        let secs = self.start.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { lines as f64 / secs } else { 0.0 };
        let clear = if self.tty { "\r\x1b[2K" } else { "" };
        eprintln!(
            "{clear}assessed {lines} lines in {secs:.3} s ({:.0} lines/s, parsing included)",
            rate
        );
    }
}

/// Lines from which a file counts as large (progress even off a terminal).
const LARGE: usize = 50_000;
/// Lines from which a terminal shows progress.
const TTY_MIN: usize = 2_000;

fn run_batch(args: &Args, path: &str, policy: Option<PolicyArg>) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let policy = match policy {
        None => Policy::aliexpress(),
        Some(PolicyArg::Preset(id)) => {
            Policy::preset(&id).ok_or_else(|| format!("unknown preset `{id}`"))?
        }
        Some(PolicyArg::Json(t)) => Policy::from_json(&t).map_err(|e| format!("--policy: {e}"))?,
    };
    let now = match args.now {
        Some(n) => n,
        None => {
            let n = clock();
            eprintln!(
                "assess: now = {} (the clock; pass --now to fix it)",
                n.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            );
            n
        }
    };
    let total = text.lines().count();
    let tty = std::io::stderr().is_terminal();
    let show = args
        .progress
        .unwrap_or(total >= LARGE || (tty && total >= TTY_MIN));
    let start = Instant::now();
    let mut progress = Progress {
        total,
        tty,
        start,
        last: start,
        quarter: 0,
    };
    let opts = Options {
        keep_json: args.json,
        progress_every: if show { 1024 } else { 0 },
    };
    let b = batch::run(&text, &policy, now, opts, |done| progress.tick(done));
    if show {
        progress.finish(total);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let body = if args.json {
        b.json_lines()
    } else {
        b.table(now, args.top)
    };
    let _ = out.write_all(body.as_bytes());
    if !args.json {
        let _ = writeln!(out, "{}", b.summary());
    } else {
        eprintln!("{}", b.summary());
    }
    let _ = out.flush();
    // Bad lines are reported above and in the summary; the batch itself ran.
    Ok(ExitCode::SUCCESS)
}
