// Encodes the same dynamic merchant KHQR as crates/khqr/examples/throughput.rs with the official
// SDK for about two seconds and prints encodes per second.
"use strict";
const { BakongKHQR, MerchantInfo } = require("bakong-khqr");
const now = 1780000000000;
Date.now = () => now;
const info = new MerchantInfo("jonhsmith@devb", "Jonh Smith", "Phnom Penh", "123456", "Dev Bank", {
  currency: 840, amount: 12.5, billNumber: "TL-000042", terminalLabel: "Counter 1", expirationTimestamp: now + 300000,
});
const sdk = new BakongKHQR();
const first = sdk.generateMerchant(info);
if (first.status.code !== 0) { console.error(JSON.stringify(first)); process.exit(1); }
const start = process.hrtime.bigint();
let n = 0, bytes = 0;
while (Number(process.hrtime.bigint() - start) < 2e9) {
  for (let i = 0; i < 1000; i++) bytes += sdk.generateMerchant(info).data.qr.length;
  n += 1000;
}
const secs = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ impl: "bakong-khqr 1.0.20 (node " + process.version + ")", encodes: n, seconds: +secs.toFixed(3), per_second: Math.round(n / secs), bytes }));
