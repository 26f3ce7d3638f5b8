"""The numbers the prose of 07-adam and 08-sigmoid quotes are the numbers their stored outputs print.

Each entry pairs a phrase of a markdown cell with the text the output it quotes must contain, so a
change to an experiment that moves a number fails here until the prose is updated too.
"""

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]

# (notebook, markdown cell id, phrase in the prose, code cell id, text in that cell's output)
QUOTES = [
    ("07-adam", "cell-009", "3.16 times `lr` at $t = 1$", "cell-008", "3.1623"),
    ("07-adam", "cell-009", "about 6.5\ntimes around $t = 10$", "cell-008", "6.5279"),
    ("07-adam", "cell-009", "3.24 at $t = 100$ and still 1.26 at $t = 1000$", "cell-008", "1.2576"),
    ("07-adam", "cell-009c", "$0.5 / 1.12 = 0.447$", "cell-009b", "true slope / true RMS = 0.447"),
    ("07-adam", "cell-009c", "uphill in the 29%", "cell-009b", "29%"),
    ("07-adam", "cell-009c", "3.03 against 0.46", "cell-009b", "3.030"),
    ("07-adam", "cell-020", "$8.7 \\times 10^{-7}$ (at update 21", "cell-019", "8.73e-07 (at update 21)"),
    ("07-adam", "cell-020", "it moves 0.24 where the explicit form moves 0.91", "cell-019", "0.909091  0.240253"),
    ("07-adam", "cell-027", "dips to 0.15 at update 24", "cell-026", "0.15 (24)"),
    ("07-adam", "cell-027", "to $(-5.5, 0.5)$", "cell-026", "(-5.50, 0.50)"),
    ("07-adam", "cell-030", "SGD** ends 0.53 away", "cell-029", "5.33e-01"),
    ("07-adam", "cell-030", "net move over the\n  last 100 updates is only 0.056", "cell-029", "5.56e-02"),
    ("07-adam", "cell-030", "ends $1.1 \\times 10^{-6}$ from $(1, 1)$", "cell-029", "1.06e-06"),
    ("07-adam", "cell-036", "its training loss is 1.589", "cell-035", "1.589"),
    ("07-adam", "cell-036", "0.136 (RMSprop) and 0.178 (Adam)", "cell-035", "0.178"),
    ("07-adam", "cell-036", "the loss jumps to 4.789 after epoch 2", "cell-035", "4.789"),
    ("08-sigmoid", "cell-024f", "median chain of 30 units $1.1 \\times 10^{-30}$", "cell-024e", "1.06e-30"),
    ("08-sigmoid", "cell-024f", "of 30 units passes $4.4 \\times 10^{-22}$", "cell-024e", "4.42e-22"),
    ("08-sigmoid", "cell-024f", "0 of the 12000 gradients", "cell-024e", "exceeds your bound: 0 of 12000"),
    ("08-sigmoid", "cell-026", "about 370 000 times smaller", "cell-025", "3.73e+05"),
    ("08-sigmoid", "cell-026c", "moved by $6.7 \\times 10^{-5}$ of its size", "cell-026b", "6.7e-05"),
    ("08-sigmoid", "cell-026c", "ReLU's fell to 0.128", "cell-026b", "0.128"),
    ("08-sigmoid", "cell-026f", "44% to 64% of them are\nsaturated", "cell-026e", "64%"),
    ("08-sigmoid", "cell-029", "end $7.6 \\times 10^{-3}$ from $w^\\ast$", "cell-028", "7.63e-03"),
    ("08-sigmoid", "cell-029", "the centred ones $2.0 \\times 10^{-6}$", "cell-028", "1.95e-06"),
    ("08-sigmoid", "cell-029", "still $1.3 \\times 10^{-3}$ from $w^\\ast$", "cell-028", "1.32e-03"),
]


def _cells(assignment):
    nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return {cell.id: cell for cell in nb.cells}


@pytest.mark.parametrize("assignment, prose_id, phrase, output_id, printed", QUOTES,
                         ids=[f"{q[0]}:{q[1]}:{q[4]}" for q in QUOTES])
def test_prose_quotes_the_printed_number(assignment, prose_id, phrase, output_id, printed):
    cells = _cells(assignment)
    assert phrase in cells[prose_id].source, f"{prose_id} no longer says {phrase!r}"
    text = "".join(out.get("text", "") for out in cells[output_id].get("outputs", []) if out.get("output_type") == "stream")
    assert printed in text, f"{output_id} no longer prints {printed!r}, which {prose_id} quotes as {phrase!r}"
