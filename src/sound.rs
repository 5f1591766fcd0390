//! The paid chime (Web Audio) and the spoken confirmation (Speech Synthesis), where the browser has them.

use wasm_bindgen::JsValue;
use web_sys::{AudioContext, SpeechSynthesisUtterance};

/// Two rising tones.
pub fn chime() {
    let _ = try_chime();
}

fn try_chime() -> Result<(), JsValue> {
    let ctx = AudioContext::new()?;
    let now = ctx.current_time();
    for (i, freq) in [880.0_f32, 1318.5].into_iter().enumerate() {
        let osc = ctx.create_oscillator()?;
        let gain = ctx.create_gain()?;
        osc.frequency().set_value(freq);
        let start = now + i as f64 * 0.16;
        gain.gain().set_value_at_time(0.0, start)?;
        gain.gain()
            .linear_ramp_to_value_at_time(0.25, start + 0.02)?;
        gain.gain()
            .linear_ramp_to_value_at_time(0.0, start + 0.35)?;
        osc.connect_with_audio_node(&gain)?;
        gain.connect_with_audio_node(&ctx.destination())?;
        osc.start_with_when(start)?;
        osc.stop_with_when(start + 0.4)?;
    }
    Ok(())
}

/// Speaks `text` in `lang` (BCP 47) if the browser can.
pub fn speak(text: &str, lang: &str) {
    let Some(synth) = web_sys::window().and_then(|w| w.speech_synthesis().ok()) else {
        return;
    };
    if let Ok(u) = SpeechSynthesisUtterance::new_with_text(text) {
        u.set_lang(lang);
        synth.speak(&u);
    }
}
