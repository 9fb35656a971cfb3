#!/usr/bin/env python3
"""bench/otel-threads.sh's table: per round, CPU (µs a request) by thread group, young GCs, GC time and
bytes allocated by thread group (a request's share). Usage: otel-threads.py <work dir>."""
import sys, os, re, json, subprocess, collections
W = sys.argv[1]
HZ = os.sysconf('SC_CLK_TCK')
JFR = os.path.join(os.environ.get('JAVA_HOME', '/usr/lib/jvm/temurin-25-jdk-amd64'), 'bin', 'jfr')
def group(name):
    n = name.replace('_', ' ')
    if n.startswith('ForkJoinPool-') or n.startswith('ForkJoinPool'): return 'carriers (FJP workers)'
    if n.startswith('GC Thread') or n.startswith('G1 ') : return 'GC (G1 workers, conc, refine, service)'
    if n.startswith('C1 Compiler') : return 'C1 compiler'
    if n.startswith('C2 Compiler') : return 'C2 compiler'
    if n.startswith('BatchSpanProces'): return 'BatchSpanProcessor'
    if n.startswith('jdkhttp-executo'): return 'OTLP sender: jdkhttp-executor (marshal+send)'
    if n.startswith('HttpClient-'): return 'OTLP sender: HttpClient selector'
    if n.startswith('settlement-writ'): return 'settlement-writer'
    if n.startswith('VM Thread') or n.startswith('VM Periodic') or n.startswith('Service Thread') or n.startswith('Monitor Deflati'): return 'VM (VM Thread, service, periodic)'
    if n.startswith('JFR') : return 'JFR'
    return 'other'
rounds = sorted({f[3:] for f in os.listdir(W) if f.startswith('t1-')}, key=lambda s: int(s.split('-')[0]))
table = collections.OrderedDict(); meta = {}
for L in rounds:
    reqs, p0, p1 = map(int, open(f'{W}/reqs-{L}').read().split())
    t0 = {l.split()[0]: (int(l.split()[1]), l.split()[2]) for l in open(f'{W}/t0-{L}')}
    t1 = {l.split()[0]: (int(l.split()[1]), l.split()[2]) for l in open(f'{W}/t1-{L}')}
    g = collections.Counter(); summ = 0
    for tid, (tk, name) in t1.items():
        d = tk - t0.get(tid, (0, name))[0]; g[group(name)] += d; summ += d
    g['exited threads (process - live)'] += (p1 - p0) - summ
    us = {k: v * 1e6 / HZ / reqs for k, v in g.items()}
    us['TOTAL gateway'] = (p1 - p0) * 1e6 / HZ / reqs
    # GC from jstat: YGC YGCT ... GCT
    j0 = open(f'{W}/jstat0-{L}').read().split(); j1 = open(f'{W}/jstat1-{L}').read().split()
    ygc = int(j1[12]) - int(j0[12]); ygct = float(j1[13]) - float(j0[13]); gct = float(j1[-1]) - float(j0[-1])
    # allocation per thread group (JFR ThreadAllocationStatistics, first vs last)
    alloc = collections.Counter()
    try:
        out = subprocess.run([JFR, 'print', '--json', '--events', 'jdk.ThreadAllocationStatistics', f'{W}/alloc-{L}.jfr'], capture_output=True, text=True).stdout
        ev = json.loads(out)['recording']['events']
        per = collections.defaultdict(list)
        for e in ev:
            th = e['values']['thread']
            key = (th['javaName'] or th.get('osName'), th['javaThreadId'])
            per[key].append((e['values']['startTime'], e['values']['allocated']))
        for (name, _), vals in per.items():
            vals.sort(); alloc[group(name or '')] += vals[-1][1] - (vals[0][1] if len(vals) > 1 else 0)
    except Exception as ex:
        print('jfr', L, ex)
    meta[L] = dict(reqs=reqs, ygc=ygc, ygct_us=ygct * 1e6 / reqs, gct_us=gct * 1e6 / reqs, alloc=alloc, reqs_per_ygc=reqs / max(ygc, 1))
    table[L] = us
keys = sorted({k for v in table.values() for k in v}, key=lambda k: (k.startswith('TOTAL'), -max(t.get(k, 0) for t in table.values())))
print('| thread group (µs CPU / request) | ' + ' | '.join(table) + ' |')
print('|---|' + '---|' * len(table))
for k in keys:
    print(f'| {k} | ' + ' | '.join(f'{table[L].get(k, 0):.1f}' for L in table) + ' |')
print('| young GCs / 1k requests | ' + ' | '.join(f"{1000*meta[L]['ygc']/meta[L]['reqs']:.2f}" for L in table) + ' |')
print('| GC pause time (jstat GCT incl. concurrent) µs/req | ' + ' | '.join(f"{meta[L]['gct_us']:.1f}" for L in table) + ' |')
print('| young pause µs/req | ' + ' | '.join(f"{meta[L]['ygct_us']:.1f}" for L in table) + ' |')
ak = sorted({k for m in meta.values() for k in m['alloc']}, key=lambda k: -max(m['alloc'].get(k, 0) for m in meta.values()))
for k in ak[:6]:
    print(f'| alloc B/req: {k} | ' + ' | '.join(f"{meta[L]['alloc'].get(k, 0)/meta[L]['reqs']:.0f}" for L in table) + ' |')
print('| alloc B/req: TOTAL | ' + ' | '.join(f"{sum(meta[L]['alloc'].values())/meta[L]['reqs']:.0f}" for L in table) + ' |')
print(open(f'{W}/summary').read())
