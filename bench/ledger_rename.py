"""Shared by bench/counters-ab.py and bench/settle-spend-ab.py: a migration's (or an experiment's)
SQL functions renamed, to install beside a database's own for a function-level A/B."""
import re


def renamed(path, names, prefix, count):
    """The CREATE FUNCTION statements of the file at path (count of them), each a plain CREATE
    FUNCTION, with ledger_<name> renamed <prefix>_<name> for every name in names ("a|b|c")."""
    src = open(path).read()
    fns = re.findall(r"CREATE (?:OR REPLACE )?FUNCTION .*?\n\$\$;\n", src, re.S)
    assert len(fns) == count, len(fns)
    out = []
    for f in fns:
        f = re.sub(r"^CREATE (OR REPLACE )?FUNCTION", "CREATE FUNCTION", f)
        out.append(re.sub(r"\bledger_(" + names + r")\b", prefix + r"_\1", f))
    return out


def none_left(text, names):
    """True if no ledger_<name> of names remains in text."""
    return not re.search(r"\bledger_(" + names + r")\b", text)
