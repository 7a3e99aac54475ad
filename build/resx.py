#!/usr/bin/env python3
"""Writes a .resx file from a dict of English key -> translation (used to keep portal translations as data).

Usage from Python: import resx; resx.write(path, {"English": "Traduction"}). Keys are kept sorted so diffs stay small.
"""
from xml.sax.saxutils import escape

HEADER = '''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''


def write(path, entries):
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for key in sorted(entries):
            f.write('  <data name="%s" xml:space="preserve"><value>%s</value></data>\n'
                    % (escape(key, {'"': "&quot;"}), escape(entries[key])))
        f.write("</root>\n")
