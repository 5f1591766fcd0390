use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn sign_in_sign_out_and_a_guesser_is_stopped_while_colleagues_are_not() {
    let app = spawn_app().await;
    app.register("owner@shop.kh", "sokha@aclb").await;
    app.register("other@shop.kh", "other@aclb").await;
    let login = |email: &str, password: &str| {
        app.http
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": email, "password": password}))
            .send()
    };
    let ok = login("OWNER@shop.kh", "0123456789abc").await.unwrap();
    assert_eq!(ok.status(), 200);
    let cookie = ok.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let token = cookie.split(';').next().unwrap().to_owned();
    let me = app
        .http
        .get(app.url("/api/v1/session"))
        .header("cookie", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let out = app
        .http
        .delete(app.url("/api/v1/session"))
        .header("cookie", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let me = app
        .http
        .get(app.url("/api/v1/session"))
        .header("cookie", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401, "a signed-out session is gone");

    for _ in 0..tonle_server::throttle::SIGNIN_PER_PAIR {
        assert_eq!(
            login("owner@shop.kh", "wrong password!")
                .await
                .unwrap()
                .status(),
            401
        );
    }
    let locked = login("owner@shop.kh", "0123456789abc").await.unwrap();
    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
    assert_eq!(
        login("other@shop.kh", "0123456789abc")
            .await
            .unwrap()
            .status(),
        200,
        "same IP, other account"
    );
}

#[tokio::test]
async fn a_cross_site_write_with_the_session_cookie_is_refused() {
    let app = spawn_app().await;
    let m = app.register("csrf@shop.kh", "sokha@aclb").await;
    let res = app
        .http
        .post(app.url("/api/v1/charges"))
        .header("cookie", &m.cookie)
        .header("origin", "https://evil.example")
        .json(&json!({"amount": "1000", "currency": "KHR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = app
        .http
        .post(app.url("/api/v1/charges"))
        .header("cookie", &m.cookie)
        .header("origin", format!("http://{}", app.addr))
        .json(&json!({"amount": "1000", "currency": "KHR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn whoever_runs_the_server_resets_a_forgotten_password_and_old_sessions_end() {
    let app = spawn_app().await;
    let m = app.register("forgot@shop.kh", "forgot@aclb").await;
    let said = tonle_server::cli::admin::reset_password(
        app.data_dir.path(),
        &app.database_url,
        "Forgot@Shop.kh",
    )
    .await
    .unwrap();
    let password = said.split_whitespace().nth(4).unwrap().to_owned();
    let old = app
        .http
        .get(app.url("/api/v1/session"))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401, "signed out everywhere");
    let sign_in = |pw: String| {
        app.http
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": "forgot@shop.kh", "password": pw}))
            .send()
    };
    assert_eq!(sign_in(password).await.unwrap().status(), 200);
    assert_eq!(sign_in("0123456789abc".into()).await.unwrap().status(), 401);
    assert!(
        tonle_server::cli::admin::reset_password(
            app.data_dir.path(),
            &app.database_url,
            "nobody@x.kh"
        )
        .await
        .is_err()
    );
}
