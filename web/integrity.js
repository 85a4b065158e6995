// A worker file cut short by an upload can still parse (the cut falls in a comment): the worker
// then never answers and the page would wait for ever. If the page is not ready after a few
// seconds, check the app folder's scripts against this build's sha256 list (index.html), fetch any
// that differ once more past every cache, and reload once; if they still differ, say so.
const SCRIPTS = /\.(m?js)$/;
const TRIED = "digitpad.refetched";

async function hex(res) {
  const d = await crypto.subtle.digest("SHA-256", await res.arrayBuffer());
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function watchIntegrity(appDir, isSettled, fail, delay = 5000) {
  setTimeout(async () => {
    if (isSettled() || !(self.crypto && crypto.subtle)) return;
    const files = JSON.parse(document.getElementById("build-files").textContent)
      .filter(([path]) => path.startsWith(`${appDir}/`) && SCRIPTS.test(path));
    const bad = [];
    for (const [path, sha] of files) {
      try {
        if ((await hex(await fetch(path))) === sha) continue;
        if ((await hex(await fetch(path, { cache: "reload" }))) !== sha) bad.push(path);
        else bad.push(null);                                   // fixed by fetching it afresh
      } catch { /* offline, or missing: other checks report that */ }
    }
    if (!bad.length || isSettled()) return;
    let tried = null;
    try { tried = sessionStorage.getItem(TRIED); sessionStorage.setItem(TRIED, appDir); } catch { /* storage off */ }
    if (tried !== appDir) { location.reload(); return; }
    fail(`${bad.filter(Boolean).join(", ") || "a script of this page"} does not match this build (cut short or changed on the ` +
      "server). If the site is being updated, try again in a minute.", "runtime");
  }, delay);
}
