// Registers the service worker and offers a reload when a new build is waiting.
const root = document.documentElement;
let registration = null;

export async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    registration = await navigator.serviceWorker.register("sw.js");   // relative: works under a sub-path
  } catch {
    return;   // e.g. blocked by the browser: the page works, just not offline
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
    if (reloading) return;
    if (root.dataset.update === "available") { reloading = true; location.reload(); return; }
    markOffline();          // the first install took control: this visit is now cached
  });
  if (navigator.serviceWorker.controller) markOffline();
  setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
}

// Resolves once a service worker controls this page, or at once where there will be none (no
// support, or the install failed): the app then starts loading, and on a first visit every file
// is downloaded once and cached on its way through, not downloaded again for the precache.
export async function untilControlled() {
  if (!("serviceWorker" in navigator) || navigator.serviceWorker.controller || !registration) return;
  const w = registration.installing || registration.waiting || registration.active;
  await new Promise((resolve) => {
    navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true });
    if (w) w.addEventListener("statechange", () => { if (w.state === "redundant") resolve(); });
    else resolve();
  });
}

function markOffline() { root.dataset.offlineReady = "true"; }
