//! Generic error bodies for failures outside the Leptos render (panics, refused requests).
//! They name no file, type or library: only what happened and what to do.

use axum::body::Body;
use axum::http::{header, Response, StatusCode};
use std::any::Any;

const PAGE_500: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>服务暂时不可用 Service unavailable</title></head>\
<body><main><h1>服务暂时不可用</h1><p>出现了问题，请稍后重试。</p>\
<h2 lang=\"en\">Something went wrong</h2><p lang=\"en\">Please try again later.</p>\
<p><a href=\"/\">返回首页 / Home</a></p></main></body></html>";

const PAGE_403: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>请求被拒绝 Request refused</title></head>\
<body><main><h1>请求被拒绝</h1><p>该请求不是从本网站页面发出的，已被拒绝。请回到网站页面重新操作。</p>\
<h2 lang=\"en\">Request refused</h2><p lang=\"en\">This request did not come from a page of this site, so it was refused. Go back to the site and try again.</p>\
<p><a href=\"/\">返回首页 / Home</a></p></main></body></html>";

const PAGE_413: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>提交的内容过大 Request too large</title></head>\
<body><main><h1>提交的内容过大</h1><p>您提交的内容超过了本网站允许的大小。请减少内容后重新提交。</p>\
<h2 lang=\"en\">Request too large</h2><p lang=\"en\">What you sent is larger than this site accepts. Send less and try again.</p>\
<p><a href=\"/\">返回首页 / Home</a></p></main></body></html>";

pub fn panic_response(_payload: Box<dyn Any + Send + 'static>) -> Response<Body> {
    tracing::error!("request handler panicked");
    html(StatusCode::INTERNAL_SERVER_ERROR, PAGE_500)
}

pub fn forbidden_cross_origin() -> Response<Body> {
    html(StatusCode::FORBIDDEN, PAGE_403)
}

pub fn payload_too_large() -> Response<Body> {
    html(StatusCode::PAYLOAD_TOO_LARGE, PAGE_413)
}

fn html(status: StatusCode, body: &'static str) -> Response<Body> {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    res.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/html; charset=utf-8"));
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    res
}
