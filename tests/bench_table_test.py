#!/usr/bin/env python3
"""Tests of the benchmark table (benches/bench-table.py): which figures count as met, missed or
not judged, and what the summary line says. Run by scripts/test.sh:

    python3 tests/bench_table_test.py
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "benches", "bench-table.py")


def native(year_100k=0.12, year_1m=1.4, scaling=10.5):
    row = lambda population, year: {
        "population": population, "year_s": year, "cpu_s": year, "init_s": 0.1 * year,
        "day_mean_ms": 1.0, "day_max_ms": 2.0,
    }
    return {"populations": [row(100_000, year_100k), row(1_000_000, year_1m)], "scaling": scaling}


def wasm(ratio_1m=1.25, paired_native_1m=1.4, ratio_100k=1.2, paired_native_100k=0.12):
    row = lambda population, ratio, paired: {
        "population": population, "year_s": ratio * paired, "ratio": ratio,
        "native_year_s": paired, "native": [{"year_s": paired}],
    }
    return [row(100_000, ratio_100k, paired_native_100k), row(1_000_000, ratio_1m, paired_native_1m)]


PAGE = {
    "default": {"population": 100_000, "yearsPerSecond": 2.0, "longTasks": 0, "longestTaskMs": 0},
    "million": {
        "progressValues": 80, "maxFrameGapMs": 33, "longTasks": 0, "longestTaskMs": 0, "daysPerSecond": 90,
        "setup": {"longTasks": 0, "longestTaskMs": 0},
    },
}


def table(parts, steal=None):
    """Runs the table on a directory holding `parts` (name -> JSON) and, if given, marks whose
    steal is `steal` (part -> per cent). Returns its output."""
    with tempfile.TemporaryDirectory() as out:
        for name, data in parts.items():
            with open(os.path.join(out, f"{name}.json"), "w") as f:
                json.dump(data, f)
        if steal is not None:
            with open(os.path.join(out, "cpu.txt"), "w") as f:
                total = stolen = 0
                f.write(f"start {total} {stolen}\n")
                for part in ("native", "memory", "wasm", "page"):
                    total += 1000
                    stolen += 10 * steal.get(part, 0)
                    f.write(f"{part} {total} {stolen}\n")
        result = subprocess.run([sys.executable, TABLE, out], capture_output=True, text=True, check=True)
        return result.stdout


def status(output, measure):
    """The status column of the first row whose measure starts with `measure`."""
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith(measure):
            return cells[3]
    raise AssertionError(f"no row {measure!r} in:\n{output}")


class BenchTable(unittest.TestCase):
    def test_every_target_met(self):
        out = table({"native": native(), "memory": {"bytes_per_resident": 45.3}, "wasm": wasm(), "page": PAGE})
        self.assertIn("every target met (of 9 targets measured in this run)", out)

    def test_each_miss_is_counted(self):
        out = table({"native": native(year_1m=1.6, scaling=11.5), "wasm": wasm(ratio_1m=1.45)})
        self.assertEqual(status(out, "year of status_quo, 1,000,000"), "NOT MET")
        self.assertEqual(status(out, "scaling"), "NOT MET")
        self.assertEqual(status(out, "wasm (Node) year, 1,000,000"), "NOT MET")
        self.assertIn("1 target met, 3 not met, 0 not judged", out)

    def test_a_wasm_pass_under_host_drift_is_not_judged(self):
        # The paired native years took 1.9 s against the native part's 1.4 s: x1.36 drift.
        out = table({"native": native(), "wasm": wasm(ratio_1m=1.15, paired_native_1m=1.9)})
        self.assertTrue(status(out, "wasm (Node) year, 1,000,000").startswith("not judged"))
        self.assertEqual(status(out, "wasm (Node) year, 100,000"), "met")
        self.assertNotIn("every target met", out)
        self.assertIn("1 not judged", out)

    def test_a_wasm_miss_under_host_drift_is_still_a_miss(self):
        out = table({"native": native(), "wasm": wasm(ratio_1m=1.45, paired_native_1m=1.9)})
        self.assertEqual(status(out, "wasm (Node) year, 1,000,000"), "NOT MET")

    def test_misses_under_steal_are_pointed_out(self):
        out = table({"native": native(year_1m=2.0), "wasm": wasm()}, steal={"native": 12, "wasm": 1})
        self.assertIn("1 of the misses came in parts where the host's steal was above 5%", out)
        self.assertIn("host steal while each part ran: native 12%, memory 0%, wasm 1%", out)
        quiet = table({"native": native(year_1m=2.0), "wasm": wasm()}, steal={"native": 1})
        self.assertNotIn("of the misses came", quiet)


if __name__ == "__main__":
    unittest.main()
