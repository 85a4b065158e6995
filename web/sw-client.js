// Registers the service worker once the page is ready, offers a reload when a new build is
// waiting, and makes sure the files this visit used at run time are cached for offline use.
//
// Registering after "ready" keeps the service worker's precache (a second fetch of every file)
// out of the first visit's start-up; its fetches revalidate against the browser's HTTP cache
// (304s), so every file still crosses the network once.
const root = document.documentElement;
let registration = null;

export async function registerServiceWorker(runtimeFiles = []) {
  if (!("serviceWorker" in navigator)) return;
  try {
    registration = await navigator.serviceWorker.register("sw.js");   // relative: works under a sub-path
  } catch {
    return;   // e.g. blocked by the browser, or storage off: the page works, just not offline
  }
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
    if (reloading || root.dataset.update !== "available") return;
    reloading = true;
    location.reload();
  });
  const active = await activeWorker();
  if (active) await cacheRuntime(active, runtimeFiles);
  setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
}

// The active service worker of this registration, once there is one (null if install failed).
async function activeWorker() {
  if (registration.active) return registration.active;
  const w = registration.installing || registration.waiting;
  if (!w) return null;
  await new Promise((resolve) => {
    w.addEventListener("statechange", () => { if (w.state === "activated" || w.state === "redundant") resolve(); });
  });
  return registration.active;
}

// The backend's runtime files (the ORT wasm binary, a fallback model) are not precached: ask the
// worker to keep the ones this visit used. When it says they are kept, the page works offline.
function cacheRuntime(worker, files) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => {
      if (e.data && e.data.ok) root.dataset.offlineReady = "true";
      resolve();
    };
    worker.postMessage({ type: "cache-runtime", files }, [channel.port2]);
  });
}
