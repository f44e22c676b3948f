"""`make bench`: run every benchmark and print one JSON document."""

import json
import sys

from bench import import_bench


def main() -> None:
    results = {"import": import_bench.run(sys.argv[1:])}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
