// lighthouse.mjs runs Lighthouse (the version pinned in package-lock.json,
// mobile, its default) on one page of each kind of a built site, served
// locally the way a production server serves it (gzip, 404.html), and
// prints the four category scores as a table. A measured figure, not a
// test: the scores of one run on this machine.
//
//   node scripts/lighthouse.mjs PUBLIC_DIR [CONSULTA SITE_DIR]
//
// With the consulta binary and the site's folder, the intake service runs
// beside the files and /v1/ goes to it, as in production, so that the
// form's own requests are answered (make lighthouse does this).
//
// Each page is measured RUNS times (default 3) and the run with the median
// performance score is reported: on a shared machine, blocking time varies
// from run to run.
//
// Environment: RUNS, CHROME_PATH (default /usr/bin/chromium),
// LIGHTHOUSE_OUT, a folder for the JSON reports of the reported runs.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import os from "node:os";
import { spawn } from "node:child_process";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const root = path.resolve(process.argv[2] || "public");
const pages = [
  ["home", "/"],
  ["procedure", "/procedures/rhinoplasty/"],
  ["team member", "/team/dr-amelia-hart/"],
  ["gallery", "/gallery/"],
  ["case", "/gallery/rhinoplasty-8b8b/"],
  ["reviews", "/reviews/"],
  ["consultation", "/consultation/"],
];
const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".webmanifest": "application/manifest+json", ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".png": "image/png",
  ".ico": "image/x-icon", ".woff2": "font/woff2", ".pdf": "application/pdf",
};

// serve answers like a production server: files by path, /x/ as
// /x/index.html, 404.html for the rest, text compressed with gzip,
// hashed assets cached for a year.
function serve(req, res) {
  const url = new URL(req.url, "http://localhost");
  if (intake && url.pathname.startsWith("/v1/")) {
    const up = http.request({ host: "127.0.0.1", port: intake.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on("error", () => { res.writeHead(502); res.end(); });
    req.pipe(up);
    return;
  }
  let file = path.join(root, decodeURIComponent(url.pathname));
  if (!file.startsWith(root)) file = "";
  if (file.endsWith(path.sep) || url.pathname.endsWith("/")) file = path.join(file, "index.html");
  let status = 200;
  if (!file || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    file = path.join(root, "404.html");
    status = 404;
  }
  const type = types[path.extname(file)] || "application/octet-stream";
  let body = fs.readFileSync(file);
  const headers = { "Content-Type": type };
  if (/^\/(assets|photos|images)\//.test(url.pathname)) headers["Cache-Control"] = "public, max-age=31536000, immutable";
  if (/^(text|application\/(json|xml|manifest)|image\/svg)/.test(type) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
    body = zlib.gzipSync(body);
    headers["Content-Encoding"] = "gzip";
  }
  res.writeHead(status, headers);
  res.end(body);
}

// startIntake runs consulta intake on a free port and waits until it answers.
async function startIntake(bin, site) {
  const probe = http.createServer();
  await new Promise((ok) => probe.listen(0, "127.0.0.1", ok));
  const port = probe.address().port;
  await new Promise((ok) => probe.close(ok));
  const data = fs.mkdtempSync(path.join(os.tmpdir(), "consulta-lighthouse-data-"));
  const proc = spawn(bin, ["intake", "-s", site, "--addr", `127.0.0.1:${port}`, "--data", data], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((ok) => http.get({ host: "127.0.0.1", port, path: "/healthz" }, (r) => { r.resume(); ok(true); }).on("error", () => ok(false)));
    if (up) return { port, proc, data };
    await new Promise((ok) => setTimeout(ok, 100));
  }
  proc.kill();
  throw new Error("consulta intake did not start");
}

const intake = process.argv[3] ? await startIntake(process.argv[3], process.argv[4] || ".") : null;
const server = http.createServer(serve);
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
const categories = ["performance", "accessibility", "best-practices", "seo"];
const rows = [];
let failed = false;
try {
  const runs = Math.max(1, Number(process.env.RUNS) || 3);
  for (const [kind, p] of pages) {
    const tries = [];
    for (let i = 0; i < runs; i++) {
      tries.push(await lighthouse(base + p, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories }));
    }
    tries.sort((a, b) => a.lhr.categories.performance.score - b.lhr.categories.performance.score);
    const result = tries[Math.floor(tries.length / 2)];
    const lhr = result.lhr;
    if (process.env.LIGHTHOUSE_OUT) {
      fs.mkdirSync(process.env.LIGHTHOUSE_OUT, { recursive: true });
      fs.writeFileSync(path.join(process.env.LIGHTHOUSE_OUT, kind.replace(/\W+/g, "-") + ".json"), result.report);
    }
    const scores = categories.map((c) => Math.round(lhr.categories[c].score * 100));
    const lost = [];
    for (const c of categories) {
      for (const ref of lhr.categories[c].auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) lost.push(`${c}: ${a.id} (${a.displayValue || a.score})`);
      }
    }
    rows.push({ kind, path: p, scores, lost, lcp: lhr.audits["largest-contentful-paint"].displayValue, cls: lhr.audits["cumulative-layout-shift"].displayValue });
    if (scores.some((s) => s < 100)) failed = true;
  }
} finally {
  await chrome.kill();
  server.close();
  if (intake) {
    intake.proc.kill();
    fs.rmSync(intake.data, { recursive: true, force: true });
  }
}
const pad = (s, n) => String(s).padEnd(n);
const version = (await import("lighthouse/package.json", { with: { type: "json" } })).default.version;
console.log(`Lighthouse ${version}, mobile preset, median of ${Math.max(1, Number(process.env.RUNS) || 3)} runs a page, ${base}`);
console.log(pad("page kind", 14) + pad("path", 36) + "perf  a11y  best  seo   LCP      CLS");
for (const r of rows) {
  console.log(pad(r.kind, 14) + pad(r.path, 36) + r.scores.map((s) => pad(s, 6)).join("") + pad(r.lcp, 9) + r.cls);
  for (const l of r.lost) console.log("    lost: " + l);
}
if (failed) console.log("\nNot every score is 100: the audits that lost points are listed under their page.");
