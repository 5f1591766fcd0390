//! `tonle serve`'s rate flags: where the yuan estimate's reference rates come from.

use clap::Args;

use crate::config::FxSettings;

/// Reference rates for the yuan estimate a payer sees before paying.
#[derive(Args)]
pub struct FxArgs {
    /// Fetch reference rates (`on`), or not (`off`; owners may still set their own rate).
    #[arg(long, env = "TONLE_FX", default_value = "on", value_parser = ["on", "off"])]
    pub fx: String,
    /// Where rates come from: the NBC's table (default), or a source answering the same XML or
    /// `{"date", "cny_per_unit": {"USD", "KHR"}}`.
    #[arg(long, env = "TONLE_FX_URL", default_value = FxSettings::NBC_URL)]
    pub fx_url: String,
}

impl FxArgs {
    /// The source's settings, unless off.
    pub fn settings(self) -> Option<FxSettings> {
        (self.fx == "on").then(|| FxSettings::new(&self.fx_url))
    }
}
