"""Reads chart/values.yaml's keys and their `# --` comments (the subset of YAML the file uses:
nested maps, scalars, [] and {}), to check that the README documents every value."""
import re

KEY = re.compile(r"^(\s*)([A-Za-z_][\w-]*):\s*(.*)$")


def values_with_docs(path):
    """Returns [(dotted.key, default text, doc)] for every leaf of values.yaml, in file order."""
    out, stack, doc = [], [], []
    with open(path) as f:
        lines = f.readlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("# --"):
            doc = [stripped[4:].strip()]
            continue
        if stripped.startswith("#") and doc:
            doc.append(stripped[1:].strip())
            continue
        m = KEY.match(line.rstrip("\n"))
        if not m or stripped.startswith("-"):
            continue
        indent, key, value = len(m.group(1)), m.group(2), m.group(3)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        dotted = ".".join([k for _, k in stack] + [key])
        value = re.sub(r"\s+#.*$", "", value)
        nxt = next((l for l in lines[i + 1:] if l.strip() and not l.strip().startswith("#")), "")
        nested = value == "" and len(nxt) - len(nxt.lstrip()) > indent
        if nested and not doc:
            stack.append((indent, key))
        else:
            if nested:  # a documented map, e.g. resources: its block is the default
                block = []
                for l in lines[i + 1:]:
                    if l.strip() and len(l) - len(l.lstrip()) <= indent:
                        break
                    block.append(l.strip())
                value = "{" + ", ".join(b for b in block if b and not b.startswith("#")) + "}"
                stack.append((indent, key))
                out.append((dotted, value, " ".join(doc)))
                doc = []
                # skip its children: they are covered by the map's row
                stack[-1] = (indent, key + "\0")
                continue
            if not any("\0" in k for _, k in stack):
                out.append((dotted, value, " ".join(doc)))
        doc = []
    return out
