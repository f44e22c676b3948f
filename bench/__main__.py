"""`make bench`: run every benchmark and print one JSON document.

    python -m bench                          every benchmark, with its defaults
    python -m bench import [options]         the Annex A import (bench/import_bench.py)
    python -m bench programme [options]      sampling, allocation and compliance
                                             (bench/programme_bench.py; --quick for a small run)
    python -m bench report [options]         the highlight report as HTML, PDF, Word, Excel
                                             (bench/report_bench.py; --quick for a small run)
    python -m bench cohort [options]         cohort evaluation and profile
                                             (bench/cohort_bench.py; --quick for a small run)
    python -m bench importing [options]      pages' writes during a SQLite import, and the
                                             memory to refuse a workbook's headings
                                             (bench/while_importing.py)
    python -m bench indicators [options]     every performance indicator for one snapshot at
                                             scales 1 and 50 against a floor
                                             (bench/indicators_bench.py; --quick for a small run)
    python -m bench load [options]           50 signed-in auditors for 60 s under gunicorn on
                                             PostgreSQL: requests/s, p50/p95/p99, errors, lost
                                             autosaves (bench/load_bench.py)

Options with no benchmark named are the import benchmark's, as they always were.
"""

import json
import sys

from bench import (
    cohort_bench,
    import_bench,
    indicators_bench,
    load_bench,
    programme_bench,
    report_bench,
    while_importing,
)

BENCHMARKS = {
    "import": import_bench.run,
    "programme": programme_bench.run,
    "report": report_bench.run,
    "cohort": cohort_bench.run,
    "importing": while_importing.run,
    "indicators": indicators_bench.run,
    "load": load_bench.run,
}


def main() -> None:
    argv = sys.argv[1:]
    if argv and argv[0] in BENCHMARKS:
        chosen, options = [argv[0]], argv[1:]
    elif argv:
        chosen, options = ["import"], argv
    else:
        chosen, options = list(BENCHMARKS), []
    results = {name: BENCHMARKS[name](options) for name in chosen}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
