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

/// Every operation lists the refusals it can give whatever its handler (schemathesis checks
/// the answers against these): a body or parameters can be malformed or invalid, a signed-in
/// operation can be refused a credential or a role; the public ones say they need none.
#[tokio::test]
async fn every_operation_lists_the_refusals_it_can_give() {
    let app = spawn_app().await;
    let doc: Value = app
        .http
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let public = [
        ("post", "/api/v1/merchants"),
        ("post", "/api/v1/session"),
        ("post", "/api/v1/password-resets"),
        ("post", "/api/v1/password-resets/{token}"),
        ("post", "/api/v1/notifications/{network}"),
        ("get", "/api/v1/invitations/{token}"),
        ("post", "/api/v1/invitations/{token}/accept"),
        ("post", "/api/v1/devices/pair"),
    ];
    let mut seen_public = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let has = |status: &str| op["responses"].get(status).is_some();
            let open = op["security"] == serde_json::json!([{}]);
            if public.contains(&(method.as_str(), path.as_str())) {
                assert!(open, "{method} {path} is public");
                seen_public += 1;
            } else {
                assert!(!open, "{method} {path} needs a credential");
                assert!(has("401") && has("403"), "{method} {path}: 401 and 403");
            }
            if op.get("requestBody").is_some() {
                for s in ["400", "413", "422"] {
                    assert!(has(s), "{method} {path}: {s}");
                }
            }
        }
    }
    assert_eq!(seen_public, public.len());
}
