//! What an event of the log is told as to a webhook endpoint.

use crate::api;
use crate::clock::rfc3339;

/// The webhook type and JSON body an event is told with, or `None` when it is not told.
/// `data` is the event as the websocket carries it, without its type and time (which the body
/// states itself): `seq`, and `charge` and/or `payment`.
pub fn body(event: &api::Event) -> Result<Option<(api::WebhookEvent, String)>, serde_json::Error> {
    let Some(kind) = api::WebhookEvent::of(&event.data) else {
        return Ok(None);
    };
    let mut data = serde_json::to_value(event)?;
    if let Some(fields) = data.as_object_mut() {
        fields.remove("type");
        fields.remove("at_ms");
    }
    let body = api::WebhookBody {
        kind,
        timestamp: rfc3339(event.at_ms),
        data,
    };
    Ok(Some((kind, serde_json::to_string(&body)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bakong_status_is_not_told_and_a_payment_is_told_with_its_sequence() {
        let status = api::Event {
            seq: 1,
            at_ms: 0,
            data: api::EventData::BakongStatus {
                bakong: api::BakongHealth {
                    status: api::BakongStatus::Ok,
                    last_error: None,
                },
            },
        };
        assert!(body(&status).unwrap().is_none());
        let unknown = api::Event {
            seq: 7,
            at_ms: 1_700_000_000_000,
            data: api::EventData::Unknown,
        };
        assert!(body(&unknown).unwrap().is_none());
    }
}
