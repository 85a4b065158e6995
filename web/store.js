// The samples a person collected, kept in IndexedDB: one record per sample, keyed by the hash of
// its label and strokes (digitpad.samples.key). Every write is one transaction, so two tabs storing
// or importing at once never overwrite each other, and the same sample is kept once. Other tabs
// hear of every change on a BroadcastChannel. Python makes and checks samples; this only keeps them.
const DB = "digitpad", STORE = "samples", LABELS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "not-digit"];
export const CHANNEL = "digitpad-samples";

export class StoreError extends Error {}

export function request(r) {
  return new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
}

export function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error || new Error("the transaction was aborted"));
  });
}

function explain(e) {
  const name = e && e.name;
  if (name === "QuotaExceededError") return "this browser's storage for the page is full";
  // Chromium says "UnknownError: The user denied permission to access the database" with cookies off
  if (name === "SecurityError" || /denied|permission|blocked|not allowed/i.test(e && e.message || "")) {
    return "this browser does not let the page keep data (site storage is blocked)";
  }
  return `the browser's storage failed (${name || e})`;
}

export async function openStore() {
  let db;
  try {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => {
      const store = r.result.createObjectStore(STORE, { keyPath: "key" });
      store.createIndex("label", "label");
    };
    db = await request(r);
  } catch (e) {
    throw new StoreError(`Samples cannot be kept: ${explain(e)}.`);
  }
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
  const changed = () => channel && channel.postMessage("changed");

  return {
    // records: [{key, sample}] -> {added, already}: one transaction, duplicates skipped.
    async add(records) {
      const tx = db.transaction(STORE, "readwrite"), store = tx.objectStore(STORE);
      let added = 0, already = 0;
      for (const { key, sample } of records) {
        const r = store.add({ key, label: sample.label, sample });
        r.onsuccess = () => { added++; };
        r.onerror = (ev) => { if (r.error.name === "ConstraintError") { already++; ev.preventDefault(); } };
      }
      try { await done(tx); } catch (e) { throw new StoreError(`Nothing was stored: ${explain(e)}.`); }
      if (added) changed();
      return { added, already };
    },
    async keys() { return request(db.transaction(STORE).objectStore(STORE).getAllKeys()); },
    // [[key, label]] of every sample, from the label index alone: the samples themselves stay on disk
    async labelled() {
      const index = db.transaction(STORE).objectStore(STORE).index("label");
      const parts = await Promise.all(LABELS.map((l) => request(index.getAllKeys(l)).then((ks) => ks.map((k) => [k, l]))));
      return parts.flat();
    },
    async records(keys) {
      const store = db.transaction(STORE).objectStore(STORE);
      return (await Promise.all(keys.map((k) => request(store.get(k))))).filter(Boolean).map((r) => r.sample);
    },
    async samples() { return (await request(db.transaction(STORE).objectStore(STORE).getAll())).map((r) => r.sample); },
    async counts() {
      const index = db.transaction(STORE).objectStore(STORE).index("label");
      const n = await Promise.all(LABELS.map((l) => request(index.count(l))));
      return Object.fromEntries(LABELS.map((l, i) => [l, n[i]]));
    },
    async clear() {
      const tx = db.transaction(STORE, "readwrite");
      tx.objectStore(STORE).clear();
      await done(tx);
      changed();
    },
  };
}
