// Teaching, the Python worker's storage side: personal.bin (what personal heads need besides the
// graph), the samples a fit reads, and what a reload keeps (store.js openKept: the fitted heads and
// each chosen sample's features). Python decides (digitpad.personal_actions); this only fetches,
// reads and writes. python-worker.js imports it the first time a person teaches, or the page starts
// with "Use what I taught" on (a first visit does without it), and gives it `python(action, payload)`.
import { done, request } from "./store.js";
import { offline, sha256 } from "./python-files.js";

const CHUNK = 64;     // unseen samples read by the networks per message: strokes are answered between
// The longest a fit's answer, or the teaching work after it, waits for the fit's write. The write
// takes milliseconds; this bounds only a storage held by something else (another tab's open
// transaction): the answer then comes without "kept", and a reload before the write refits.
const HOLD_MS = 1500;

// What a reload keeps of teaching (digitpad.kept): each sample's features and the fitted heads,
// under the networks' identity. A database of its own, so the samples' one never needs an upgrade
// (an upgrade waits for every open tab of an older build). Only ever a cache: every failure here
// is a refit, never an error.
const KEPT = "digitpad-kept";

async function openKept() {
  const r = indexedDB.open(KEPT, 1);
  r.onupgradeneeded = () => {
    r.result.createObjectStore("features", { keyPath: "id" });
    r.result.createObjectStore("heads", { keyPath: "nets" });
  };
  const db = await request(r);
  const others = (nets) => [IDBKeyRange.upperBound(nets, true), IDBKeyRange.lowerBound(`${nets}/\uffff`, true)];
  return {
    async features(nets, keys) {
      const store = db.transaction("features").objectStore("features");
      const got = await Promise.all(keys.map((k) => request(store.get(`${nets}/${k}`))));
      return got.filter(Boolean).map((g) => ({ key: g.key, blob: g.blob }));
    },
    async putFeatures(nets, items) {
      const tx = db.transaction("features", "readwrite"), store = tx.objectStore("features");
      for (const f of items) store.put({ id: `${nets}/${f.key}`, key: f.key, blob: f.blob });
      await commit(tx);
    },
    async heads(nets) { return (await request(db.transaction("heads").objectStore("heads").get(nets))) || null; },
    async putHeads(nets, heads) {            // and forget what older networks left
      const tx = db.transaction(["heads", "features"], "readwrite");
      tx.objectStore("heads").put({ nets, signature: heads.signature, blob: heads.blob });
      for (const range of others(nets)) { tx.objectStore("heads").delete(range); tx.objectStore("features").delete(range); }
      await commit(tx);
    },
  };
}

// Commit at once: left to itself, a transaction ends only once this worker has had a turn to see
// its requests succeed, and a long Python call (a fit's slice, the held-out fits) holds that back.
function commit(tx) {
  const finished = done(tx);
  if (typeof tx.commit === "function") tx.commit();
  return finished;
}

const settle = (p, ms) => Promise.race([p, new Promise((ok) => setTimeout(ok, ms))]);

export function setupPersonal({ python, post, modelsJson, url, samples }) {
  let loaded = null, nets = null, kept = null;
  let writing = Promise.resolve();     // the writes, one after another in the order of the fits' replies

  // personal.bin (150 KB) is fetched the first time, checked against models.json, handed to Python
  function load() {
    if (!loaded) {
      loaded = (async () => {
        const entry = (await modelsJson()).personal;
        if (!entry) throw new Error("this build ships no personal.bin: the shipped answers stay");
        let bytes;
        try { bytes = new Uint8Array(await (await fetch(url(entry.file))).arrayBuffer()); } catch (e) {
          throw new Error(`models/${entry.file} could not be downloaded${offline()}: the shipped answers stay`);
        }
        if ((await sha256(bytes)) !== entry.sha256) throw new Error(`models/${entry.file} is damaged: the shipped answers stay`);
        const r = await python("personal_load", { blob: bytes, layout: entry });
        if (r.error) throw new Error(r.error);
        nets = r.nets;
      })();
      loaded.catch(() => { loaded = null; });   // a later teach tries again
    }
    return loaded;
  }

  function keptStore() {         // features and heads kept across visits; null where storage fails
    if (!kept) kept = openKept().catch(() => null);
    return kept;
  }

  // What a fit needs from storage. Restoring: the samples' keys and labels, and the heads kept
  // last time. Fitting: Python plans from the keys and labels, takes the features kept for the
  // chosen samples, and gets the records of only those it has never seen (a chunk a message).
  async function payload(action) {
    await load();
    const s = await samples(), cache = await keptStore();
    const labelled = (await s.labelled()).map(([k, l]) => `${k} ${l}`).join("\n");   // one string: 20,000 pairs cross at once
    if (action === "personal_restore") return { labelled, heads: cache && await cache.heads(nets).catch(() => null) };
    let r = await python("personal_plan", { labelled });
    if (r.error) throw new Error(r.error);
    if (r.need.length && cache) {
      const features = await cache.features(nets, r.need).catch(() => []);
      if (features.length) r = await python("personal_features", { features });
      if (r.error) throw new Error(r.error);
    }
    return { planned: true, records: r.need.length ? await s.records(r.need.slice(0, CHUNK)) : [] };
  }

  // A fit's reply carries what to keep for the next visit; the page needs none of it. Each chunk's
  // features are written as they come (in the order they came); the last reply's heads after them,
  // and "kept" is posted then. The last reply waits for them all (at most HOLD_MS) before it goes.
  async function keep(reply) {
    const { heads, features } = reply;
    delete reply.heads; delete reply.features; delete reply.nets;
    if (heads || (features && features.length)) {
      writing = writing.then(async () => {
        const cache = await keptStore();
        if (!cache) return;
        if (heads) await cache.putHeads(nets, heads);   // first, and small: a reload right after still finds them
        if (features && features.length) await cache.putFeatures(nets, features);
        if (heads) post({ type: "kept" });
      }).catch(() => {});          // not kept: the next visit refits, as it always could
    }
    if (reply.more || reply.error) return;
    const t = performance.now();
    let done = false;
    await settle(writing.then(() => { done = true; }), HOLD_MS);
    reply.kept = done && !!heads;                     // this fit's own heads are written (else "kept" comes later)
    reply.kept_wait_ms = performance.now() - t;       // what the answer waited for its write (build.py bench)
  }

  // Teaching's next work (a fit's next chunk, the held-out fits, switching, forgetting) starts once
  // the writes are done: none is ever left behind seconds of Python. Bounded by HOLD_MS.
  const written = () => settle(writing, HOLD_MS);

  return { payload, keep, written };
}
