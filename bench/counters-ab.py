# Writes V136's functions (V136__ledger_counters_in_one_place.sql) renamed v136_* (ledger_draw ->
# v136_draw, ledger_move_counters -> v136_move_counters, ...), to install beside a database
# migrated only to V135, where ledger_draw is V134's, ledger_write_batch V133's and ledger_settle
# V128's (with V130's settings). Used by bench/counters-ab.sh. Usage: python3 bench/counters-ab.py OUT
import sys

from ledger_rename import none_left, renamed

M = "gateway-postgres/src/main/resources/db/migration/"
names = "move_counters|draw_spend|draw|write_batch|settle|release"
text = "\n".join(renamed(M + "V136__ledger_counters_in_one_place.sql", names, "v136", 6))
assert "ledger_kind_rank" in text and none_left(text, names)
open(sys.argv[1], "w").write(text)
