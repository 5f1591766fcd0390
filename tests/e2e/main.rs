//! Headless-Chromium end-to-end tests against a real `tonle serve` and the release web app.
//! Needs `scripts/build-web.sh` (dist/), chromium and chromedriver: the README's test command does both.

// reason: this is a test harness: a failed setup step should panic and fail the test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod bakong;
mod cart;
mod chunks;
mod first_run;
mod integrations;
mod items;
mod kiosk;
mod network;
mod pages;
mod sales;
mod sandbox;
mod screens;
mod settings;
mod spa;
mod support;
mod telegram;
mod walking_skeleton;
