#!/usr/bin/env python3
"""Generate a large, valid mignet dataset folder for scale benchmarks.

A network of ORGS organisations reporting against INDICATORS indicators (3 priorities, 10 outcomes each)
over PERIODS yearly periods; each organisation reports on PER_ORG indicators a period, about a third of
them jointly with one or two partners, half with a children disaggregation, some with provinces.

  gen_network.py OUT_DIR [--orgs 60] [--indicators 300] [--periods 10] [--per-org 50] [--seed 1] [--open-last]

With --open-last the last period is open, so that figures can be created and changed in it (the benchmark's
one-figure edit); otherwise every period is closed.

Deterministic for a given seed. The format is the one of examples/thailand-2022 (docs/dataset-format.md);
if that format changes, this generator must follow it.
"""
import argparse, os, random

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--orgs", type=int, default=60)
p.add_argument("--indicators", type=int, default=300)
p.add_argument("--periods", type=int, default=10)
p.add_argument("--per-org", type=int, default=50)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--open-last", action="store_true")
a = p.parse_args()
rnd = random.Random(a.seed)
os.makedirs(os.path.join(a.out, "periods"), exist_ok=True)
provinces = ["TH-10", "TH-50", "TH-71", "TH-52", "TH-63", "TH-90", "TH-20", "TH-30"]

orgs = [f"ORG{i:03d}" for i in range(a.orgs)]
with open(os.path.join(a.out, "network.toml"), "w") as f:
    f.write('[network]\ncode = "NET-SCALE"\nname = "Scale Test Network on Migration"\n'
            'short_name = "Scale Network"\ncountry = "TH"\n\n')
    for o in orgs:
        f.write(f'[[organisation]]\ncode = "{o}"\nshort_name = "{o}"\nname = "Organisation {o}"\nkind = "un_agency"\n\n')
    f.write(f'[[role]]\nrole = "coordinator"\norganisation = "{orgs[0]}"\n')

inds = []
with open(os.path.join(a.out, "framework.toml"), "w") as f:
    f.write('[framework]\nversion = "1"\ntitle = "Scale framework"\n\n')
    for pi in range(1, 4):
        f.write(f'[[priority]]\ncode = "P{pi}"\ntitle = "Priority {pi} of the scale network"\n\n')
    n_out = 30
    for oi in range(n_out):
        pcode = f"P{oi % 3 + 1}"
        f.write(f'[[outcome]]\ncode = "{pcode}.O{oi}"\npriority = "{pcode}"\nstatement = "Outcome {oi}: migrants are better off in respect {oi}."\n\n')
    for ii in range(a.indicators):
        oi = ii % n_out
        ocode = f"P{oi % 3 + 1}.O{oi}"
        code = f"{ocode}.I{ii:03d}"
        dis = ii % 2 == 0
        inds.append((code, ocode, dis))
        f.write(f'[[indicator]]\ncode = "{code}"\noutcome = "{ocode}"\n'
                f'statement = "Number of migrants reached by activity {ii}"\nunit = "migrants"\nkind = "count"\n')
        if dis:
            f.write('disaggregations = [ { key = "children", label = "children" } ]\n')
        f.write(f'gcm = [{ii % 23 + 1}]\n\n')

for y in range(2024 - a.periods + 1, 2025):
    d = os.path.join(a.out, "periods", str(y))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "period.toml"), "w") as f:
        f.write(f'[period]\ncode = "{y}"\ntitle = "Results {y}"\nstarts = "{y}-01-01"\nends = "{y}-12-31"\n'
                f'status = "{"open" if a.open_last and y == 2024 else "closed"}"\nframework = "1"\nintroduction = """The network\'s results in {y}."""\n')
    first_by_outcome = {}
    with open(os.path.join(d, "figures.toml"), "w") as f:
        n = 0
        for o in orgs:
            for (code, ocode, dis) in rnd.sample(inds, min(a.per_org, len(inds))):
                n += 1
                fid = f"F-{n:06d}"
                partners = [o]
                if rnd.random() < 0.33:
                    partners += rnd.sample([x for x in orgs if x != o], rnd.choice([1, 2]))
                v = rnd.randint(10, 100000)
                f.write(f'[[figure]]\nid = "{fid}"\nindicator = "{code}"\norganisations = [{", ".join(chr(34)+x+chr(34) for x in partners)}]\nvalue = {v}\n')
                if dis:
                    f.write(f'disaggregation = {{ children = {rnd.randint(0, v)} }}\n')
                if rnd.random() < 0.2:
                    f.write(f'places = [{", ".join(chr(34)+x+chr(34) for x in rnd.sample(provinces, 2))}]\n')
                f.write('status = "approved"\n\n')
                first_by_outcome.setdefault(ocode, fid)
    with open(os.path.join(d, "highlights.toml"), "w") as f:
        for ocode, fid in first_by_outcome.items():
            f.write(f'[[line]]\noutcome = "{ocode}"\nfigures = ["{fid}"]\ntext = "**{{{fid}}} migrants reached** in {y}."\n\n')
print(f"{a.out}: {a.orgs} organisations, {a.indicators} indicators, {a.periods} periods, "
      f"{a.orgs * a.per_org * a.periods} figures")
