// Runs bakong-khqr 1.0.20 over JSON lines for tonle's differential tests.
// Usage: node sdk.js encode|verify|decode < cases.jsonl ; one JSON line out per line in.
// The SDK reads Date.now() for tag 99 and expiry checks; each case pins it with `now_ms`.
"use strict";
const readline = require("readline");
const { BakongKHQR, IndividualInfo, MerchantInfo } = require("bakong-khqr");
const errorCode = require("bakong-khqr/src/constant/errorCode");

const names = Object.fromEntries(Object.entries(errorCode).map(([k, v]) => [v.code, k]));
const mode = process.argv[2];

function optional(c) {
  const o = {
    currency: c.currency === "USD" ? 840 : c.currency === "KHR" ? 116 : undefined,
    amount: c.amount,
    accountInformation: c.account_information,
    billNumber: c.bill_number,
    mobileNumber: c.mobile_number,
    storeLabel: c.store_label,
    terminalLabel: c.terminal_label,
    purposeOfTransaction: c.purpose_of_transaction,
    languagePreference: c.language_preference,
    merchantNameAlternateLanguage: c.merchant_name_alternate_language,
    merchantCityAlternateLanguage: c.merchant_city_alternate_language,
    upiMerchantAccount: c.upi_merchant_account,
    expirationTimestamp: c.expires_at_ms,
    merchantCategoryCode: c.merchant_category_code,
  };
  if (c.kind !== "merchant") o.acquiringBank = c.acquiring_bank;
  return o;
}

function encode(c) {
  Date.now = () => c.now_ms;
  const sdk = new BakongKHQR();
  const r =
    c.kind === "merchant"
      ? sdk.generateMerchant(new MerchantInfo(c.bakong_account_id, c.merchant_name, c.merchant_city, c.merchant_id, c.acquiring_bank, optional(c)))
      : sdk.generateIndividual(new IndividualInfo(c.bakong_account_id, c.merchant_name, c.merchant_city, optional(c)));
  if (r.status.code !== 0) return { error: names[r.status.errorCode] || String(r.status.errorCode) };
  if (typeof r.data.qr !== "string") return { crash: JSON.stringify(r.data.qr) };
  return { payload: r.data.qr, md5: r.data.md5 };
}

function verify(c) {
  Date.now = () => c.now_ms;
  return { valid: BakongKHQR.verify(c.payload).isValid };
}

function decode(c) {
  return BakongKHQR.decode(c.payload).data;
}

const run = { encode, verify, decode }[mode];
if (!run) {
  console.error("usage: node sdk.js encode|verify|decode");
  process.exit(2);
}
const rl = readline.createInterface({ input: process.stdin });
const out = [];
rl.on("line", (line) => {
  let res;
  try {
    res = run(JSON.parse(line));
  } catch (e) {
    res = { crash: String(e) };
  }
  out.push(JSON.stringify(res));
});
rl.on("close", () => process.stdout.write(out.join("\n") + (out.length ? "\n" : "")));
