"""Reading input files the way their own tools read them, within bounds.

`files` refuses FIFOs and devices, caps sizes, decodes (BOM, CR-only line ends, binary);
`yamlio` reads YAML through libyaml (Python fallback for redefined anchors) with node budgets
against alias bombs and errors that name file:line and the parser's own words, never the text.

Contract: every parse error is a parity.errors.ParseError naming where, never a secret.
"""
