// Registers the service worker, offers a reload when a new build is waiting, and, when the
// wasm backend is in use, asks the worker to keep the ORT wasm files for offline use.
const root = document.documentElement;
let registration = null;

export async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  registration = await navigator.serviceWorker.register("sw.js");   // relative: works under a sub-path
  const offer = (waiting) => {
    document.getElementById("update").hidden = false;
    root.dataset.update = "available";
    document.getElementById("update-reload").onclick = () => waiting.postMessage({ type: "skip-waiting" });
  };
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const w = registration.installing;
    w.addEventListener("statechange", () => {
      if (w.state === "installed" && navigator.serviceWorker.controller) offer(w);
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading) return;
    if (root.dataset.update === "available") { reloading = true; location.reload(); return; }
    markOffline();          // the first install took control: this visit is now cached
  });
  navigator.serviceWorker.addEventListener("message", (e) => {
    if (e.data && e.data.type === "runtime-cached") root.dataset.runtimeCached = "true";
  });
  if (navigator.serviceWorker.controller) markOffline();
  setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
}

// Called when the wasm backend is chosen: its binary was fetched before the worker controlled
// the page on a first visit, so ask the worker to store it now (a revalidation, not a download).
export async function keepRuntimeFiles() {
  if (!("serviceWorker" in navigator)) return;
  const reg = await navigator.serviceWorker.ready;
  reg.active.postMessage({ type: "cache-runtime" });
}

function markOffline() { root.dataset.offlineReady = "true"; }
