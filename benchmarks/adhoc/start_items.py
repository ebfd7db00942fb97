import gc, json, re, sys, time, typer
gc.disable()
from jiaokan import cli, pinyintable
def best(f, n=7):
    b = 1e9
    for _ in range(n):
        t = time.perf_counter(); f(); b = min(b, time.perf_counter() - t)
    return b * 1000
def lazy_diff():
    g = cli.command_group(); g.get_command(typer.Context(g), "diff")
print(f"typer, all seven commands built (before): {best(lambda: typer.main.get_command(cli.app)):.1f} ms")
print(f"typer, the group and diff only (after):   {best(lazy_diff):.1f} ms")
path = pinyintable.path()
def full():
    d = json.loads(open(path, encoding="utf-8").read()); {int(k): v for k, v in d.items()}
def lookups():
    r = pinyintable.Readings(open(path, "rb").read()); [r.get(c) for c in range(0x4e00, 0x4e00 + 40)]
print(f"pinyin table parsed whole (before): {best(full):.1f} ms")
print(f"pinyin file read + 40 lookups (after): {best(lookups):.1f} ms")
srcs = [r"[\u3400-\u9fff]", r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\uf8ff\ufff0-\uffff\u0370-\u1fff\u2c00-\u2dff\ua000-\uabff]",
        r"[^\s\x20-\x7e\xa0-\u04ff\u2000-\u27bf\u3000-\u312f\u3400-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"]
import importlib
n = importlib.import_module("jiaokan.normalize")
srcs.append(n._ANGLE.pattern_source)
def comp():
    re.purge(); [re.compile(s) for s in srcs]
print(f"the four patterns deferred, compiled: {best(comp):.1f} ms")
