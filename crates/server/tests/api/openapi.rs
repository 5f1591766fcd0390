use serde_json::Value;

use crate::helpers::spawn_app;

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    out.push(x.as_str().unwrap_or_default().to_owned());
                }
                refs(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_openapi_document_is_3_1_covers_the_api_and_every_ref_resolves() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/merchants",
        "/api/v1/merchant",
        "/api/v1/session",
        "/api/v1/charges",
        "/api/v1/charges/{id}",
        "/api/v1/charges/{id}/cancel",
        "/api/v1/payments",
        "/api/v1/payments.csv",
        "/api/v1/reports/daily",
        "/api/v1/notifications/{network}",
        "/api/v1/events",
        "/api/v1/stores",
        "/api/v1/terminals",
        "/api/v1/terminals/{id}/qr",
        "/api/v1/staff",
        "/api/v1/staff/invitations",
        "/api/v1/invitations/{token}/accept",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is missing");
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected ref {r}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling {r}"
        );
    }
    assert_eq!(
        doc["components"]["schemas"]["Currency"]["enum"],
        serde_json::json!(["KHR", "USD", "CNY"])
    );
}
