// Times one codec operation of the wasm build (wasm-bindgen --target nodejs output in PKG) for
// about two seconds: `node run.js PKG encode|decode|verify`. Prints operations per second as JSON.
"use strict";
const [pkg, op] = process.argv.slice(2);
const codec = require(require("path").resolve(pkg, "codec_bench.js"));
const payload = codec.sample_payload();
const batch = {
  encode: () => codec.encode_n(1000),
  decode: () => codec.decode_n(payload, 1000),
  verify: () => codec.verify_n(payload, 1000),
}[op];
if (!batch || batch() === 0) { console.error(`${op} failed`); process.exit(1); }
const start = process.hrtime.bigint();
let n = 0;
while (Number(process.hrtime.bigint() - start) < 2e9) { batch(); n += 1000; }
const secs = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ impl: "tonle wasm (node " + process.version + ")", op, n, seconds: +secs.toFixed(3), per_second: Math.round(n / secs) }));
