//! People after they join: removing staff, changing roles, open invitations, sessions listed and
//! ended, and every way a session ends closing its event streams at once. Runs on SQLite and,
//! with `TONLE_TEST_DATABASE_URL`, on PostgreSQL.

use futures::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tonle_server::api;
use tonle_server::config::MailSettings;

use crate::accounts::{smtp_sink, token_in};
use crate::events::{Ws, connect, next_msg};
use crate::helpers::{Merchant, TestApp, cookie_of, spawn_app, spawn_app_with};

/// How a socket ended: its close code, waiting up to 3 s (events before it are skipped).
pub async fn close_code(ws: &mut Ws) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        let next = tokio::time::timeout_at(deadline, ws.next())
            .await
            .expect("the socket closed in time");
        match next {
            Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => continue,
            other => panic!("socket ended without a close frame: {other:?}"),
        }
    }
}

async fn send(
    app: &TestApp,
    who: &Merchant,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app
        .http
        .request(method.parse().unwrap(), app.url(path))
        .header("cookie", &who.cookie);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn status(
    app: &TestApp,
    who: &Merchant,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> u16 {
    send(app, who, method, path, body).await.status().as_u16()
}

/// Invites `email` as `role` and accepts it: the new member's cookie and the invitation.
async fn join(app: &TestApp, by: &Merchant, email: &str, role: &str) -> (Merchant, Value) {
    let inv: Value = send(
        app,
        by,
        "POST",
        "/api/v1/staff/invitations",
        Some(json!({"email": email, "role": role})),
    )
    .await
    .json()
    .await
    .unwrap();
    let res = app
        .http
        .post(app.url(&format!(
            "/api/v1/invitations/{}/accept",
            inv["token"].as_str().unwrap()
        )))
        .header(
            "user-agent",
            "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Safari/537.36",
        )
        .json(&json!({"password": "0123456789abc"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{email} joins");
    (
        Merchant {
            cookie: cookie_of(&res),
        },
        inv,
    )
}

async fn member_id(app: &TestApp, owner: &Merchant, email: &str) -> String {
    let staff: Vec<api::StaffMember> = app.get_json(&owner.cookie, "/api/v1/staff").await;
    staff
        .into_iter()
        .find(|m| m.email == email)
        .map(|m| m.id)
        .unwrap_or_default()
}

async fn sign_in(app: &TestApp, email: &str, password: &str, agent: &str) -> reqwest::Response {
    app.http
        .post(app.url("/api/v1/session"))
        .header("user-agent", agent)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_removed_member_is_signed_out_everywhere_at_once_and_their_invitations_stop() {
    let app = spawn_app().await;
    let owner = app.register("people-owner@shop.kh", "people@aclb").await;
    let (manager, _) = join(&app, &owner, "people-mgr@shop.kh", "manager").await;
    // The manager invites a cashier, then leaves; the link they made must stop working.
    let pending: Value = send(
        &app,
        &manager,
        "POST",
        "/api/v1/staff/invitations",
        Some(json!({"email": "later@shop.kh", "role": "cashier"})),
    )
    .await
    .json()
    .await
    .unwrap();
    let mut ws = connect(&app, &manager, None).await;
    assert!(matches!(
        next_msg(&mut ws).await,
        api::ServerMsg::Hello { .. }
    ));
    let id = member_id(&app, &owner, "people-mgr@shop.kh").await;

    assert_eq!(
        status(&app, &owner, "DELETE", &format!("/api/v1/staff/{id}"), None).await,
        204
    );
    assert_eq!(close_code(&mut ws).await, Some(api::close::UNAUTHORIZED));
    assert_eq!(
        status(&app, &manager, "GET", "/api/v1/session", None).await,
        401
    );
    assert_eq!(
        status(
            &app,
            &manager,
            "POST",
            "/api/v1/webhook-endpoints",
            Some(json!({"url": "https://hooks.example/x", "events": ["charge.paid"]}))
        )
        .await,
        401
    );
    let gone = app
        .http
        .get(app.url(&format!(
            "/api/v1/invitations/{}",
            pending["token"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(
        gone.status(),
        404,
        "the removed manager's invitation is revoked"
    );
    assert!(
        sign_in(&app, "people-mgr@shop.kh", "0123456789abc", "x")
            .await
            .status()
            == 401
    );
    let staff: Vec<api::StaffMember> = app.get_json(&owner.cookie, "/api/v1/staff").await;
    assert_eq!(staff.len(), 1, "only the owner is left: {staff:?}");
    // Removed twice, or someone else's: not found.
    assert_eq!(
        status(&app, &owner, "DELETE", &format!("/api/v1/staff/{id}"), None).await,
        404
    );
    // The address is free again: the same person can be invited back.
    let (back, _) = join(&app, &owner, "people-mgr@shop.kh", "cashier").await;
    assert_eq!(
        status(&app, &back, "GET", "/api/v1/session", None).await,
        200
    );
    // Nobody removes the owner, and a manager removes only cashiers.
    let owner_id = member_id(&app, &owner, "people-owner@shop.kh").await;
    assert_eq!(
        status(
            &app,
            &owner,
            "DELETE",
            &format!("/api/v1/staff/{owner_id}"),
            None
        )
        .await,
        403
    );
    let (m2, _) = join(&app, &owner, "people-m2@shop.kh", "manager").await;
    let (_m3, _) = join(&app, &owner, "people-m3@shop.kh", "manager").await;
    let m3 = member_id(&app, &owner, "people-m3@shop.kh").await;
    assert_eq!(
        status(&app, &m2, "DELETE", &format!("/api/v1/staff/{m3}"), None).await,
        403
    );
    let back_id = member_id(&app, &owner, "people-mgr@shop.kh").await;
    assert_eq!(
        status(
            &app,
            &m2,
            "DELETE",
            &format!("/api/v1/staff/{back_id}"),
            None
        )
        .await,
        204
    );
    assert_eq!(
        status(&app, &back, "GET", "/api/v1/session", None).await,
        401
    );
    // Another shop's owner cannot see or remove this shop's people.
    let stranger = app
        .register("people-stranger@shop.kh", "stranger@aclb")
        .await;
    assert_eq!(
        status(
            &app,
            &stranger,
            "DELETE",
            &format!("/api/v1/staff/{m3}"),
            None
        )
        .await,
        404
    );
    assert_eq!(
        status(
            &app,
            &stranger,
            "PATCH",
            &format!("/api/v1/staff/{m3}"),
            Some(json!({"role": "cashier"}))
        )
        .await,
        404
    );
}

#[tokio::test]
async fn a_new_role_applies_at_once_and_their_screens_reconnect_in_it() {
    let app = spawn_app().await;
    let owner = app.register("role-owner@shop.kh", "role@aclb").await;
    let (cashier, _) = join(&app, &owner, "role-c@shop.kh", "cashier").await;
    assert_eq!(
        status(&app, &cashier, "GET", "/api/v1/staff", None).await,
        403
    );
    let mut ws = connect(&app, &cashier, None).await;
    assert!(matches!(
        next_msg(&mut ws).await,
        api::ServerMsg::Hello { .. }
    ));
    let id = member_id(&app, &owner, "role-c@shop.kh").await;
    let res = send(
        &app,
        &owner,
        "PATCH",
        &format!("/api/v1/staff/{id}"),
        Some(json!({"role": "manager"})),
    )
    .await;
    assert_eq!(res.status(), 200);
    let changed: api::StaffMember = res.json().await.unwrap();
    assert_eq!(changed.role, api::StaffRole::Manager);
    assert_eq!(close_code(&mut ws).await, Some(api::close::ACCESS_CHANGED));
    // Still signed in, now as a manager.
    assert_eq!(
        status(&app, &cashier, "GET", "/api/v1/staff", None).await,
        200
    );
    // The owner stays the owner; an unknown counter is named.
    let owner_id = member_id(&app, &owner, "role-owner@shop.kh").await;
    assert_eq!(
        status(
            &app,
            &owner,
            "PATCH",
            &format!("/api/v1/staff/{owner_id}"),
            Some(json!({"role": "manager"}))
        )
        .await,
        403
    );
    assert_eq!(
        status(
            &app,
            &owner,
            "PATCH",
            &format!("/api/v1/staff/{id}"),
            Some(json!({"role": "owner"}))
        )
        .await,
        422
    );
    let bad = send(
        &app,
        &owner,
        "PATCH",
        &format!("/api/v1/staff/{id}"),
        Some(json!({"role": "cashier", "terminal_id": "nope"})),
    )
    .await;
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["field"], "terminal_id");
    // A manager cannot promote a cashier to manager, nor change another manager.
    let (c2, _) = join(&app, &owner, "role-c2@shop.kh", "cashier").await;
    let c2_id = member_id(&app, &owner, "role-c2@shop.kh").await;
    assert_eq!(
        status(
            &app,
            &cashier,
            "PATCH",
            &format!("/api/v1/staff/{c2_id}"),
            Some(json!({"role": "manager"}))
        )
        .await,
        403
    );
    let (_m, _) = join(&app, &owner, "role-m@shop.kh", "manager").await;
    let m_id = member_id(&app, &owner, "role-m@shop.kh").await;
    assert_eq!(
        status(
            &app,
            &cashier,
            "PATCH",
            &format!("/api/v1/staff/{m_id}"),
            Some(json!({"role": "cashier"}))
        )
        .await,
        403
    );
    assert_eq!(status(&app, &c2, "GET", "/api/v1/staff", None).await, 403);
}

#[tokio::test]
async fn open_invitations_are_listed_revoked_and_capped() {
    let app = spawn_app().await;
    let owner = app.register("inv-owner@shop.kh", "inv@aclb").await;
    let made: Value = send(
        &app,
        &owner,
        "POST",
        "/api/v1/staff/invitations",
        Some(json!({"email": "inv-a@shop.kh", "role": "cashier"})),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(made["delivery"], "link", "no SMTP: the link is handed over");
    let open: Vec<api::PendingInvitation> = app
        .get_json(&owner.cookie, "/api/v1/staff/invitations")
        .await;
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].email, "inv-a@shop.kh");
    assert_eq!(
        status(
            &app,
            &owner,
            "DELETE",
            &format!("/api/v1/staff/invitations/{}", open[0].id),
            None
        )
        .await,
        204
    );
    let token = made["token"].as_str().unwrap();
    let accept = app
        .http
        .post(app.url(&format!("/api/v1/invitations/{token}/accept")))
        .json(&json!({"password": "0123456789abc"}))
        .send()
        .await
        .unwrap();
    assert_eq!(accept.status(), 404, "a revoked link no longer works");
    assert_eq!(
        status(
            &app,
            &owner,
            "DELETE",
            &format!("/api/v1/staff/invitations/{}", open[0].id),
            None
        )
        .await,
        404
    );
    let none: Vec<api::PendingInvitation> = app
        .get_json(&owner.cookie, "/api/v1/staff/invitations")
        .await;
    assert!(none.is_empty());
    // At most 50 open at once: counted and inserted under the merchant's lock, in parallel too.
    let tries = (0..60).map(|i| {
        send(
            &app,
            &owner,
            "POST",
            "/api/v1/staff/invitations",
            Some(json!({"email": format!("cap-{i}@shop.kh"), "role": "cashier"})),
        )
    });
    let answers = futures::future::join_all(tries).await;
    let made = answers.iter().filter(|r| r.status() == 201).count();
    let refused = answers.iter().filter(|r| r.status() == 409).count();
    assert_eq!((made, refused), (50, 10));
    let open: Vec<api::PendingInvitation> = app
        .get_json(&owner.cookie, "/api/v1/staff/invitations")
        .await;
    assert_eq!(open.len(), 50);
}

#[tokio::test]
async fn sessions_are_listed_and_ended_one_by_one_or_everywhere_with_their_streams() {
    let app = spawn_app().await;
    let first = app.register("sess@shop.kh", "sess@aclb").await;
    let phone = sign_in(
        &app,
        "sess@shop.kh",
        "0123456789abc",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1",
    )
    .await;
    assert_eq!(phone.status(), 200);
    let phone = Merchant {
        cookie: cookie_of(&phone),
    };
    let mut phone_ws = connect(&app, &phone, None).await;
    assert!(matches!(
        next_msg(&mut phone_ws).await,
        api::ServerMsg::Hello { .. }
    ));
    let listed: Vec<api::SessionInfo> = app.get_json(&first.cookie, "/api/v1/sessions").await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed.iter().filter(|s| s.current).count(), 1);
    let other = listed.iter().find(|s| !s.current).unwrap();
    assert!(
        other
            .user_agent
            .as_deref()
            .unwrap_or_default()
            .contains("iPhone")
    );
    assert!(other.expires_at_ms > other.last_seen_at_ms);
    // One session ended from the other: its cookie and its socket stop.
    assert_eq!(
        status(
            &app,
            &first,
            "DELETE",
            &format!("/api/v1/sessions/{}", other.id),
            None
        )
        .await,
        204
    );
    assert_eq!(
        close_code(&mut phone_ws).await,
        Some(api::close::UNAUTHORIZED)
    );
    assert_eq!(
        status(&app, &phone, "GET", "/api/v1/session", None).await,
        401
    );
    assert_eq!(
        status(&app, &first, "GET", "/api/v1/session", None).await,
        200
    );
    // Another person's session id is not theirs to end.
    let stranger = app.register("sess-other@shop.kh", "sess2@aclb").await;
    let mine: Vec<api::SessionInfo> = app.get_json(&first.cookie, "/api/v1/sessions").await;
    assert_eq!(
        status(
            &app,
            &stranger,
            "DELETE",
            &format!("/api/v1/sessions/{}", mine[0].id),
            None
        )
        .await,
        404
    );

    // Sign out (this browser): its socket closes at once.
    let mut ws = connect(&app, &first, None).await;
    assert!(matches!(
        next_msg(&mut ws).await,
        api::ServerMsg::Hello { .. }
    ));
    assert_eq!(
        status(&app, &first, "DELETE", "/api/v1/session", None).await,
        204
    );
    assert_eq!(close_code(&mut ws).await, Some(api::close::UNAUTHORIZED));

    // Everywhere: every session and socket of the person, none of anyone else's.
    let a = Merchant {
        cookie: cookie_of(&sign_in(&app, "sess@shop.kh", "0123456789abc", "a").await),
    };
    let b = Merchant {
        cookie: cookie_of(&sign_in(&app, "sess@shop.kh", "0123456789abc", "b").await),
    };
    let mut b_ws = connect(&app, &b, None).await;
    assert!(matches!(
        next_msg(&mut b_ws).await,
        api::ServerMsg::Hello { .. }
    ));
    let mut stranger_ws = connect(&app, &stranger, None).await;
    assert!(matches!(
        next_msg(&mut stranger_ws).await,
        api::ServerMsg::Hello { .. }
    ));
    let res = send(&app, &a, "DELETE", "/api/v1/sessions", None).await;
    assert_eq!(res.status(), 204);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(close_code(&mut b_ws).await, Some(api::close::UNAUTHORIZED));
    assert_eq!(status(&app, &a, "GET", "/api/v1/session", None).await, 401);
    assert_eq!(status(&app, &b, "GET", "/api/v1/session", None).await, 401);
    assert_eq!(
        status(&app, &stranger, "GET", "/api/v1/session", None).await,
        200
    );
    app.charge(&stranger, "1000", "KHR").await;
    assert!(matches!(
        next_msg(&mut stranger_ws).await,
        api::ServerMsg::Event { .. }
    ));
}

#[tokio::test]
async fn an_invitation_link_does_not_tell_who_has_an_account_and_refusals_are_throttled() {
    let app = spawn_app().await;
    let owner = app.register("enum-owner@shop.kh", "enum@aclb").await;
    app.register("victim@else.kh", "victim@aclb").await;
    let accept = |token: String| {
        app.http
            .post(app.url(&format!("/api/v1/invitations/{token}/accept")))
            .json(&json!({"password": "0123456789abc"}))
            .send()
    };
    let inv = |email: &'static str| {
        send(
            &app,
            &owner,
            "POST",
            "/api/v1/staff/invitations",
            Some(json!({"email": email, "role": "cashier"})),
        )
    };
    let taken: Value = inv("victim@else.kh").await.json().await.unwrap();
    let taken = accept(taken["token"].as_str().unwrap().to_owned())
        .await
        .unwrap();
    let wrong = accept("forged-link".into()).await.unwrap();
    assert_eq!(
        (taken.status(), wrong.status()),
        (
            reqwest::StatusCode::NOT_FOUND,
            reqwest::StatusCode::NOT_FOUND
        )
    );
    let (taken, wrong): (Value, Value) = (taken.json().await.unwrap(), wrong.json().await.unwrap());
    assert_eq!(taken, wrong, "the same answer either way");
    // Every refusal counts: a run of probes is cut off.
    let mut limited = false;
    for i in 0..40 {
        if accept(format!("probe-{i}")).await.unwrap().status() == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "refused links are throttled");
}

#[tokio::test]
async fn an_emailed_invitation_proves_the_address_and_a_handed_over_one_does_not() {
    let (smtp_url, mut mails) = smtp_sink().await;
    let app = spawn_app_with(|s| {
        s.mail = Some(MailSettings {
            smtp_url,
            from: "tonle <no-reply@shop.example>".into(),
            public_url: "https://pay.shop.example/".into(),
        });
    })
    .await;
    let owner = app.register("mail-owner@shop.kh", "mail@aclb").await;
    let res = send(
        &app,
        &owner,
        "POST",
        "/api/v1/staff/invitations",
        Some(json!({"email": "mailed@shop.kh", "role": "cashier"})),
    )
    .await;
    assert_eq!(res.status(), 201);
    let made: api::Invitation = res.json().await.unwrap();
    assert_eq!(made.delivery, api::InvitationDelivery::Email);
    assert!(
        made.token.is_none() && made.accept_path.is_none(),
        "the inviter never sees the link"
    );
    let mail = tokio::time::timeout(std::time::Duration::from_secs(10), mails.recv())
        .await
        .unwrap()
        .unwrap();
    let link = mail
        .lines()
        .find_map(|l| l.trim().strip_prefix("https://pay.shop.example/join/"))
        .unwrap_or_else(|| panic!("no join link in {mail}"))
        .to_owned();
    let res = app
        .http
        .post(app.url(&format!("/api/v1/invitations/{link}/accept")))
        .json(&json!({"password": "0123456789abc"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let staff: Vec<api::StaffMember> = app.get_json(&owner.cookie, "/api/v1/staff").await;
    let mailed = staff.iter().find(|m| m.email == "mailed@shop.kh").unwrap();
    assert!(mailed.email_verified);

    // Without SMTP the link is handed over, and the member stays unverified.
    let plain = spawn_app().await;
    let owner = plain.register("plain-owner@shop.kh", "plain@aclb").await;
    join(&plain, &owner, "handed@shop.kh", "cashier").await;
    let staff: Vec<api::StaffMember> = plain.get_json(&owner.cookie, "/api/v1/staff").await;
    assert!(
        !staff
            .iter()
            .find(|m| m.email == "handed@shop.kh")
            .unwrap()
            .email_verified
    );
}

#[tokio::test]
async fn a_new_password_ends_every_session_and_stream_of_the_account() {
    let (smtp_url, mut mails) = smtp_sink().await;
    let app = spawn_app_with(|s| {
        s.mail = Some(MailSettings {
            smtp_url,
            from: "tonle <no-reply@shop.example>".into(),
            public_url: "https://pay.shop.example/".into(),
        });
    })
    .await;
    let m = app.register("pw@shop.kh", "pw@aclb").await;
    let mut ws = connect(&app, &m, None).await;
    assert!(matches!(
        next_msg(&mut ws).await,
        api::ServerMsg::Hello { .. }
    ));
    let asked = app
        .http
        .post(app.url("/api/v1/password-resets"))
        .json(&json!({"email": "pw@shop.kh"}))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 202);
    let mail = tokio::time::timeout(std::time::Duration::from_secs(10), mails.recv())
        .await
        .unwrap()
        .unwrap();
    let token = token_in(&mail);
    let reset = app
        .http
        .post(app.url(&format!("/api/v1/password-resets/{token}")))
        .json(&json!({"password": "a brand new password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 204);
    assert_eq!(close_code(&mut ws).await, Some(api::close::UNAUTHORIZED));
    assert_eq!(status(&app, &m, "GET", "/api/v1/session", None).await, 401);
}

/// Makes every session look unused for `by_ms` (the store's own database, either kind).
async fn age_sessions(app: &TestApp, by_ms: i64) {
    let sql = "update session set last_seen_at = last_seen_at - $1, created_at = created_at - $1";
    match &app.database_url {
        Some(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::query(sql).bind(by_ms).execute(&pool).await.unwrap();
        }
        None => {
            let file = app
                .data_dir
                .path()
                .join(tonle_server::config::DATABASE_FILE);
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
                .await
                .unwrap();
            sqlx::query(sql).bind(by_ms).execute(&pool).await.unwrap();
        }
    }
}

#[tokio::test]
async fn a_session_unused_for_a_week_ends_and_one_in_use_does_not() {
    let app = spawn_app().await;
    let m = app.register("idle@shop.kh", "idle@aclb").await;
    // Six days unused: still signed in, and using it counts as use again.
    age_sessions(&app, 6 * 86_400_000).await;
    assert_eq!(status(&app, &m, "GET", "/api/v1/session", None).await, 200);
    let listed: Vec<api::SessionInfo> = app.get_json(&m.cookie, "/api/v1/sessions").await;
    assert!(
        tonle_server::clock::now_ms() - listed[0].last_seen_at_ms < 60_000,
        "the use was noted"
    );
    // Eight days unused: signed out.
    age_sessions(&app, 8 * 86_400_000).await;
    assert_eq!(status(&app, &m, "GET", "/api/v1/session", None).await, 401);
}
