#!/usr/bin/env python3
"""
`npm run icons`: the console's icon font, src/icons/material-symbols-console.woff2, made from the
Material Symbols Outlined font of the `material-symbols` package with only the icons the console
uses (src/icons/used-icons.ts) at the one style it shows (outlined, weight 400, not filled, grade 0,
optical size 24), and its record src/icons/icon-font.json (the names and the file's SHA-256, which
icon-font.test.ts checks against the sources). The full font is about 4 MB: a browser would fetch
all of it before it draws the first icon (the tab's action buttons are icons).

Needs fontTools with brotli (Debian: apt-get install python3-fonttools python3-brotli).
"""
import hashlib
import io
import json
import os
import subprocess
import sys

try:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer
except ImportError:
    sys.exit(
        f'{sys.executable} has no fontTools: apt-get install python3-fonttools python3-brotli '
        '(then run this with /usr/bin/python3 if another python3 comes first on PATH), '
        'or pip install fonttools brotli'
    )

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, 'node_modules', 'material-symbols')
SOURCE = os.path.join(PACKAGE, 'material-symbols-outlined.woff2')
OUT_DIR = os.path.join(ROOT, 'src', 'icons')
FONT = os.path.join(OUT_DIR, 'material-symbols-console.woff2')
RECORD = os.path.join(OUT_DIR, 'icon-font.json')
AXES = {'FILL': 0, 'wght': 400, 'GRAD': 0, 'opsz': 24}


def used_icons():
    script = (
        "import('./src/icons/used-icons.ts')"
        ".then((m) => console.log(JSON.stringify((m.default ?? m).usedIcons('.'))))"
    )
    out = subprocess.run(
        ['node', '--import', 'tsx', '-e', script], cwd=ROOT, check=True, capture_output=True
    )
    return json.loads(out.stdout)


def keep_only(font, names):
    """Drops every ligature (the spelling of an icon's name) but those of `names`; returns the
    icons' glyphs by name."""
    letter_of = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    glyphs = {}
    for lookup in font['GSUB'].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, 'ExtSubTable', table)
            if table.LookupType != 4:
                continue
            for first, ligatures in table.ligatures.items():
                kept = []
                for ligature in ligatures:
                    spelled = letter_of.get(first, '\0') + ''.join(
                        letter_of.get(c, '\0') for c in ligature.Component
                    )
                    if spelled in names:
                        kept.append(ligature)
                        glyphs[spelled] = ligature.LigGlyph
                table.ligatures[first] = kept
    return glyphs


def main():
    names = used_icons()
    # The same sources give the same bytes: the head table keeps the source font's date.
    font = TTFont(SOURCE, recalcTimestamp=False)
    glyphs = keep_only(font, set(names))
    missing = [n for n in names if n not in glyphs]
    if missing:
        sys.exit('not in the font: ' + ', '.join(missing))
    font = instancer.instantiateVariableFont(font, AXES)
    options = subset.Options()
    options.flavor = 'woff2'
    # The font spells its icons with required ligatures (rlig).
    options.layout_features = ['rlig', 'liga']
    options.name_IDs = ['*']
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    letters = sorted({c for n in names for c in n})
    subsetter.populate(glyphs=list(glyphs.values()), unicodes=[ord(c) for c in letters])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = 'woff2'
    font.save(buffer)
    data = buffer.getvalue()
    with open(FONT, 'wb') as out:
        out.write(data)
    version = json.load(open(os.path.join(PACKAGE, 'package.json')))['version']
    record = {
        'source': f'material-symbols {version}, material-symbols-outlined.woff2',
        'axes': AXES,
        'sha256': hashlib.sha256(data).hexdigest(),
        'names': names,
    }
    with open(RECORD, 'w') as out:
        json.dump(record, out, indent=2)
        out.write('\n')
    print(f'{FONT}: {len(names)} icons, {len(data)} bytes')


if __name__ == '__main__':
    main()
