//! `assess`: the main job. Assesses one order and prints a readable report
//! (or the machine answer with `--json`), or a batch of orders sorted by
//! urgency.
//!
//! ```text
//! cargo run -p dispute-rules-examples --bin assess                  # built-in sample
//! cargo run -p dispute-rules-examples --bin assess -- --list-samples
//! cargo run -p dispute-rules-examples --bin assess -- --sample quantity_shortage --explain
//! cargo run -p dispute-rules-examples --bin assess -- order.json --now 2026-03-20T12:00:00Z --json
//! cargo run -p dispute-rules-examples --bin assess -- --sample b2b_paypal_supplier_first
//! cargo run -p dispute-rules-examples --bin assess -- supplier.json --customer-order customer.json --customer-dispute dispute.json
//! cargo run -p dispute-rules-examples --bin assess -- --batch examples/data/orders.jsonl --now 2026-03-20T12:00:00Z
//! cargo run -p dispute-rules-examples --bin assess -- --batch examples/data/orders.csv --now 2026-03-20T12:00:00Z --output csv
//! cargo run --release -p dispute-rules-examples --bin assess -- --generate 100000 > big.jsonl
//! ```
//!
//! Exit status: 0 when everything was answered; 1 when the engine refused
//! the order (or, in a batch, any line); 2 for a usage or input error (an
//! unknown option, an unreadable file, input that is not JSON, a CSV header
//! that does not name the columns). A reader that goes away (`| head`) ends
//! the output quietly.

use chrono::{DateTime, Utc};
use dispute_rules::selling::SellingPolicy;
use dispute_rules::{api, Policy};
use dispute_rules_examples::b2b;
use dispute_rules_examples::batch::{self, Batch, Format, Output};
use dispute_rules_examples::generate;
use dispute_rules_examples::report::{self, Context};
use dispute_rules_examples::request::{self, Overrides, PolicyArg};
use dispute_rules_examples::samples::{
    self, Sample, BACK_TO_BACK_SAMPLES, DEFAULT_SAMPLE, SAMPLES,
};
use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: assess [FILE | --sample NAME] [--now RFC3339] [--policy PRESET|FILE] [--json] [--explain]
              [--customer-order FILE [--customer-dispute FILE] [--selling-policy PRESET|FILE]
               [--time-zone ZONE]]
       assess --batch FILE [--format jsonl|csv] [--output table|csv|jsonl] [--now RFC3339]
              [--policy PRESET|FILE] [--top N] [--threads N] [--progress|--no-progress]
       assess --generate N [--format jsonl|csv] [--seed S] [--now RFC3339] [--back-to-back]
       assess --list-samples | --show-policy [--policy PRESET|FILE]

Assesses one order line: can a dispute be opened now, in what window, every
date that matters (Pacific time and UTC) and what to do next. With the
customer's side of the same order (a dropshipper's customer, on PayPal, eBay,
Amazon or a card), assesses both sides back to back: which deadline binds
first, whether the AliExpress route is still open, and the next actions.

  FILE             a request {\"facts\": {...}, \"now\": ..., \"policy\": ..., \"report\": ...}
                   or bare order facts (default: the built-in sample); a request with
                   \"customer_order\" (and \"customer_dispute\") is a back-to-back request
  --sample NAME    a built-in sample (see --list-samples)
  --now T          the moment of evaluation (default: the request's `now`, else the clock)
  --policy P       a preset (aliexpress, aliexpress-legacy) or a policy JSON file
  --json           print the machine answer (api::call(\"assess\", request), or
                   api::call(\"back_to_back\", request)); with --batch, the same as --output jsonl
  --explain        include the plain-English reasoning
  --customer-order FILE    the customer's order with you (JSON): FILE is then the supplier side
  --customer-dispute FILE  the customer's dispute or chargeback (JSON)
  --selling-policy P       the customer side's policy: a preset (paypal, ebay, amazon, stripe,
                           shopify_payments) or a policy JSON file (default: the order's platform)
  --time-zone ZONE         show local times of a back-to-back report in ZONE (IANA name;
                           default: the supplier policy's, America/Los_Angeles)
  --back-to-back   with --generate: records with a customer side too
  --batch FILE     order facts, one per line (JSON lines) or per CSV record; `-` reads stdin;
                   a JSON line may be {\"facts\": ..., \"customer_order\": ..., \"customer_dispute\": ...}
                   and a CSV record may fill the customer_* columns (both sides at once)
  --format F       the batch input (or --generate output) format: jsonl or csv
                   (default: csv for a FILE ending in .csv, else jsonl)
  --output O       batch output: table (most urgent first, then the bad lines, then a
                   summary; the default), csv or jsonl (one row per input record, in
                   input order, bad records as rows with their error; summary on stderr)
  --top N          table: print only the N most urgent lines
  --threads N      batch: JSON lines are judged on N threads (default: every core; the
                   answers and their order are the same whatever N); CSV uses one
  --show-policy    print the policy as JSON (a starting point for your own policy file)
  --generate N     print N generated orders (for --batch)
  --seed S         generator seed (default 1)

Exit status: 0 everything answered; 1 the order was refused (a batch: any line
was); 2 usage or input error (unknown option, unreadable file, not JSON, a CSV
header that does not name the columns).
";

/// The most threads `--threads` takes.
const MAX_THREADS: usize = dispute_rules::limits::MAX_THREADS;

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
    format: Option<Format>,
    output: Option<Output>,
    top: Option<usize>,
    progress: Option<bool>,
    threads: Option<usize>,
    generate: Option<usize>,
    seed: u64,
    customer_order: Option<String>,
    customer_dispute: Option<String>,
    selling_policy: Option<String>,
    time_zone: Option<String>,
    back_to_back: bool,
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
            "--format" => {
                let v = value(&mut it, "--format")?;
                a.format =
                    Some(Format::from_name(&v).ok_or(format!("--format `{v}`: use jsonl or csv"))?);
            }
            "--output" => {
                let v = value(&mut it, "--output")?;
                a.output = Some(
                    Output::from_name(&v)
                        .ok_or(format!("--output `{v}`: use table, csv or jsonl"))?,
                );
            }
            "--top" => {
                let v = value(&mut it, "--top")?;
                a.top = Some(
                    v.parse()
                        .map_err(|_| format!("--top `{v}` is not a count"))?,
                );
            }
            "--threads" => {
                let v = value(&mut it, "--threads")?;
                a.threads = Some(
                    v.parse()
                        .ok()
                        .filter(|n| (1..=MAX_THREADS).contains(n))
                        .ok_or(format!(
                            "--threads `{v}`: use a whole number from 1 to {MAX_THREADS}"
                        ))?,
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
            "--customer-order" => a.customer_order = Some(value(&mut it, "--customer-order")?),
            "--customer-dispute" => {
                a.customer_dispute = Some(value(&mut it, "--customer-dispute")?);
            }
            "--selling-policy" => a.selling_policy = Some(value(&mut it, "--selling-policy")?),
            "--time-zone" => a.time_zone = Some(value(&mut it, "--time-zone")?),
            "--back-to-back" => a.back_to_back = true,
            "--seed" => {
                let v = value(&mut it, "--seed")?;
                a.seed = v
                    .parse()
                    .map_err(|_| format!("--seed `{v}` is not a number"))?;
            }
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option `{s}`")),
            // `-` is stdin (for --batch); elsewhere it is a file name.
            _ if a.file.is_none() => a.file = Some(arg),
            _ => return Err(format!("unexpected argument `{arg}` (one FILE at a time)")),
        }
    }
    if a.file.is_some() && a.sample.is_some() {
        return Err("give a FILE or --sample, not both".into());
    }
    if a.batch.is_none() && (a.output.is_some() || a.top.is_some() || a.threads.is_some()) {
        return Err("--output, --top and --threads go with --batch".into());
    }
    if a.batch.is_none() && a.generate.is_none() && a.format.is_some() {
        return Err("--format goes with --batch or --generate".into());
    }
    if a.batch.is_some() && a.json && a.output.is_some_and(|o| o != Output::Jsonl) {
        return Err("--json with --batch means --output jsonl".into());
    }
    if a.top.is_some() && a.output.is_some_and(|o| o != Output::Table) {
        return Err("--top goes with the table output".into());
    }
    let customer = [
        ("--customer-order", a.customer_order.is_some()),
        ("--customer-dispute", a.customer_dispute.is_some()),
        ("--selling-policy", a.selling_policy.is_some()),
        ("--time-zone", a.time_zone.is_some()),
    ];
    if let Some((flag, _)) = customer.iter().find(|(_, on)| *on) {
        if a.batch.is_some() || a.generate.is_some() || a.show_policy || a.list_samples {
            return Err(format!(
                "{flag} goes with one order (FILE or --sample), not with --batch, --generate, --show-policy or --list-samples"
            ));
        }
    }
    if a.back_to_back && a.generate.is_none() {
        return Err("--back-to-back goes with --generate".into());
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            return match emit(USAGE.as_bytes()) {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            };
        }
        Err(e) => {
            eprintln!("assess: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn fail(e: &str) -> ExitCode {
    eprintln!("assess: {e}");
    ExitCode::from(2)
}

/// Writes to stdout. A reader that went away (`assess ... | head`) is not
/// an error: `Ok(false)`, and the caller stops writing.
fn emit(bytes: &[u8]) -> Result<bool, String> {
    let mut out = io::stdout().lock();
    closed(out.write_all(bytes).and_then(|()| out.flush()))
}

/// `Ok(true)` when written, `Ok(false)` when the reader went away.
fn closed(r: io::Result<()>) -> Result<bool, String> {
    match r {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(format!("writing the output: {e}")),
    }
}

fn run(args: &Args) -> Result<ExitCode, String> {
    if args.list_samples {
        let mut text = String::new();
        for s in SAMPLES {
            let default = if s.name == DEFAULT_SAMPLE {
                " (default)"
            } else {
                ""
            };
            text.push_str(&format!(
                "{:<26} {}{default}  [{}]\n",
                s.name,
                s.title,
                s.rules.join(" ")
            ));
        }
        text.push_str("\nBack to back (the customer's dispute beside the supplier order):\n");
        for s in BACK_TO_BACK_SAMPLES {
            text.push_str(&format!(
                "{:<26} {}  [{}]\n",
                s.name,
                s.title,
                s.rules.join(" ")
            ));
        }
        emit(text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(n) = args.generate {
        let now = args.now.unwrap_or_else(clock);
        let mut out = io::BufWriter::new(io::stdout().lock());
        let r = match (args.format.unwrap_or(Format::Jsonl), args.back_to_back) {
            (Format::Jsonl, false) => generate::write(n, args.seed, now, &mut out),
            (Format::Csv, false) => generate::write_csv(n, args.seed, now, &mut out),
            (Format::Jsonl, true) => generate::write_back_to_back(n, args.seed, now, &mut out),
            (Format::Csv, true) => generate::write_back_to_back_csv(n, args.seed, now, &mut out),
        };
        closed(r)?;
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
        emit(format!("{}\n", p.to_json()).as_bytes())?;
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

/// A built-in sample of either kind.
#[derive(Clone, Copy)]
enum AnySample {
    Supplier(&'static Sample),
    BackToBack(&'static samples::BackToBackSample),
}

fn read(path: &str, what: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{what}`{path}`: {e}"))
}

fn single(args: &Args, policy: Option<PolicyArg>) -> Result<ExitCode, String> {
    let (text, sample): (String, Option<AnySample>) = match (&args.file, &args.sample) {
        (Some(path), _) => (
            std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?,
            None,
        ),
        (None, name) => {
            let name = name.as_deref().unwrap_or(DEFAULT_SAMPLE);
            match (samples::find(name), samples::find_back_to_back(name)) {
                (Some(s), _) => (s.json.to_owned(), Some(AnySample::Supplier(s))),
                (None, Some(s)) => (s.json.to_owned(), Some(AnySample::BackToBack(s))),
                (None, None) => {
                    return Err(format!(
                        "no sample `{name}` (known: {})",
                        SAMPLES
                            .iter()
                            .map(|s| s.name)
                            .chain(BACK_TO_BACK_SAMPLES.iter().map(|s| s.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
            }
        }
    };
    let o = Overrides {
        now: args.now,
        policy,
        explain: args.explain,
        customer_order: args
            .customer_order
            .as_deref()
            .map(|p| read(p, "--customer-order "))
            .transpose()?,
        customer_dispute: args
            .customer_dispute
            .as_deref()
            .map(|p| read(p, "--customer-dispute "))
            .transpose()?,
        selling_policy: selling_policy_arg(args.selling_policy.as_deref())?,
        time_zone: args.time_zone.clone(),
    };
    let req = request::build(&text, &o, clock)?;
    if request::is_back_to_back(&req) {
        let sample = match sample {
            Some(AnySample::BackToBack(s)) => Some(s),
            _ => None,
        };
        return back_to_back(args, &req, sample);
    }
    let sample = match sample {
        Some(AnySample::Supplier(s)) => Some(s),
        _ => None,
    };
    if args.json {
        let answer = api::call("assess", &req);
        emit(format!("{answer}\n").as_bytes())?;
        let ok = answer.starts_with(r#"{"result":"success""#);
        return Ok(if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    match request::assess(&req) {
        Ok((loaded, analysis)) => {
            let text = report::render(&Context {
                loaded: &loaded,
                analysis: &analysis,
                sample,
            });
            emit(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            refused(&e);
            Ok(ExitCode::from(1))
        }
    }
}

fn selling_policy_arg(p: Option<&str>) -> Result<Option<PolicyArg>, String> {
    Ok(match p {
        None => None,
        Some(id) if SellingPolicy::PRESETS.contains(&id) => Some(PolicyArg::Preset(id.to_owned())),
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some(PolicyArg::Json(text)),
            Err(e) => {
                return Err(format!(
                    "--selling-policy `{path}`: not a preset ({}) and not a readable file: {e}",
                    SellingPolicy::PRESETS.join(", ")
                ))
            }
        },
    })
}

/// Reports the engine's refusal on stderr (every problem on its own line).
fn refused(e: &dispute_rules::Error) {
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
}

/// One order's two sides: the back-to-back report, or with `--json` the
/// answer of `api::call("back_to_back", request)`.
fn back_to_back(
    args: &Args,
    req: &str,
    sample: Option<&samples::BackToBackSample>,
) -> Result<ExitCode, String> {
    if args.json {
        let answer = api::call("back_to_back", req);
        emit(format!("{answer}\n").as_bytes())?;
        let ok = answer.starts_with(r#"{"result":"success""#);
        return Ok(if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    match b2b::load(req).and_then(|l| b2b::assess(&l).map(|b| (l, b))) {
        Ok((loaded, answer)) => {
            emit(b2b::render(&loaded, &answer, sample).as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            refused(&e);
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
    let input = if path == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| format!("reading stdin: {e}"))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| format!("{path}: {e}"))?
    };
    let format = args.format.unwrap_or_else(|| Format::of_path(path));
    let output = match (args.output, args.json) {
        (Some(o), _) => o,
        (None, true) => Output::Jsonl,
        (None, false) => Output::Table,
    };
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
    // Lines, as an estimate of the records (CSV: less the header).
    let total = bytecount(&input);
    let tty = io::stderr().is_terminal();
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
    let threads = args.threads.unwrap_or(0);
    let report = |outcomes: &mut dyn Iterator<Item = batch::Outcome>| -> Result<ExitCode, String> {
        let mut tick = |done: usize| {
            if show && done % 1024 == 0 {
                progress.tick(done);
            }
        };
        let tally = match output {
            Output::Table => {
                let mut b = Batch::default();
                for (i, o) in outcomes.enumerate() {
                    b.push(o, now);
                    tick(i + 1);
                }
                b.sort();
                if show {
                    progress.finish(b.rows.len() + b.errors.len());
                }
                let mut text = b.table(now, args.top);
                text.push_str(&b.summary());
                text.push('\n');
                emit(text.as_bytes())?;
                b.tally
            }
            Output::Csv | Output::Jsonl => {
                let mut out = io::stdout().lock();
                let b2b = batch::has_customer_side(&input, format);
                let tally =
                    match batch::write_results(outcomes, output, b2b, now, &mut out, &mut tick) {
                        Ok(t) => t,
                        Err((t, e)) => {
                            // The reader went away: stop quietly (an error otherwise).
                            closed(Err(e))?;
                            return Ok(status(&t));
                        }
                    };
                if show {
                    progress.finish(tally.counts.iter().sum::<usize>() + tally.errors);
                }
                eprintln!("{}", tally.summary());
                tally
            }
        };
        Ok(status(&tally))
    };
    batch::with_outcomes(&input, format, &policy, now, threads, report).map_err(|e| {
        let name = if path == "-" { "stdin" } else { path };
        format!("{name}: {e}")
    })?
}

/// 0 when every line was answered, else 1.
fn status(tally: &batch::Tally) -> ExitCode {
    if tally.all_answered() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn bytecount(input: &[u8]) -> usize {
    input.iter().filter(|b| **b == b'\n').count()
}
