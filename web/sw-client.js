// Registers the service worker and offers a reload when a new build is waiting.
export async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const reg = await navigator.serviceWorker.register("sw.js");   // relative: works under a sub-path
  const offer = (waiting) => {
    const box = document.getElementById("update");
    box.hidden = false;
    document.documentElement.dataset.update = "available";
    document.getElementById("update-reload").onclick = () => waiting.postMessage({ type: "skip-waiting" });
  };
  if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
  reg.addEventListener("updatefound", () => {
    const w = reg.installing;
    w.addEventListener("statechange", () => {
      if (w.state === "installed" && navigator.serviceWorker.controller) offer(w);
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading) return;
    reloading = true;
    location.reload();
  });
  setInterval(() => reg.update().catch(() => {}), 60 * 60 * 1000);
}
