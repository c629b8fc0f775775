"""Fill empty msgstr entries of a .po file from a JSON map {msgid: msgstr}.

A small helper for translators working without an editor; it never
overwrites an existing translation.
"""

import json
import re
import sys


def fill(po_path: str, mapping: dict[str, str]) -> list[str]:
    with open(po_path, encoding="utf-8") as f:
        text = f.read()
    missing = []

    def repl(match: re.Match) -> str:
        msgid = match.group(1)
        if msgid in mapping:
            value = mapping[msgid].replace('"', '\\"')
            return f'msgid "{msgid}"\nmsgstr "{value}"\n'
        missing.append(msgid)
        return match.group(0)

    text = re.sub(r'msgid "((?:[^"\\]|\\.)+)"\nmsgstr ""\n(?!")', repl, text)
    text = text.replace("#, fuzzy\n", "", 1) if text.startswith("# SOME") or '#, fuzzy\nmsgid ""' in text else text
    with open(po_path, "w", encoding="utf-8") as f:
        f.write(text)
    return missing


if __name__ == "__main__":
    po, js = sys.argv[1], sys.argv[2]
    with open(js, encoding="utf-8") as f:
        left = fill(po, json.load(f))
    for msgid in left:
        print("untranslated:", msgid)
