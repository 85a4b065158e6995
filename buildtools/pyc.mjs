// Compile Python sources to .pyc with Pyodide's own CPython 3.12, run under node at build time.
//
//   node buildtools/pyc.mjs <pyodide dir> <jobs.json>
//
// jobs.json: [{"root": "/abs/dir", "mode": "sourceless" | "cached", "prefix": "/lib/python3.12/site-packages",
//              "optimize": 0 | 2 (2: as python -OO compiles, without docstrings and asserts; default 0)}]
//   sourceless: x.py is replaced by x.pyc (smaller; used for the stdlib and vendor packages)
//   cached:     x.py stays and __pycache__/x.cpython-312.pyc is added (tracebacks keep source lines)
// Both are unchecked-hash pycs: the page's file system has no useful mtimes, and the files never
// change under it, so Python loads them without reading or hashing the source.
import fs from "node:fs";

const [pyodideDir, jobsFile] = process.argv.slice(2);
const { loadPyodide: load } = await import(`${pyodideDir}/pyodide.mjs`);
const py = await load({ indexURL: `${pyodideDir}/` });
const jobs = JSON.parse(fs.readFileSync(jobsFile, "utf8"));
py.globals.set("JOBS", JSON.stringify(jobs.map((j, i) => ({ ...j, mount: `/job${i}` }))));
for (const [i, job] of jobs.entries()) {
  py.FS.mkdirTree(`/job${i}`);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: job.root }, `/job${i}`);
}
try {
  py.runPython(`
import json, os, sys
import importlib.util
from importlib._bootstrap_external import _code_to_hash_pyc
assert sys.version_info[:2] == (3, 12), sys.version
count = 0
for job in json.loads(JOBS):
    for here, dirs, files in os.walk(job["mount"]):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(here, name)
            with open(path, "rb") as f:
                source = f.read()
            shown = job["prefix"] + path[len(job["mount"]):]     # the path the page will see
            code = compile(source, shown, "exec", dont_inherit=True, optimize=job.get("optimize", 0))
            data = _code_to_hash_pyc(code, importlib.util.source_hash(source), False)
            if job["mode"] == "sourceless":
                out = path + "c"
                os.remove(path)
            else:
                os.makedirs(os.path.join(here, "__pycache__"), exist_ok=True)
                level = job.get("optimize", 0)       # the name Python looks for at that level
                out = os.path.join(here, "__pycache__", name[:-3] + "." + sys.implementation.cache_tag
                                   + (f".opt-{level}" if level else "") + ".pyc")
            with open(out, "wb") as f:
                f.write(data)
            count += 1
print(f"compiled {count} modules with Python {sys.version.split()[0]} (Pyodide)")
`);
} catch (e) {
  console.error(String(e.message || e).split("\n").slice(-6).join("\n"));
  process.exit(1);
}
