#!/usr/bin/env bash
# Runs the benchmarks behind docs/BENCHMARKS.md: installs the peer AD
# libraries autodiff_bench compares with (Debian packages; idempotent, needs
# root or sudo like setup.sh), builds the release preset, runs dispatch_bench,
# unary_math_bench, autodiff_bench, vmap_bench, random_bench, jit_bench and jet_bench with
# 5 repetitions each (jit_bench a second time, in part, under
# OMP_NUM_THREADS=1), and writes
# build/bench/<bench>.json plus the tables (medians, ratios) to
# build/bench/tables.md. Extra arguments go to every benchmark program, e.g.
#   scripts/bench.sh --benchmark_filter='grad/'
# Set FLUXION_BENCH_ONLY="autodiff_bench" to run a subset of the programs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

peers=(
  libadolc-dev                                # ADOL-C
  libeigen3-dev                               # Eigen's AutoDiffScalar
  libceres-dev                                # Ceres' Jet (header-only)
  libtrilinos-sacado-dev                      # Sacado, whose headers also need
  libtrilinos-kokkos-dev libtrilinos-teuchos-dev  # Kokkos' and Teuchos' (Debian omits the dependency)
  libtorch-dev                                # libtorch's autograd
)
missing=()
for p in "${peers[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing benchmark peers: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

programs=(${FLUXION_BENCH_ONLY:-dispatch_bench unary_math_bench autodiff_bench vmap_bench random_bench jit_bench jet_bench})
# The cache may hold FLUXION_BENCH_PEERS=OFF from a quicker build.
cmake --preset release -DFLUXION_BENCH_PEERS=ON >/dev/null
cmake --build --preset release -j "$(nproc)" --target "${programs[@]}"

out=build/bench
mkdir -p "$out"
lscpu > "$out/lscpu.txt"
for b in "${programs[@]}"; do
  echo "=== $b ==="
  # Medians of 5 repetitions: the machines this runs on are shared and noisy.
  # Not --benchmark_enable_random_interleaving: ADOL-C's benchmarks must run
  # smallest first (bench/peers/adolc.cpp).
  # autodiff_bench has ~50 benchmarks: 0.2 s a repetition keeps it to ~2 min.
  min_time=()
  [[ $b == autodiff_bench ]] && min_time=(--benchmark_min_time=0.2)
  # vmap_bench: ~35 benchmarks of 1 ms to 7 s an iteration; ~3 min in all.
  [[ $b == vmap_bench ]] && min_time=(--benchmark_min_time=0.2)
  # jit_bench: ~60 benchmarks, ~3.5 min with the OMP_NUM_THREADS=1 pass (its
  # programs are compiled outside the timed loops, into jit's disk cache).
  [[ $b == jit_bench ]] && min_time=(--benchmark_min_time=0.2)
  "./build/release/bench/$b" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true "${min_time[@]}" \
    --benchmark_out="$out/$b.json" --benchmark_out_format=json "$@"
  if [[ $b == jit_bench ]]; then
    # The parallel loops again with OpenMP's thread count set by the
    # environment rather than by omp_set_num_threads (the "_omp1" rows).
    echo "=== jit_bench, OMP_NUM_THREADS=1 ==="
    OMP_NUM_THREADS=1 "./build/release/bench/$b" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
      "${min_time[@]}" --benchmark_filter='^(ackley/d:100000|rational|openmp)/' \
      --benchmark_out="$out/jit_bench_omp1.json" --benchmark_out_format=json "$@"
  fi
done

python3 - "$out" > "$out/tables.md" <<'PY'
"""Markdown tables of medians and ratios from build/bench/*.json."""
import json
import os
import re
import sys

out = sys.argv[1]
SCALE = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def load(name):
    path = os.path.join(out, name + ".json")
    if not os.path.exists(path):
        return None, {}
    with open(path) as f:
        doc = json.load(f)
    runs = {}
    for b in doc["benchmarks"]:
        if b.get("run_type") != "aggregate" or b.get("aggregate_name") not in ("median", "cv"):
            continue
        key = re.sub(r"(/iterations:\d+)?/(real_time|manual_time)$", "", b["run_name"])
        entry = runs.setdefault(key, {})
        if b["aggregate_name"] == "cv":
            entry["cv"] = b["real_time"]  # a fraction, whatever the unit
        else:
            entry["ns"] = b["real_time"] * SCALE[b["time_unit"]]
            entry["cpu_ns"] = b["cpu_time"] * SCALE[b["time_unit"]]
            entry["items"] = b.get("items_per_second")
            entry["label"] = b.get("label", "")
    return doc["context"], runs


def fmt(ns):
    if ns is None:
        return "—"
    for unit, s in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= s:
            return f"{ns / s:.3g} {unit}"
    return f"{ns:.3g} ns"


def ratio(a, b):
    return "—" if a is None or b is None else f"{a / b:.3g}×"


def cv(e):
    return f"{100 * e['cv']:.1f}%" if e and "cv" in e else "—"


ctx, runs = load("dispatch_bench")
if runs:
    print("### Eager dispatch (dispatch_bench)\n")
    print(f"{ctx['date']}, {ctx['num_cpus']} CPUs at {ctx['mhz_per_cpu']} MHz, load {ctx.get('load_avg')}\n")
    print("| benchmark | median | cv |")
    print("|---|---:|---:|")
    for k, e in runs.items():
        print(f"| {k} | {fmt(e.get('ns'))} | {cv(e)} |")
    print()

ctx, runs = load("unary_math_bench")
if runs:
    print("### Unary math on 10^6 elements (unary_math_bench)\n")
    print(f"{ctx['date']}, load {ctx.get('load_avg')}\n")
    print("| function | dtype | Fluxion | SLEEF -march=native | Fluxion / SLEEF time | cv (F, S) |")
    print("|---|---|---:|---:|---:|---:|")
    for fn in ("exp", "sin", "tanh"):
        for dt in ("f64", "f32"):
            a = runs.get(f"BM_Fluxion_{dt}/{fn}")
            b = runs.get(f"BM_SleefNative_{dt}/{fn}")
            if not a or not b:
                continue
            label = b.get("label") or ""
            print(f"| {fn} | {dt} | {fmt(a['ns'])} | {fmt(b['ns'])} ({label}) | {ratio(a['ns'], b['ns'])} "
                  f"| {cv(a)}, {cv(b)} |")
    print()

ctx, runs = load("autodiff_bench")
if runs:
    table = {}  # task -> contender -> d -> entry
    for k, e in runs.items():
        task, d, who = k.split("/")
        table.setdefault(task, {}).setdefault(who, {})[int(d.removeprefix("d:"))] = e
    print("### Ackley: eager autodiff against the hand-written derivative (autodiff_bench)\n")
    print(f"{ctx['date']}, load {ctx.get('load_avg')}, peers built: {ctx.get('peers', '?')}\n")
    for task, title in (("f", "f(x)"), ("grad", "gradient"), ("hessian", "Hessian")):
        if task not in table:
            continue
        dims = sorted({d for per in table[task].values() for d in per})
        hand = table[task].get("hand", {})
        print(f"#### {title}: median time, and ratio to the hand-written {title} at the same d\n")
        print("| contender | " + " | ".join(f"d = {d}" for d in dims) + " |")
        print("|---|" + "---:|" * len(dims))
        for who, per in table[task].items():
            cells = []
            for d in dims:
                e = per.get(d)
                if not e or "ns" not in e:
                    cells.append("—")
                    continue
                h = hand.get(d, {}).get("ns")
                cells.append(f"{fmt(e['ns'])} ({ratio(e['ns'], h)}, cv {cv(e)})")
            print(f"| {who} | " + " | ".join(cells) + " |")
        print()
    if "grad" in table and "f" in table:
        dims = sorted(table["f"].get("hand", {}))
        print("#### gradient / own eager f(x), same d\n")
        print("| contender | " + " | ".join(f"d = {d}" for d in dims) + " |")
        print("|---|" + "---:|" * len(dims))
        for who in table["f"]:
            cells = [ratio(table["grad"].get(who, {}).get(d, {}).get("ns"), table["f"][who].get(d, {}).get("ns"))
                     for d in dims]
            print(f"| {who} | " + " | ".join(cells) + " |")
        print()

ctx, runs = load("vmap_bench")
if runs:
    # Counters (batched_ops) are not kept by load(): read them from the JSON.
    with open(os.path.join(out, "vmap_bench.json")) as f:
        ops = {b["run_name"].removesuffix("/real_time"): b["batched_ops"]
               for b in json.load(f)["benchmarks"] if "batched_ops" in b and b.get("aggregate_name") == "median"}
    table = {}  # contender -> task -> entry
    for k, e in runs.items():
        task, who = k.split("/")
        table.setdefault(who, {})[task] = e
    tasks = (("f", "f"), ("d1", "f′ = vmap(grad(f))"), ("d2", "f″ = vmap(grad(grad(f)))"))
    print("### vmap over 10^6 points: seed 001's rational function (vmap_bench)\n")
    print(f"{ctx['date']}, load {ctx.get('load_avg')}, peers built: {ctx.get('peers', '?')}\n")
    print("Median wall time per call (10^6 points), ns per point, ratio to `hand` (library flags) "
          "and to `hand_native` (-march=native); CPU time in brackets where the load inflated wall time.\n")
    print("| contender | " + " | ".join(t for _, t in tasks) + " |")
    print("|---|" + "---:|" * len(tasks))
    for who, per in table.items():
        if who.startswith("fluxion_") and who not in ("fluxion_seed", "fluxion_horner"):
            continue  # the op/ rows below
        cells = []
        for task, _ in tasks:
            e = per.get(task)
            if not e or "ns" not in e:
                cells.append("—")
                continue
            h = table.get("hand", {}).get(task, {}).get("ns")
            hn = table.get("hand_native", {}).get(task, {}).get("ns")
            n_ops = ops.get(f"{task}/{who}")
            extra = f", {int(n_ops)} batched ops" if n_ops else ""
            cells.append(f"{fmt(e['ns'])} [{fmt(e['cpu_ns'])}] ({e['ns'] / 1e6:.3g} ns/pt; {ratio(e['ns'], h)}, "
                         f"{ratio(e['ns'], hn)} native; cv {cv(e)}{extra})")
        print(f"| {who} | " + " | ".join(cells) + " |")
    print()
    print("| one Fluxion primitive on 10^6 float64 | median | CPU | cv |")
    print("|---|---:|---:|---:|")
    for k, e in runs.items():
        if k.startswith("op/"):
            print(f"| {k} | {fmt(e['ns'])} | {fmt(e['cpu_ns'])} | {cv(e)} |")
    print()

ctx, runs = load("jit_bench")
if runs:
    _, omp1 = load("jit_bench_omp1")
    # The baseline of each group: every row's ratio is its median / the baseline's.
    base = {"ackley/d:3": "f_hand", "ackley/d:100000": "f_hand", "ackley_hessian/d:100": "f_hand",
            "rational/d1": "hand", "rational/d2": "hand", "process/ackley_grad_d3": "empty",
            "dispatch/0d": "eager", "openmp/n:10000000": "hand", "gmm/d:2_K:5": "objective_hand",
            "gmm/d:10_K:25": "objective_hand"}
    print("### jit (jit_bench)\n")
    print(f"{ctx['date']}, load {ctx.get('load_avg')}, OpenMP threads by default: {ctx.get('omp_max_threads')}, "
          f"jit cache {ctx.get('jit_cache')}\n")
    print("| benchmark | median | CPU | cv | ÷ baseline | |")
    print("|---|---:|---:|---:|---:|---|")
    for k, e in runs.items():
        group, who = k.rsplit("/", 1)
        b = base.get(group)
        bn = runs.get(f"{group}/{b}", {}).get("ns") if b else None
        extra = ""
        if group.startswith("rational/"):
            extra = f"{e['ns'] / 1e6:.3g} ns/pt"
        if group.startswith("process/") and who != "empty" and who != "cxx_version" and bn is not None:
            extra = f"minus empty: {fmt(e['ns'] - bn)}" if who == "disk_hit" else ""
        if k in omp1:
            extra += f"{'; ' if extra else ''}OMP_NUM_THREADS=1: {fmt(omp1[k]['ns'])}"
        r = ratio(e.get("ns"), bn) if b and who != b else ("baseline" if b else "—")
        print(f"| {k} | {fmt(e.get('ns'))} | {fmt(e.get('cpu_ns'))} | {cv(e)} | {r} | {extra} |")
    print()

    def ns(k):
        return runs.get(k, {}).get("ns")

    def rel(a, b):
        return None if ns(a) is None or ns(b) is None else ns(a) / ns(b)

    def diff(a, b):
        return None if ns(a) is None or ns(b) is None else ns(a) - ns(b)

    def per_point(k):
        return None if ns(k) is None else ns(k) / 1e6

    A3, A5, H, P = "ackley/d:3/", "ackley/d:100000/", "ackley_hessian/d:100/", "process/ackley_grad_d3/"
    targets = [  # (what, measured, limit, unit)
        ("Ackley gradient, d = 3: Compiled::call ÷ plain f", rel(A3 + "grad_jit_call", A3 + "f_hand"), 1.5, "×"),
        ("Ackley gradient, d = 3: jit(grad(f))(x)", ns(A3 + "grad_jit"), 500, "ns"),
        ("Ackley gradient, d = 100000: jit(grad(f))(x) ÷ plain f", rel(A5 + "grad_jit", A5 + "f_hand"), 0.15, "×"),
        ("  same, Compiled::call ÷ plain f", rel(A5 + "grad_jit_call", A5 + "f_hand"), 0.15, "×"),
        ("  same, one OpenMP thread", rel(A5 + "grad_jit_omp1", A5 + "f_hand"), 0.15, "×"),
        ("Ackley Hessian, d = 100: jit(hessian(f))(x) ÷ plain f", rel(H + "hessian_jit", H + "f_hand"), 30, "×"),
        ("f′ = jit(vmap(grad(f))), Horner form, ns per point", per_point("rational/d1/jit_horner"), 1.0, "ns"),
        ("  seed's form (float_power)", per_point("rational/d1/jit_seed"), 1.0, "ns"),
        ("f″ = jit(vmap(grad(grad(f)))), Horner form, ns per point", per_point("rational/d2/jit_horner"), 1.5, "ns"),
        ("  seed's form (float_power)", per_point("rational/d2/jit_seed"), 1.5, "ns"),
        ("cold compile of Ackley's gradient", ns("compile/ackley_grad_d3/cold"), 300e6, "ns"),
        ("disk-cache hit in a new process (process time − empty process)", diff(P + "disk_hit", P + "empty"), 5e6, "ns"),
        ("  the child's own lower().compile() time", ns(P + "disk_hit_inside"), 5e6, "ns"),
        ("cached dispatch of a 0-d jit(x * x)", ns("dispatch/0d/jit"), 300, "ns"),
    ]
    print("| target | measured | limit | |")
    print("|---|---:|---:|---|")
    for what, got, limit, unit in targets:
        if got is None:
            print(f"| {what} | — | | not run |")
            continue
        shown, lim = (f"{got:.3g}×", f"{limit:g}×") if unit == "×" else (fmt(got), fmt(limit))
        print(f"| {what} | {shown} | {lim} | {'met' if got <= limit else f'missed by {got / limit:.3g}×'} |")
    print()
    o = "openmp/n:10000000/"
    if ns(o + "jit") and ns(o + "jit_omp1"):
        line = (f"OpenMP speed-up, sin(x) * x + exp(-x * x) on 10^7 float64: {ns(o + 'jit_omp1') / ns(o + 'jit'):.2f}× "
                f"(omp_set_num_threads(1) {fmt(ns(o + 'jit_omp1'))}, default {fmt(ns(o + 'jit'))})")
        if o + "jit" in omp1:
            line += f"; OMP_NUM_THREADS=1 process: {fmt(omp1[o + 'jit']['ns'])}, {omp1[o + 'jit']['ns'] / ns(o + 'jit'):.2f}×"
        print(line + "\n")
PY
echo "Tables: $out/tables.md"
cat "$out/tables.md"
