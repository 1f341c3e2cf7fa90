"""A JSON Patch (RFC 6902) applier for the operations an admission webhook returns."""
import copy


def _pointer(path):
    """RFC 6901: '/a/b~1c' -> ['a', 'b/c']."""
    if path == "":
        return []
    assert path.startswith("/"), f"not a JSON pointer: {path!r}"
    return [token.replace("~1", "/").replace("~0", "~") for token in path[1:].split("/")]


def _child(container, token):
    return container[int(token)] if isinstance(container, list) else container[token]


def apply(document, patch):
    """Returns a patched copy of document; supports add, remove, replace and test."""
    doc = copy.deepcopy(document)
    for op in patch:
        *parents, last = _pointer(op["path"])
        target = doc
        for token in parents:
            target = _child(target, token)
        kind = op["op"]
        if kind == "test":
            assert _child(target, last) == op["value"], f"test failed at {op['path']}"
        elif kind == "remove":
            del target[int(last) if isinstance(target, list) else last]
        elif kind in ("add", "replace"):
            value = copy.deepcopy(op["value"])
            if isinstance(target, list):
                if last == "-":
                    target.append(value)
                elif kind == "add":
                    target.insert(int(last), value)
                else:
                    target[int(last)] = value
            else:
                if kind == "replace":
                    assert last in target, f"replace of a missing member {op['path']}"
                target[last] = value
        else:
            raise ValueError(f"unsupported JSON Patch operation {kind!r}")
    return doc
