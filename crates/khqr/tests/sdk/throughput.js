// Times one operation of the official SDK on the same dynamic merchant KHQR as
// crates/codec-bench for about two seconds: `node throughput.js encode|decode|verify`.
// Prints operations per second as JSON.
"use strict";
const { BakongKHQR, MerchantInfo } = require("bakong-khqr");
const op = process.argv[2] || "encode";
const now = 1780000000000;
Date.now = () => now;
const info = new MerchantInfo("jonhsmith@devb", "Jonh Smith", "Phnom Penh", "123456", "Dev Bank", {
  currency: 840, amount: 12.5, billNumber: "TL-000042", terminalLabel: "Counter 1", expirationTimestamp: now + 300000,
});
const sdk = new BakongKHQR();
const first = sdk.generateMerchant(info);
if (first.status.code !== 0) { console.error(JSON.stringify(first)); process.exit(1); }
const qr = first.data.qr;
const once = {
  encode: () => sdk.generateMerchant(info).data.qr.length,
  decode: () => Object.keys(BakongKHQR.decode(qr).data).length,
  verify: () => (BakongKHQR.verify(qr).isValid ? 1 : 0),
}[op];
if (!once || !once()) { console.error(`${op} failed`); process.exit(1); }
const start = process.hrtime.bigint();
let n = 0, sink = 0;
while (Number(process.hrtime.bigint() - start) < 2e9) {
  for (let i = 0; i < 1000; i++) sink += once();
  n += 1000;
}
const secs = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ impl: "bakong-khqr 1.0.20 (node " + process.version + ")", op, n, seconds: +secs.toFixed(3), per_second: Math.round(n / secs), sink }));
