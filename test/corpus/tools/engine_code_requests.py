"""Requests build_own.py writes as test/corpus/own/<class>/<label>/engine-code-NNN.http: server-side code
injection outside templates and the shell (SSI directives, PHP tags and calls, PHP uploads, OGNL and
Java gadget classes, class-loader walks, serialized objects) in the places they arrive, and the benign
traffic nearest to it (jQuery, prices with '$', XML declarations, Java stack traces in a support form,
prose about PHP functions, ordinary uploads). Keys are corpus class directories. Append new requests
at the end of a list: the number in a file name is the request's position.
"""
from engine_sqli_requests import get, form, js, request

def upload(path, filename, content, ct="application/octet-stream"):
    b = "----WebKitFormBoundary7MA4YWxk"
    body = (f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {ct}\r\n\r\n{content}\r\n--{b}--\r\n")
    return request("POST", path, (), body, f"multipart/form-data; boundary={b}")

ATTACKS = {"code_injection": [
    get("/page", {"name": '<!--#exec cmd="cat /etc/passwd" -->'}),
    form("/guestbook", {"msg": '<!--#include virtual="/etc/shadow"-->', "name": "x"}),
    get("/index.php", {"lang": "<?php system($_GET['c']); ?>"}),
    js("/api/notes", {"body": "<?= `id` ?>"}),
    get("/debug", {"fn": "phpinfo()"}),
    form("/calc", {"expr": "system('id');"}),
    get("/x", {"a": "${'sys'.'tem'}('id')"}),
    upload("/avatar", "shell.php", "<?php echo 1; ?>", "image/png"),
    upload("/docs", "report.phtml", "hello"),
    request("POST", "/upload", ["X-File-Name: backdoor.php5"], "data", "application/octet-stream"),
    get("/struts/index.action", {"redirect": "%{(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(@java.lang.Runtime@getRuntime().exec('id'))}"}),
    form("/spring/signup", {"class.module.classLoader.resources.context.parent.pipeline.first.pattern": "x", "name": "a"}),
    js("/api/import", {"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "java.net.URL"}),
    get("/cart", headers=["Cookie: cart=O:8:\"CartItem\":1:{s:4:\"file\";s:11:\"/etc/passwd\";}"]),
    request("POST", "/config", (), '!!python/object/apply:os.system ["id"]', "application/x-yaml"),
    get("/view", {"tpl": "<%@ page import=\"java.lang.*\" %>"}),
]}
BENIGN = {"benign_code": [
    js("/api/snippets", {"lang": "js", "code": "$(document).ready(function () { $('#menu').toggle(); });"}),
    form("/checkout", {"note": "Please charge $5 (shipping) and $10 (gift wrap)"}),
    js("/api/support", {"message": "Crash report:\njava.io.IOException: Broken pipe\n\tat java.net.SocketOutputStream.socketWrite(SocketOutputStream.java:111)"}),
    get("/search", {"q": "php system function example"}),
    form("/feed", {"xml": '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"></rss>'}),
    upload("/photos", "holiday.jpg", "JFIF data", "image/jpeg"),
    get("/docs", {"page": "class loaders in java explained"}),
    js("/api/blog", {"title": "Runtime of our build", "body": "The runtime went from 5 to 3 minutes."}),
]}
