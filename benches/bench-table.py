#!/usr/bin/env python3
"""The table of `bash scripts/bench.sh`: each figure beside its target, a summary line, and the
host's steal while each part ran.

    python3 benches/bench-table.py DIR

DIR holds what the parts wrote: native.json (cargo bench --bench sim), memory.json (cargo bench
--bench memory), wasm.json (benches/wasm-bench.mjs), page.json (benches/page-bench.mjs), any of
them missing when that part was skipped; cpu.txt, one line per mark of bench.sh ("PART TOTAL
STEAL", /proc/stat ticks); and a file "pgo" when the native figures come from the PGO build.
Tested by tests/bench_table_test.py.
"""
import json, os, sys

out = sys.argv[1]
def load(name):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.exists(path) else None

native, memory, wasm, page = load("native.json"), load("memory.json"), load("wasm.json"), load("page.json")
build = "PGO build" if os.path.exists(os.path.join(out, "pgo")) else "release build"
# Steal: the share of this machine's processor time that the host gave to other machines while
# each part ran. Above a few per cent that part's figures are slowed by the host, not the code.
# At 0% they may still be: a neighbour's load on the shared caches and memory does not show here.
marks = []
if os.path.exists(os.path.join(out, "cpu.txt")):
    marks = [(n, int(t), int(st)) for n, t, st in (l.split() for l in open(os.path.join(out, "cpu.txt")))]
steal = {}
for (_, t0, s0), (name, t1, s1) in zip(marks, marks[1:]):
    if name in ("native", "memory", "wasm", "page") and t1 > t0:
        steal[name] = 100 * (s1 - s0) / (t1 - t0)
BUSY_STEAL = 5

rows = []  # (measure, value, target, status, part)
def row(what, value, target, met, part, not_judged=None):
    """A row of the table; `met` is None for a figure without a target, and `not_judged` the
    reason a figure with one is not judged."""
    status = f"not judged: {not_judged}" if not_judged else "—" if met is None else "met" if met else "NOT MET"
    rows.append((what, value, target, status, part))

by_pop = {r["population"]: r for r in (native or {}).get("populations", [])}
small, large = by_pop.get(100000), by_pop.get(1000000)
if small:
    row(f"year of status_quo, 100,000 residents, native ({build})", f"{small['year_s']:.3f} s (cpu {small['cpu_s']:.3f})", "", None, "native")
if large:
    row(f"year of status_quo, 1,000,000 residents, native ({build})", f"{large['year_s']:.3f} s (cpu {large['cpu_s']:.3f})", "<= 1.5 s", large["year_s"] <= 1.5, "native")
    row("  of which building the region", f"{large['init_s']:.3f} s", "", None, "native")
    row("  one simulated day: mean / slowest", f"{large['day_mean_ms']:.1f} / {large['day_max_ms']:.1f} ms", "", None, "native")
ratio = (native or {}).get("scaling")
if small and large and ratio:
    row("scaling: 1,000,000 over 100,000 residents (paired runs)", f"x{ratio:.2f}", "<= x11", ratio <= 11, "native")
if memory:
    row("peak RSS per resident, 1,000,000 residents", f"{memory['bytes_per_resident']:.1f} B", "<= 96 B", memory["bytes_per_resident"] <= 96, "memory")
# A wasm/native ratio counts as met only if the host ran the paired native CLI years at about
# the speed it ran the native part's years (the same year in-process, minutes earlier). When the
# host slows between the parts, its contention on the shared caches and memory slows the native
# year (which relies on prefetching) more than the wasm year, and the ratio comes out low: once
# the paired CLI years took about 2.46 s against the native part's 1.40 s and the
# 1,000,000-resident ratio read x1.15, where pairs on a quieter host read x1.4
# (docs/PERFORMANCE.md, section 1).
# A ratio above the target under such drift is still a miss.
DRIFT_LIMIT = 1.15
for w in wasm or []:
    ratio = w.get("ratio")
    if ratio:
        in_native_part = by_pop.get(w["population"])
        drift = w["native_year_s"] / in_native_part["year_s"] if in_native_part else None
        flattered = drift is not None and drift > DRIFT_LIMIT and ratio <= 1.3
        row(f"wasm (Node) year, {w['population']:,} residents (paired with native runs, {build})",
            f"{w['year_s']:.3f} s = x{ratio:.2f} native", "<= x1.3", ratio <= 1.3, "wasm",
            not_judged=f"paired native years took x{drift:.2f} of the native part's" if flattered else None)
        if drift is not None:
            row("  host drift: paired native CLI years over the native part's year", f"x{drift:.2f}", f"<= x{DRIFT_LIMIT} for a pass", None, "wasm")
    natives = w.get("native") or []
    if len(natives) == 2:
        pgo, plain = natives
        row("  the same over the plain release build (no PGO)", f"x{plain['ratio']:.2f}", "", None, "wasm")
        row(f"  native CLI year, {w['population']:,} residents: PGO build / plain build (same pairs)", f"{pgo['year_s']:.3f} / {plain['year_s']:.3f} s, paired x{1 / plain['over_first']:.2f}", "", None, "wasm")
if page:
    d = page.get("default")
    if d:
        row(f"page, default region ({d['population']:,} residents): simulated years per second", f"{d['yearsPerSecond']:.2f}", ">= 1", d["yearsPerSecond"] >= 1, "page")
        row("page, default region: main-thread tasks >= 50 ms during the run", f"{d['longTasks']} (longest {d['longestTaskMs']:.0f} ms)", "none", d["longTasks"] == 0, "page")
    m = page.get("million")
    if m:
        ok = m["progressValues"] >= 3 and m["maxFrameGapMs"] < 200
        row("page, 1,000,000 residents: progress values shown / longest frame gap", f"{m['progressValues']} / {m['maxFrameGapMs']:.0f} ms", "progress, responsive", ok, "page")
        row("page, 1,000,000 residents: main-thread tasks >= 50 ms (set-up + run)", f"{m['setup']['longTasks'] + m['longTasks']} (longest {max(m['setup']['longestTaskMs'], m['longestTaskMs']):.0f} ms)", "none", m['setup']['longTasks'] + m['longTasks'] == 0, "page")
        row("page, 1,000,000 residents: simulated days per second", f"{m['daysPerSecond']:.0f}", "", None, "page")

w = [max(len(r[i]) for r in rows + [("measure", "value", "target", "status")]) for i in range(4)]
line = lambda r: "| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(r)) + " |"
print()
print(line(("measure", "value", "target", "status")))
print("|" + "|".join("-" * (x + 2) for x in w) + "|")
for r in rows:
    print(line(r[:4]))
judged = [r[3] for r in rows if r[3] in ("met", "NOT MET")]
unjudged = sum(1 for r in rows if r[3].startswith("not judged"))
summary = "every target met" if judged and all(j == "met" for j in judged) and not unjudged else \
    f"{judged.count('met')} target{'' if judged.count('met') == 1 else 's'} met, {judged.count('NOT MET')} not met, {unjudged} not judged"
print(f"\n{summary} (of {len(judged) + unjudged} targets measured in this run)")
busy = sum(1 for r in rows if r[3] == "NOT MET" and steal.get(r[4], 0) > BUSY_STEAL)
if busy:
    print(f"{busy} of the misses came in parts where the host's steal was above {BUSY_STEAL}%: rerun when it is quiet")
print(f"load average at the end: {os.getloadavg()[0]:.2f} (2 cores shared with other work: timings move with it)")
if steal:
    print("host steal while each part ran: " + ", ".join(f"{k} {v:.0f}%" for k, v in steal.items())
          + " (0% on a quiet host; caches and memory shared with other machines do not show here)")
