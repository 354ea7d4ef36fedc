#!/usr/bin/env python3
"""Runs one documented block and compares its standard output with the
output the document shows after it.

    check_block.py PROGRAM BLOCK WHERE [EXPECTED_FILE]

WHERE is "docs/GUIDE.md:123", for the messages. Without EXPECTED_FILE the
document shows no output for the block, so the block must print nothing: a
printed result a reader cannot see checked is a result that can drift.
"""

import difflib
import subprocess
import sys


def main(argv):
    if len(argv) not in (4, 5):
        sys.exit(__doc__)
    program, block, where = argv[1:4]
    run = subprocess.run([program, block], stdout=subprocess.PIPE, timeout=240)
    out = run.stdout.decode("utf-8", errors="replace")
    if run.returncode != 0:
        sys.stdout.write(out)
        sys.exit(f"{where}: the block exited with status {run.returncode}")
    if len(argv) == 4:
        if out:
            sys.stdout.write(out)
            sys.exit(f"{where}: the block prints the output above, but the document shows none "
                     "(put a ```text block right after it)")
        print(f"{where}: ran, prints nothing")
        return
    with open(argv[4], encoding="utf-8") as f:
        expected = f.read()
    if out != expected:
        diff = difflib.unified_diff(expected.splitlines(keepends=True), out.splitlines(keepends=True),
                                    f"{where} (the document's ```text block)", f"{block} (what it prints)")
        sys.stdout.writelines(diff)
        if out.rstrip("\n") == expected.rstrip("\n"):
            print("(only the newlines at the end differ)")
        sys.exit(f"{where}: the output differs from the document's (diff above)")
    print(f"{where}: output as shown ({len(out.splitlines())} lines)")


if __name__ == "__main__":
    main(sys.argv)
