"""Pure logic behind the theme: neighbours of an article, site data files."""

import random
import types

from neighbours import store
from neighbours.select import link_positions, previous_and_next, related, same_category, shape
from site_data.load import load_folder


def _article(title, category, tags, day):
    return types.SimpleNamespace(title=title, category=category, tags=tags, date=day)


NEWEST_FIRST = [
    _article("e", "Kinh tế", ["lúa", "nông dân"], 5),
    _article("d", "Kinh tế", ["nông dân"], 4),
    _article("c", "Chính quyền", ["lúa", "nông dân", "hợp tác xã"], 3),
    _article("b", "Kinh tế", [], 2),
    _article("a", "Chính quyền", ["hội nghị"], 1),
]


def test_related_prefers_more_shared_tags_then_newest_and_skips_itself():
    e, d, c, _, _ = NEWEST_FIRST
    assert related(e, NEWEST_FIRST, 5) == [c, d]
    assert related(e, NEWEST_FIRST, 1) == [c]
    assert related(NEWEST_FIRST[3], NEWEST_FIRST, 5) == []  # no tags, nothing related


def test_category_news_are_the_newest_others_not_already_related():
    e, d, _, b, _ = NEWEST_FIRST
    assert same_category(e, NEWEST_FIRST, 5) == [d, b]
    assert same_category(e, NEWEST_FIRST, 5, exclude=[d]) == [b]


def test_previous_and_next_follow_the_date_order():
    around = previous_and_next(NEWEST_FIRST)
    e, d, _, _, a = NEWEST_FIRST
    assert around[id(e)] == (d, None)
    assert around[id(a)] == (None, NEWEST_FIRST[3])


def test_links_file_is_loaded_in_order_and_nfc(tmp_path):
    (tmp_path / "links.yml").write_text(
        "- name: Cổng Dịch vụ công quốc gia\n  url: https://dichvucong.gov.vn\n  group: Trung ương\n"
        "- name: Báo Ha\u0300 Ti\u0303nh\n  url: https://baohatinh.vn\n  group: Tỉnh Hà Tĩnh\n",
        encoding="utf-8",
    )
    data, errors = load_folder(str(tmp_path), {"links": ["name", "url", "group"]})
    assert errors == []
    assert [link["name"] for link in data["links"]] == ["Cổng Dịch vụ công quốc gia", "Báo Hà Tĩnh"]


def test_a_link_without_url_is_reported_with_its_line_and_left_out(tmp_path):
    (tmp_path / "links.yml").write_text(
        "- name: Báo Hà Tĩnh\n  url: https://baohatinh.vn\n  group: Tỉnh\n- name: Thiếu địa chỉ\n  group: Tỉnh\n",
        encoding="utf-8",
    )
    data, errors = load_folder(str(tmp_path), {"links": ["name", "url", "group"]})
    assert [link["name"] for link in data["links"]] == ["Báo Hà Tĩnh"]
    assert len(errors) == 1 and errors[0].line == 4 and errors[0].field == "url"
    assert "thiếu" in errors[0].message


def test_bad_yaml_names_the_line(tmp_path):
    (tmp_path / "links.yml").write_text("- name: A\n  url: [unclosed\n", encoding="utf-8")
    data, errors = load_folder(str(tmp_path), {})
    assert "links" not in data
    assert errors[0].field == "YAML" and errors[0].line >= 2


def test_related_from_the_tag_index_matches_comparing_every_pair():
    rng = random.Random(7)
    pool = [f"tag {i}" for i in range(12)]
    articles = [_article(str(i), "Kinh tế", rng.sample(pool, rng.randint(0, 5)), -i) for i in range(300)]

    def by_pairs(article, limit):  # the obvious quadratic definition
        scored = []
        for position, other in enumerate(articles):
            shared = len(set(article.tags) & set(other.tags))
            if other is not article and shared:
                scored.append((-shared, position, other))
        return [other for *_, other in sorted(scored, key=lambda item: item[:2])[:limit]]

    for article in articles[::7]:
        for limit in (1, 5, 40):
            assert related(article, articles, limit) == by_pairs(article, limit)


def test_links_by_position_are_the_related_and_category_news_of_each_article():
    rng = random.Random(3)
    pool = [f"tag {i}" for i in range(8)]
    articles = [_article(str(i), rng.choice(["Kinh tế", "Chính quyền", "Thông báo"]),
                         rng.sample(pool, rng.randint(0, 3)), -i) for i in range(120)]
    links = link_positions(articles, 4, 3)
    for article, (related_at, news_at) in zip(articles, links, strict=True):
        found = related(article, articles, 4)
        assert [articles[p] for p in related_at] == found
        assert [articles[p] for p in news_at] == same_category(article, articles, 3, exclude=found)


def test_the_links_are_kept_for_a_list_of_the_same_shape_only(tmp_path):
    path = str(tmp_path / "bộ nhớ #1?" / "neighbours.sqlite")  # a folder name that is no plain URI
    articles = [_article(str(i), ["Kinh tế", "Thông báo"][i % 2], [f"tag {i % 3}", "chung"], -i) for i in range(10)]
    settings = {"RELATED": 5, "CATEGORY_NEWS": 5}
    key = store.key(settings, shape(articles))
    assert store.load(path, key) is None  # no database yet
    links = link_positions(articles, 5, 5)
    store.save(path, key, links)
    assert store.load(path, key) == [list(map(list, pair)) for pair in links]
    # A body or title edit keeps the shape; tags, a category, the order or a setting do not.
    articles[2].title = "Tiêu đề mới"
    assert store.key(settings, shape(articles)) == key
    for change in (lambda: articles[2].tags.append("mới"), lambda: setattr(articles[3], "category", "Kinh tế"),
                   articles.reverse):
        change()
        assert store.load(path, store.key(settings, shape(articles))) is None
    assert store.key({"RELATED": 4, "CATEGORY_NEWS": 5}, shape(articles)) != store.key(settings, shape(articles))
