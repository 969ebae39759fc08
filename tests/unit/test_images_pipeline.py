"""The pipeline without Pelican: cache hits, parallel workers, markup."""

from __future__ import annotations

import photos

from images import markup, plan
from images.pipeline import Pipeline


def sources(folder) -> dict[str, str]:
    made = {"images/a.jpg": photos.jpeg((640, 480)), "images/b.png": photos.transparent_png(),
            "images/c.jpg": photos.sideways_phone_jpeg(), "images/d.jpg": photos.cmyk_jpeg()}
    paths = {}
    for rel, data in made.items():
        path = folder / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths[rel] = str(path)
    return paths


def published(output) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in output.rglob("*") if p.is_file()}


def test_two_workers_make_the_same_files_as_one(tmp_path):
    photos_on_disk = sources(tmp_path)
    one = Pipeline(plan.check_settings({"WORKERS": 1}), str(tmp_path / "c1"), str(tmp_path / "o1"))
    two = Pipeline(plan.check_settings({"WORKERS": 2}), str(tmp_path / "c2"), str(tmp_path / "o2"))
    one.run(photos_on_disk)
    two.run(photos_on_disk)
    assert (one.counts.processed, two.counts.processed) == (4, 4)
    files = published(tmp_path / "o1")
    assert files and files == published(tmp_path / "o2")
    assert all(name.startswith("images/") for name in files)


def test_warm_run_reads_the_cache_and_restores_a_deleted_output(tmp_path):
    photos_on_disk = sources(tmp_path)
    settings = plan.check_settings({"WORKERS": 1})
    Pipeline(settings, str(tmp_path / "cache"), str(tmp_path / "out")).run(photos_on_disk)
    before = published(tmp_path / "out")
    for path in (tmp_path / "out").rglob("*.webp"):
        path.unlink()  # e.g. output/ deleted by DELETE_OUTPUT_DIRECTORY
    warm = Pipeline(settings, str(tmp_path / "cache"), str(tmp_path / "out"))
    warm.run(photos_on_disk)
    assert (warm.counts.processed, warm.counts.cached) == (0, 4)
    assert published(tmp_path / "out") == before


def test_seed_cache_is_read_but_never_written(tmp_path):
    photos_on_disk = sources(tmp_path)
    settings = plan.check_settings({"WORKERS": 1})
    Pipeline(settings, str(tmp_path / "project-cache"), str(tmp_path / "out1")).run(photos_on_disk)
    seed = published(tmp_path / "project-cache")
    extra = tmp_path / "content/images/e.jpg"
    extra.write_bytes(photos.jpeg((320, 240), colour=(10, 200, 90)))
    check = Pipeline({**settings, "SEED_CACHE_DIR": str(tmp_path / "project-cache")},
                     str(tmp_path / "tmp-cache"), str(tmp_path / "out2"))
    check.run({**photos_on_disk, "images/e.jpg": str(extra)})
    assert (check.counts.processed, check.counts.cached) == (1, 4)  # only the new photo
    assert published(tmp_path / "project-cache") == seed  # the seed is untouched
    assert published(tmp_path / "out2").keys() > published(tmp_path / "out1").keys()


def test_rewrite_keeps_other_attributes_and_escapes():
    html = '<p>x</p><figure><img alt="A &amp; B" class="wide" src="{static}/images/a.jpg"></figure><img src="/x.svg">'
    seen = []

    def replace(attrs, others, index):
        seen.append((attrs["src"], others, index))
        if attrs["src"].endswith(".svg"):
            return None
        return f'<picture data-alt="{attrs["alt"]}"></picture>'

    result = markup.rewrite_images(html, replace)
    assert seen == [("{static}/images/a.jpg", [("class", "wide")], 0), ("/x.svg", [], 1)]
    assert result == '<p>x</p><figure><picture data-alt="A & B"></picture></figure><img src="/x.svg">'
