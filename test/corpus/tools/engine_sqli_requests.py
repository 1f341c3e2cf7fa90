"""Requests build_own.py writes as test/corpus/own/<class>/<label>/engine-sqli-NNN.http: SQL injection in
the shapes public payload lists use (tautologies, UNION with column padding, stacked statements,
boolean and time-based blind probes, error-based calls, ORDER BY probes, comment and case evasions),
in every place a client controls (query, form, JSON, XML, multipart, cookies, headers) and under the
encodings the engine decodes; and the benign traffic that looks closest to it (names with
apostrophes, searches full of SQL words, ranges and prices, sort keys, prose with quotes).
Keys are corpus class directories. Append new requests at the end of a list: the number in a file
name is the request's position.

Decision on SQL in a developer's code field: SQL quoted inside prose or a multi-line post passes
(a forum question, a markdown article); a value that IS a bare statement ("SELECT * FROM users
WHERE id = 1") stays flagged wherever it comes, since no ordinary parameter carries one and an
application that takes SQL on purpose (an admin console) disables sqli for that path.
"""
import base64, urllib.parse

import request_builders

UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"
q = urllib.parse.quote
request, get, form, js = request_builders.builders("shop.example.com", UA)
def xml(path, text):
    return request("POST", path, (), text, "application/xml")
def multipart(path, fields):
    b = "----WebKitFormBoundary5tQ9vX"
    body = "".join(f'--{b}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n' for n, v in fields) + f"--{b}--\r\n"
    return request("POST", path, (), body, f"multipart/form-data; boundary={b}")
def cookie(value):
    return (f"Cookie: {value}",)

ATTACKS = {
 "sqli": [
  # Tautologies after a string, in a login form and a JSON login.
  form("/account/login", {"email": "nobody@example.net' OR 'k'='k", "password": "x"}),
  js("/api/auth/login", {"user": "root')) OR (('q'='q", "pass": "hunter2"}),
  form("/account/login", {"email": "x\") or (\"m\"=\"m", "password": "x"}),
  get("/orders", {"status": "shipped' || '7'='7"}),
  # Numeric parameters: a tautology, a closing parenthesis, a logic operator opening the value.
  get("/catalog/item", {"sku": "1044 or 9=9"}),
  get("/catalog/item", {"sku": "1044) or (9=9"}),
  get("/catalog/list", {"filter": " or label = label"}),
  # UNION with NULL padding, comments as blanks, case mixing, versioned comments.
  get("/catalog/item", {"sku": "-5 UnIoN/**/sElEcT/**/NULL,NULL,NULL,NULL--"}),
  get("/catalog/item", {"sku": "0 /*!40000union*/ /*!40000select*/ null,concat(login,0x3a,pw),null from accounts#"}),
  js("/api/search", {"term": "lamp' UNION ALL SELECT NULL,table_name,NULL FROM information_schema.tables-- -", "page": 3}),
  get("/catalog/item", {"sku": "7.0union select 1,2,3"}),
  # Stacked statements.
  form("/cart/update", {"qty": "2; TRUNCATE TABLE audit_log--"}),
  js("/api/notes", {"id": "88'; UPDATE accounts SET role='owner' WHERE login='me'--"}),
  # Boolean and time-based blind probes.
  get("/catalog/item", {"sku": "1044 AND 4=4"}),
  get("/catalog/item", {"sku": "1044 AND SLEEP(7)"}),
  get("/news", {"slug": "spring-sale' AND (SELECT 9 FROM (SELECT(SLEEP(7)))qq)-- -"}),
  get("/news", {"slug": "x' AND IF(ASCII(SUBSTRING(DATABASE(),1,1))>100,SLEEP(4),0)-- "}),
  get("/news", {"slug": "x' AND (CASE WHEN (2=2) THEN 1 ELSE 0 END)=1-- "}),
  form("/report", {"year": "2024;WAITFOR DELAY '0:0:6'--"}),
  js("/api/report", {"from": "2024-01-01'||pg_sleep(6)||'"}),
  # Error-based calls.
  get("/profile", {"id": "3 and updatexml(0,concat(0x2e,(select current_user())),0)"}),
  get("/profile", {"id": "3' and 1=convert(int,(select top 1 name from sys.databases))--"}),
  # ORDER BY / GROUP BY probes and an injected sort key.
  get("/catalog/list", {"sort": "1 ORDER BY 12--"}),
  get("/catalog/list", {"order": "ORDER BY 4#"}),
  get("/catalog/list", {"sort": "(CASE WHEN (5=5) THEN price ELSE title END)"}),
  # INSERT ... VALUES and UPDATE ... SET continued.
  form("/guestbook", {"name": "kit'), ('spam', 'spam')-- ", "text": "hi"}),
  form("/profile/save", {"nick": "kit', is_admin=1 WHERE nick='kit'-- "}),
  # Places: cookie, headers, XML, multipart, path.
  get("/", headers=cookie("cart_id=" + q("51' AND 1=1 UNION SELECT password,2 FROM staff-- "))),
  get("/", headers=("X-Forwarded-For: 10.1.2.3' AND SLEEP(5) AND 'a'='a",)),
  request("GET", "/", ua="Mozilla/5.0' or 1=1 -- "),
  xml("/soap/price", '<?xml version="1.0"?><getPrice><sku>88 OR 1=1</sku></getPrice>'),
  multipart("/support/upload", [("ticket", "4431' AND extractvalue(1,concat(0x7e,@@version))-- ")]),
  request("GET", "/catalog/item/5%20UNION%20SELECT%201,2,3--"),
  # Encodings: double URL, JSON unicode escape, base64 in a cookie, newlines as blanks.
  request("GET", "/catalog/item?sku=9%2527%2520OR%25201%253D1--"),
  request("POST", "/api/auth/login", (), '{"user":"ops\\u0027 OR \\u00271\\u0027=\\u00271","pass":"x"}', "application/json"),
  get("/", headers=cookie("prefs=" + base64.b64encode(b"1 UNION SELECT user,pass FROM admins").decode())),
  request("GET", "/catalog/item?sku=1%0aAND%0a1%3D1%0aUNION%0aSELECT%0a1,2"),
  # Generated-tool shapes: a balanced break-out, a boolean subquery, bare statements, an ODBC escape.
  get("/catalog/item", {"sku": "1') AND 6104=6104 AND ('QwEr'='QwEr"}),
  get("/catalog/item", {"sku": "1 RLIKE (SELECT (CASE WHEN (7310=7310) THEN 1 ELSE 0x28 END))"}),
  js("/api/admin/query", {"sql": "drop database shop"}),
  form("/settings", {"theme": "update accounts set is_admin=1"}),
  get("/catalog/item", {"sku": "77 or {x length((/*! select pw from staff*/))>0}"}),
  get("/catalog/list", {"cat": "3 or true"}),
  # A tracking cookie carrying a form-encoded break-out literally, and a concatenated subquery.
  get("/", headers=cookie("TrackingId=Qx81'+OR+1=1--")),
  get("/", headers=cookie("TrackingId=Qx81'||(SELECT CASE WHEN (1=1) THEN TO_CHAR(1/0) ELSE '' END FROM dual)||'")),
  # MSSQL national and hex string literals in the tautology.
  form("/account/login", {"email": "ops@example.net' OR N'z'=N'z'--", "password": "x"}),
  get("/catalog/item", {"sku": "12 or X'41'=X'41'"}),
 ],
}

BENIGN = {
 "benign_search": [
  get("/search", {"q": "select the best running shoes"}),
  get("/search", {"q": "union station to grand central"}),
  get("/search", {"q": "drop-down menu not closing"}),
  get("/search", {"q": "O'Neil family reunion"}),
  get("/search", {"q": "case when in sql server"}),
  get("/search", {"q": "order by date desc"}),
  get("/search", {"q": "1 or 2 seater sofa"}),
  get("/search", {"q": "kids 3-5 years"}),
  get("/search", {"q": "\"desc\""}),
  get("/search", {"q": "either 'a' or 'b' answers"}),
 ],
 "benign_forms": [
  form("/account/signup", {"first": "D'Angelo", "last": "O'Neil", "email": "dangelo.oneil@example.com"}),
  form("/checkout", {"name": "Siobhán O'Sullivan", "street": "12 O'Connell St.", "note": "ring twice -- dog sleeps"}),
  form("/review", {"text": "Good value, price 1-2 EUR cheaper than in store; would buy again (5/5)"}),
  form("/contact", {"message": "Can I update my order? I selected the wrong size, 42 or 43, whichever is in stock."}),
  form("/catalog/list", {"sort": "price desc, name asc", "page": "2"}),
  form("/profile/save", {"nick": "kit", "bio": "I'm 5' 10\", I like rock 'n' roll and Ben & Jerry's."}),
 ],
 "benign_api": [
  js("/api/people", {"name": "Mary-Jane O'Neil", "company": "O'Reilly & Sons", "title": "Head of 'Growth'"}),
  js("/api/filters", {"range": {"min": 1, "max": 2}, "label": "1-2", "sort": ["-created_at", "name"]}),
  js("/api/forum/posts", {"title": "Why is my query slow?", "body": "My ORDER BY on created_at takes 3s:\n\n"
                          "    SELECT id, title FROM posts WHERE author_id = 7 ORDER BY created_at DESC LIMIT 20\n\n"
                          "There is an index on author_id only. Do I need a composite one?"}),
  js("/api/forum/posts", {"title": "CASE WHEN vs IF", "body": "In MySQL both work, but CASE WHEN x = 1 THEN 'a' ELSE 'b' END "
                          "is standard SQL, so prefer it when you may move to PostgreSQL."}),
  js("/api/quiz", {"question": "Is 1 = 1 always true?", "answer": "yes, or true in boolean terms"}),
  js("/api/units", {"weight": "1.5kg or 2kg", "size": "10x20"}),
  js("/api/spreadsheet/cells", {"A1": "=IF(B2>5, \"yes\", \"no\")", "A2": "=SUM(B1:B9)"}),
  js("/api/search/advanced", {"query": "status:active AND (title:\"union\" OR title:\"select\")", "sort": "price:desc"}),
  js("/api/odata", {"$filter": "Name eq 'Milk' and Price lt 2.55", "$orderby": "Price desc"}),
  form("/admin/tutorials", {"title": "drop database tutorial for beginners", "tags": "sql, mysql"}),
  form("/notes", {"text": "order by 12 #fast, group by 2 # of people"}),
  js("/api/playlists", {"name": "Youssou N'Dour & N'Golo's picks", "note": "B'day party or X'mas party?"}),
 ],
 "benign_headers": [
  get("/", headers=cookie("last_search=" + q("O'Brien's pub") + "; sort=price_desc")),
  get("/", headers=("Referer: https://shop.example.com/search?q=union+jack+flag&sort=desc",)),
  get("/", headers=("X-Forwarded-For: 203.0.113.9, 10.0.0.2",)),
  get("/", headers=cookie("fav=rock+and+roll; lang=C++; ui=a+or+b")),
 ],
}
