// The Collect panel: label drawings, keep them in this browser, export and import them.
// Python builds and validates samples; this file only stores bytes and moves files.
const $ = (id) => document.getElementById(id);
const KEY = "digitpad.samples";
const EMPTY = JSON.stringify({ format: "digitpad-samples", version: 1, samples: [] });
const LABELS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "not-digit"];

export function setupCollect({ call, isReady, note }) {
  const msg = (t) => { $("collect-message").textContent = t; };
  const stored = () => { try { return localStorage.getItem(KEY) || EMPTY; } catch { return EMPTY; } };

  function save(text) {
    try { localStorage.setItem(KEY, text); return true; } catch (e) {
      msg(`Could not store the sample: this browser's storage is full or blocked (${e.name}). ` +
          "Your drawing is still on the pad; export your samples to free space.");
      return false;
    }
  }

  async function refresh() {
    if (!isReady()) return;
    const r = await call("count_samples", { stored: stored() });
    if (r.error) { msg(`Stored samples are unreadable: ${r.error}`); return; }
    const parts = LABELS.filter((l) => r.counts[l]).map((l) => `${l === "not-digit" ? "not a digit" : l}: ${r.counts[l]}`);
    const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
    $("collect-counts").textContent = total ? `${total} stored (${parts.join(", ")})` : "No samples stored yet.";
    $("collect-counts").dataset.total = String(total);
  }

  for (const label of LABELS) {
    const b = document.createElement("button");
    b.type = "button";
    b.id = `collect-${label === "not-digit" ? "not" : label}`;
    b.textContent = label === "not-digit" ? "Not a digit" : label;
    b.setAttribute("aria-label", label === "not-digit" ? "Store as not a digit" : `Store as digit ${label}`);
    b.onclick = async () => {
      if (!isReady()) { msg("Still loading."); return; }
      const r = await call("sample", { label });
      if (r.error) { msg(r.error); return; }
      const doc = JSON.parse(stored());
      doc.samples.push(r.sample);
      if (save(JSON.stringify(doc))) { msg(`Stored as ${b.textContent}.`); await refresh(); }
    };
    $("collect-buttons").appendChild(b);
  }

  $("collect-export").onclick = () => {
    const blob = new Blob([stored()], { type: "application/json" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `digitpad-samples-${new Date().toISOString().slice(0, 10)}.json`;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    msg("Exported.");
  };

  $("collect-import").onchange = async (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file || !isReady()) return;
    const r = await call("import_samples", { stored: stored(), text: await file.text() });
    if (r.error) { msg(`${file.name} was not imported: ${r.error}. Nothing stored was changed.`); return; }
    if (save(r.samples)) { msg(`Imported ${r.added} new samples from ${file.name}.`); await refresh(); }
  };

  $("collect-clear").onclick = async () => {
    if (!confirm("Delete all stored samples? Export them first if you want to keep them.")) return;
    try { localStorage.removeItem(KEY); } catch { /* nothing stored */ }
    msg("Stored samples deleted.");
    await refresh();
  };

  return { refresh };   // the app calls refresh() once Python is ready
}
