// The Collect panel's half in the Python worker, imported with its first operation: Python makes,
// checks and de-duplicates samples; store.js keeps them in IndexedDB.
import { StoreError } from "./store.js";

const MAX_IMPORT_BYTES = 64 * 1024 * 1024;   // digitpad.samples.MAX_FILE_BYTES

// One operation of the panel (msg.op: store, import, export, delete, or none: the counts alone);
// its reply is posted. python(action, payload, progress): a Python action without the networks;
// samples(): the store, opened on first use; failed(e): a Python error as a reply.
export async function collect(msg, { python, post, samples, failed }) {
  let result;
  try {
    const s = await samples();
    if (msg.op === "store") {
      const r = await python("sample", { label: msg.label });
      result = r.error ? r : { ...(await s.add([{ key: r.key, sample: r.sample }])) };
    } else if (msg.op === "import") {
      if (msg.file && msg.file.size > MAX_IMPORT_BYTES) throw new StoreError(
        `the file is ${(msg.file.size / 1e6).toFixed(0)} MB, more than the ${MAX_IMPORT_BYTES / 2 ** 20} MB a samples file may be`);
      const text = msg.file ? await msg.file.text() : msg.text;
      const progress = (n, total) => post({ type: "import-progress", id: msg.id, done: n, total });
      const r = await python("import_samples", { text, keys: await s.keys() }, progress);
      result = r.error ? r : { ...(await s.add(r.added)), in_file: r.in_file };
    } else if (msg.op === "export") {
      const r = await python("export_samples", { records: await s.samples() });
      result = r.error ? r : { blob: new Blob([r.text], { type: "application/json" }), exported: r.exported, damaged: r.damaged };
    } else if (msg.op === "delete") {
      await s.clear();
      result = {};
    } else result = {};
    if (!result.error) result.counts = await s.counts();
  } catch (e) {
    result = e instanceof StoreError ? { error: e.message, storage: true } : failed(e);
  }
  post({ type: "result", id: msg.id, result });
}
