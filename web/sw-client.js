// Registers the service worker once the page is ready, offers a new (or an older) build when one
// is installed and complete, and makes sure the files this visit used at run time are cached.
//
// Registering after "ready" keeps the service worker's precache (a second fetch of every file)
// out of the first visit's start-up; its fetches revalidate against the browser's HTTP cache
// (304s), so every file still crosses the network once.
//
// Updating: "Reload to update" tells the waiting worker to take over, and every digitpad tab
// (BroadcastChannel) to keep its drawing; each tab reloads when the new worker controls it and
// gets its drawing back (sessionStorage is per tab). Taking over can wait on another tab that is
// still loading: the banner counts the seconds meanwhile.
const root = document.documentElement;
const $ = (id) => document.getElementById(id);
const tabs = "BroadcastChannel" in self ? new BroadcastChannel("digitpad-update") : null;
const DRAWING = "digitpad.drawing";

export async function registerServiceWorker(runtimeFiles = [], drawing = () => []) {
  if (!("serviceWorker" in navigator)) return;
  let registration;
  const hadController = !!navigator.serviceWorker.controller;   // else the first install, not an update
  try {
    registration = await navigator.serviceWorker.register("sw.js");   // relative: works under a sub-path
  } catch {
    return;   // e.g. blocked by the browser, or storage off: the page works, just not offline
  }
  const keep = () => keepDrawing(drawing());
  navigator.serviceWorker.addEventListener("message", (e) => {
    if (e.data && e.data.type === "install-failed") incomplete(e.data, hadController);
  });
  if (tabs) tabs.onmessage = (e) => { if (e.data === "updating") { keep(); banner("Updating to the new version…", "updating"); } };
  if (registration.waiting && hadController) offer(registration.waiting, keep);
  const watch = (w) => w && w.addEventListener("statechange", () => {
    if (w.state === "installed" && navigator.serviceWorker.controller) offer(w, keep);
  });
  watch(registration.installing);
  registration.addEventListener("updatefound", () => watch(registration.installing));
  // Look for a new build now: the browser's own check at navigation ran before this page could
  // listen, so an install that failed then would go unreported.
  registration.update().catch(() => {});
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading || !hadController) return;   // a first install only claims this page: nothing to reload
    reloading = true;
    keep();
    location.reload();
  });
  const active = await activeWorker(registration);
  if (active) await cacheRuntime(active, runtimeFiles);
  setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
}

function banner(text, state) {
  $("update").hidden = false;
  $("update-text").textContent = text;
  root.dataset.update = state;
  $("update-reload").hidden = state !== "available";
}

async function offer(waiting, keep) {
  const next = await ask(waiting, { type: "build" });
  const newer = next && next.version !== root.dataset.version ? `digitpad ${next.version}` : "A new version of digitpad";
  banner(`${newer}${next ? ` (build ${next.build})` : ""} is ready; this page runs build ${root.dataset.build}.`, "available");
  $("update-reload").onclick = () => {
    banner("Updating…", "updating");
    keep();
    if (tabs) tabs.postMessage("updating");
    const t0 = performance.now();
    waiting.postMessage({ type: "skip-waiting" });
    nudge();
    const tick = setInterval(() => {
      if (waiting.state === "redundant") {
        clearInterval(tick);
        $("update-wait").textContent = "";
        banner("The update could not be installed; this page stays on the version it has. Reload to try again.", "failed");
        return;
      }
      // said once; the seconds are for the eye only (a live region would read every tick)
      if (root.dataset.update !== "waiting") banner("Updating… waiting for other digitpad tabs to finish loading.", "waiting");
      $("update-wait").textContent = ` (${Math.round((performance.now() - t0) / 1000)} s)`;
      waiting.postMessage({ type: "skip-waiting" });   // other engines may want it again
      nudge();
    }, 1000);
  };
}

// Chromium tries to activate a waiting worker when skipWaiting() is first called: it asks the old
// worker to stop as soon as it is idle, and activates the new one when it has. Later calls of
// skipWaiting() are ignored. If the old worker is stopped and at once started again in between
// (another tab just opened needs it), the new instance has lost that ask: it stays up as long as
// tabs use it (with DevTools attached, for good), and the new worker stays "installed". A
// navigation in the worker's scope makes Chromium try again. So, each second until this page
// reloads, a hidden frame opens update-nudge, which the worker answers with an empty 204.
function nudge() {
  const frame = document.createElement("iframe");
  frame.hidden = true;
  frame.title = "update";
  frame.tabIndex = -1;
  frame.src = `update-nudge?${Date.now()}`;
  setTimeout(() => frame.remove(), 3000);   // not on load: an early load of about:blank would cancel it
  document.body.append(frame);
}

function incomplete({ build, error }, hadController) {
  if (hadController) {
    banner(`A new version (build ${build}) is out, but it could not be downloaded completely (${error}). ` +
      `This page stays on build ${root.dataset.build}, which works offline; the next visit tries again.`, "incomplete");
  } else {
    banner(`This page could not be made available offline (${error}). If the site is being updated, ` +
      "the next visit tries again.", "incomplete");
  }
}

// A question to a service worker, answered over a MessageChannel (null if it never answers).
function ask(worker, msg) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    worker.postMessage(msg, [channel.port2]);
    setTimeout(() => resolve(null), 3000);
  });
}

function keepDrawing(strokes) {
  try {
    sessionStorage.setItem(DRAWING, JSON.stringify(strokes.map((s) => ({ ...s, points: Array.from(s.points) }))));
  } catch { /* storage off: the drawing is lost with the reload, as without this */ }
}

// The drawing kept across an update's reload, once (then forgotten).
export function keptDrawing() {
  try {
    const text = sessionStorage.getItem(DRAWING);
    sessionStorage.removeItem(DRAWING);
    return text ? JSON.parse(text).map((s) => ({ ...s, points: Float32Array.from(s.points) })) : [];
  } catch {
    return [];
  }
}

// The active service worker of this registration, once there is one (null if install failed).
async function activeWorker(registration) {
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
