// The evidence locator of the detail view (src/postanalytics/console/highlight.js), under node's
// test runner: the engine reports decoded evidence, the excerpt is the raw request.
import assert from 'node:assert/strict';
import test from 'node:test';
import { locate, segments } from '../../src/postanalytics/console/highlight.js';

const found = (text, evidence) => locate(text, evidence).map(([a, b]) => text.slice(a, b));

test('verbatim evidence, ASCII case-insensitive, every occurrence', () => {
  assert.deepEqual(found('a <Script> b <script>', '<script>'), ['<Script>', '<script>']);
});

test('percent-encoded and form-encoded evidence maps back to the raw characters', () => {
  const raw = "GET /search?q=1%27+or+%271%27%3D%271 HTTP/1.1";
  assert.deepEqual(found(raw, "1' or '1'='1"), ['1%27+or+%271%27%3D%271']);
});

test('double-encoded evidence and multi-byte UTF-8', () => {
  assert.deepEqual(found('p=%253Cscript%253E', '<script>'), ['%253Cscript%253E']);
  assert.deepEqual(found('x=%C3%A9t%C3%A9!', 'été'), ['%C3%A9t%C3%A9']);
});

test('evidence that is not in the excerpt highlights nothing', () => {
  assert.deepEqual(locate('GET / HTTP/1.1', 'union select'), []);
  assert.deepEqual(locate('', 'x'), []);
  assert.deepEqual(locate('abc', ''), []);
});

test('segments cover the excerpt exactly and name the findings of each highlighted part', () => {
  const text = 'abc<script>def';
  const parts = segments(text, ['<script>', 'script']);
  assert.equal(parts.map((p) => p.text).join(''), text);
  assert.deepEqual(parts, [
    { text: 'abc', findings: [] }, { text: '<', findings: [0] }, { text: 'script', findings: [0, 1] },
    { text: '>', findings: [0] }, { text: 'def', findings: [] }]);
});
