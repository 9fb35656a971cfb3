# Writes V136's functions (V136__ledger_counters_in_one_place.sql) renamed v136_* (ledger_draw ->
# v136_draw, ledger_move_counters -> v136_move_counters, ...), to install beside a database
# migrated only to V135, where ledger_draw is V134's, ledger_write_batch V133's and ledger_settle
# V128's (with V130's settings). Used by bench/counters-ab.sh. Usage: python3 bench/counters-ab.py OUT
import re
import sys

M = "gateway-postgres/src/main/resources/db/migration/"
src = open(M + "V136__ledger_counters_in_one_place.sql").read()
names = "move_counters|draw_spend|draw|write_batch|settle|release"
fns = re.findall(r"CREATE (?:OR REPLACE )?FUNCTION .*?\n\$\$;\n", src, re.S)
assert len(fns) == 6, len(fns)
out = []
for f in fns:
    f = re.sub(r"^CREATE (OR REPLACE )?FUNCTION", "CREATE FUNCTION", f)
    f = re.sub(r"\bledger_(" + names + r")\b", r"v136_\1", f)
    out.append(f)
text = "\n".join(out)
assert "ledger_kind_rank" in text and not re.search(r"\bledger_(" + names + r")\b", text)
open(sys.argv[1], "w").write(text)
