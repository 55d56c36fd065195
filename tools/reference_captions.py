"""The reference's caption cleaner, loaded for the fixture tools: `text_preprocessing`, `clean_caption`,
`basic_clean` and `BAD_PUNCT_REGEX` are taken from a copy of Open-Sora v1.2.0's
opensora/models/text_encoder/t5.py at run time (nothing of it is copied here) and executed unchanged."""
import ast, html, pathlib, re

import ftfy


def load_text_preprocessing(source_path, ftfy_module=ftfy):
    """The reference's text_preprocessing, running on `ftfy_module` (ftfy itself by default)."""
    tree = ast.parse(pathlib.Path(source_path).read_text())
    wanted = {"basic_clean", "clean_caption", "text_preprocessing", "BAD_PUNCT_REGEX"}
    picked = [n for n in tree.body
              if (isinstance(n, ast.FunctionDef) and n.name in wanted)
              or (isinstance(n, ast.Assign) and any(getattr(t, "id", None) in wanted for t in n.targets))]
    assert len(picked) == 4, f"expected the reference's 4 definitions, found {len(picked)}"
    namespace = {"re": re, "ftfy": ftfy_module, "html": html}
    exec(compile(ast.Module(body=picked, type_ignores=[]), str(source_path), "exec"), namespace)
    return namespace["text_preprocessing"]
