// tonle's service worker: the app keeps working from cache when the network is slow, and when the
// server cannot be reached a page says so (in Khmer, Chinese and English) and comes back by itself.
// The API and the websocket are never cached: payments are always live or clearly offline.
"use strict";
const CACHE = "tonle-shell-v1";
const OFFLINE = "/offline.html";
const PRECACHE = [OFFLINE, "/public/fonts/NotoSansKhmer-Regular.woff2", "/public/icon-192.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/") || url.pathname === "/healthz") {
    return;
  }
  if (req.mode === "navigate") {
    // Network first; offline, the page that says so.
    event.respondWith(fetch(req).catch(() => caches.match(OFFLINE)));
    return;
  }
  // Static files (hashed names): network first, keeping a copy for when the network is gone.
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return res;
      })
      .catch(() => caches.match(req).then((hit) => hit || Response.error())),
  );
});
