// The Collect panel: label drawings, keep them in this browser, export and import them.
// Python (in the worker) makes and checks samples and store.js keeps them there: big imports
// and exports never touch this thread. Other tabs' changes arrive on a BroadcastChannel.
import { CHANNEL } from "./store.js";

const $ = (id) => document.getElementById(id);
const LABELS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "not-digit"];
const OLD_KEY = "digitpad.samples";        // where versions before IndexedDB kept samples

export function setupCollect({ collect, isReady, onStored = () => {} }) {
  const msg = (t) => { $("collect-message").textContent = t; };
  let waitingFile = null;                  // an import chosen before Python was ready

  function showCounts(counts) {
    const parts = LABELS.filter((l) => counts[l]).map((l) => `${l === "not-digit" ? "not a digit" : l}: ${counts[l]}`);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    $("collect-counts").textContent = total ? `${total} stored (${parts.join(", ")})` : "No samples stored yet.";
    $("collect-counts").dataset.total = String(total);
  }

  function answer(r) {                     // every reply carries the counts, or says why not
    if (r.counts) showCounts(r.counts);
    if (r.error && r.storage) {
      $("collect-counts").textContent = r.error;
      $("collect-counts").dataset.total = "unavailable";
    }
    return r;
  }

  async function refresh() {
    if (!isReady()) return;
    answer(await collect("counts"));
  }

  async function importFile(file) {
    msg(`Importing ${file.name}…`);
    const r = answer(await collect("import", { file }));
    if (r.error) { msg(`${file.name} was not imported: ${r.error}. Nothing stored was changed.`); return; }
    const dup = r.in_file - r.added;
    msg(`Imported ${r.added} new samples from ${file.name}` + (dup ? ` (${dup} already stored or repeated).` : "."));
  }

  for (const label of LABELS) {
    const b = document.createElement("button");
    b.type = "button";
    b.id = `collect-${label === "not-digit" ? "not" : label}`;
    b.textContent = label === "not-digit" ? "Not a digit" : label;
    b.setAttribute("aria-label", label === "not-digit" ? "Store as not a digit" : `Store as digit ${label}`);
    b.onclick = async () => {
      if (!isReady()) { msg("Still loading."); return; }
      const r = answer(await collect("store", { label }));
      if (r.error) msg(r.storage ? `${r.error} Your drawing is still on the pad.` : r.error);
      else {
        msg(r.added ? `Stored as ${b.textContent}.` : `Already stored as ${b.textContent}.`);
        onStored(label);                  // and the page learns it, as the fix buttons do
      }
    };
    $("collect-buttons").appendChild(b);
  }

  $("collect-export").onclick = async () => {
    if (!isReady()) { msg("Still loading."); return; }
    const r = await collect("export");
    if (r.error) { msg(`Nothing was exported: ${r.error}`); return; }
    const a = document.createElement("a");
    a.href = URL.createObjectURL(r.blob);
    a.download = `digitpad-samples-${new Date().toISOString().slice(0, 10)}.json`;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    msg(`Exported ${r.exported} samples.` + (r.damaged ? ` ${r.damaged} damaged stored samples were left out.` : ""));
  };

  $("collect-import").onchange = async (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    if (!isReady()) { waitingFile = file; msg(`digitpad is still loading: ${file.name} will be imported as soon as it is ready.`); return; }
    await importFile(file);
  };

  $("collect-clear").onclick = async () => {
    if (!confirm("Delete all stored samples? Export them first if you want to keep them.")) return;
    const r = answer(await collect("delete"));
    msg(r.error ? `Nothing was deleted: ${r.error}` : "Stored samples deleted.");
  };

  if (typeof BroadcastChannel === "function") new BroadcastChannel(CHANNEL).onmessage = () => refresh();

  return {
    async ready() {
      await refresh();
      let old = null;
      try { old = localStorage.getItem(OLD_KEY); } catch { /* storage blocked */ }
      if (old) {                          // samples an older version kept: move them, lose none
        const r = answer(await collect("import", { text: old }));
        if (!r.error) { try { localStorage.removeItem(OLD_KEY); } catch { /* kept there too */ } }
      }
      if (waitingFile) { const f = waitingFile; waitingFile = null; await importFile(f); }
    },
    store: async (label) => answer(await collect("store", { label })),   // the fix buttons' way in
    progress(done, total) { msg(`Importing… ${done.toLocaleString()} of ${total.toLocaleString()} samples checked.`); },
  };
}
