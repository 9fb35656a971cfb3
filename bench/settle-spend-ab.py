# Writes the experiment's functions (bench/experiments/settle-spend-in-one-place.sql, written as a
# migration V138 and not merged) renamed v138_*
# (ledger_settle_spend -> v138_settle_spend, ledger_write_batch -> v138_write_batch, ledger_settle
# -> v138_settle), to install beside a database migrated only to V137, where ledger_write_batch and
# ledger_settle are V136's. ledger_move_counters and ledger_draw_spend (V136) are called as they are.
# Used by bench/settle-spend-ab.sh. Usage: python3 bench/settle-spend-ab.py OUT
import sys

from ledger_rename import none_left, renamed

names = "settle_spend|write_batch|settle"
out = renamed("bench/experiments/settle-spend-in-one-place.sql", names, "v138", 3)
# The experiment v138t_write_batch (pair wbt, not V138): the JSON settles read by
# jsonb_to_recordset straight into the base types ledger_settle_spend takes, instead of
# jsonb_populate_record into spend_log's row type (domains checked there) and then array_agg.
wb = [f for f in out if f.startswith("CREATE FUNCTION v138_write_batch(")][0]
a = wb.index("      FROM (SELECT array_agg(i.reservation_id) AS ids")
b = wb.index("        v138_settle_spend(c.ids")
cols = ("reservation_id text, request_id text, key_id text, user_id text, team_id text, model text,"
        " deployment_id text, input_tokens bigint, output_tokens bigint, cache_read_tokens bigint,"
        " cache_write_tokens bigint, usage_source text, cost_nanos bigint, status text,"
        " error_type text, latency_ms bigint, started_at timestamptz, ended_at timestamptz")
agg = wb[a:b]
head = agg[:agg.index("              FROM jsonb_array_elements(v_settles) e,")]
agg_t = head + "              FROM jsonb_to_recordset(v_settles) AS i(" + cols + ")) c,\n"
wbt = wb.replace(agg, agg_t).replace("FUNCTION v138_write_batch(", "FUNCTION v138t_write_batch(")
assert "jsonb_to_recordset" in wbt
out.append(wbt)
text = "\n".join(out)
assert "ledger_move_counters" in text and "ledger_draw_spend" in text
assert none_left(text, names)
open(sys.argv[1], "w").write(text)
