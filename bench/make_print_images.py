"""Re-render the README's images of printed pages (docs/img/dossier.png, agreement-*.png,
annex1.png) from the fictional sample data, with pdftoppm.

    PYTHONPATH=. python bench/make_print_images.py [OUT_DIR]
"""

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "forms"))

import form_samples

from exports.dossier_pdf import render_dossier_pdf
from exports.pdf_form import render_form_pdf
from forms.entrustment import ENTRUSTMENT
from forms.spec import FilledForm

HEIGHT = 704  # pixels per page; pages side by side on a grey band 728 high


def pages(pdf: Path, first: int, last: int, folder: Path) -> list[Image.Image]:
    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", str(first), "-l", str(last),
                    str(pdf), str(prefix)], check=True)
    files = sorted(folder.glob(f"{pdf.stem}-*.png"))
    out = []
    for f in files:
        im = Image.open(f).convert("RGB")
        im = im.resize((round(im.width * HEIGHT / im.height), HEIGHT), Image.LANCZOS)
        out.append(ImageOps.expand(im, border=1, fill=(150, 150, 150)))
        f.unlink()
    return out


def band(images: list[Image.Image], target: Path) -> None:
    gap = 12
    width = sum(i.width for i in images) + gap * (len(images) + 1)
    canvas = Image.new("RGB", (width, HEIGHT + 2 + 2 * gap - 10), (224, 224, 224))
    x = gap
    for im in images:
        canvas.paste(im, (x, gap - 5))
        x += im.width + gap
    canvas.save(target, optimize=True)
    print(target, canvas.size)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        dossier = render_dossier_pdf(form_samples.dossier(visits=24), folder / "dossier.pdf")
        band(pages(dossier, 1, 3, folder), out / "dossier.png")
        filled = render_form_pdf(form_samples.agreement(), folder / "agreement.pdf")
        band(pages(filled, 1, 4, folder), out / "agreement-filled.png")
        blank = render_form_pdf(FilledForm.blank(ENTRUSTMENT), folder / "blank.pdf")
        band(pages(blank, 1, 4, folder), out / "agreement-blank.png")
        annex1 = annex1_pdf(folder)
        if annex1 is not None:
            im = pages(annex1, 1, 1, folder)[0]
            im.save(out / "annex1.png", optimize=True)
            print(out / "annex1.png", im.size)


def annex1_pdf(folder: Path) -> Path | None:
    """Annex 1 of a small demo archive (made in the temporary folder)."""
    from exports.tables import render_table_pdf
    from models import demo
    from models.archive import DEMO_RECOVERY_CODE, Archive
    from models.derived import refresh_all
    from models.reports import annex1_form

    archive, _ = Archive.create(folder / "demo.tongdang", "丹朱镇", "长子县", "changzhi",
                                recovery_code=DEMO_RECOVERY_CODE, is_demo=True)
    try:
        demo.generate(300, seed=7, writer=archive.writer())
        refresh_all()
        return render_table_pdf(annex1_form(date(2026, 6, 30)), folder / "annex1.pdf")
    finally:
        archive.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
