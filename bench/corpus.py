"""A deterministic corpus of Vietnamese ward news for the build benchmark.

``make_corpus(folder, n, categories)`` writes ``n`` articles (about 400
words each, one or two captioned figures from a shared pool of photos, a
cover image, tags) under ``folder/articles/<category>/<year>/`` and the photo
pool under ``folder/images/pool/``. The same ``n`` always gives the same
bytes. The photos are drawn once with Pillow and cached under ``bench/out/``.
Pure logic: no Pelican import.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import unicodedata

POOL_SIZE = 24
PHOTO_SIZE = (1600, 1067)

PEOPLE = [
    "Phan Tất Cương", "Lê Thị Thu Hiền", "Nguyễn Văn Hùng", "Trần Thị Mai", "Đặng Quốc Bảo",
    "Võ Thị Hồng", "Bùi Đức Thắng", "Hoàng Minh Tuấn", "Đinh Thị Lan", "Phạm Văn Đức",
]
ROLES = [
    "Bí thư Đảng ủy phường", "Phó Bí thư thường trực Đảng ủy phường", "Chủ tịch UBND phường",
    "Phó Chủ tịch HĐND phường", "Chủ tịch Ủy ban MTTQ phường", "Trưởng Công an phường",
    "Bí thư Chi bộ tổ dân phố", "Chủ tịch Hội Phụ nữ phường", "Bí thư Đoàn phường",
]
PLACES = [
    "tổ dân phố 1", "tổ dân phố 2", "tổ dân phố 3", "tổ dân phố 4", "tổ dân phố 5",
    "hội trường UBND phường", "nhà văn hóa tổ dân phố 6", "Trường Tiểu học Đức Thuận",
    "chợ Đức Thuận", "đường Nguyễn Ái Quốc", "khu dân cư Đồng Choái", "sân vận động phường",
]
SUBJECTS = [
    "công tác dân vận", "phong trào thi đua yêu nước", "xây dựng nông thôn mới kiểu mẫu",
    "phòng chống dịch bệnh", "cải cách hành chính", "chuyển đổi số", "an toàn giao thông",
    "bảo vệ môi trường", "phòng cháy chữa cháy", "khuyến học khuyến tài", "đền ơn đáp nghĩa",
    "tuyển quân", "thu ngân sách", "chỉnh trang đô thị", "văn hóa khu dân cư", "an sinh xã hội",
]
EVENTS = [
    "tổ chức hội nghị sơ kết", "triển khai kế hoạch", "tổng kết", "ra quân", "phát động",
    "kiểm tra", "giám sát", "tập huấn", "tuyên dương", "đối thoại với nhân dân về",
]
TAGS = [
    "Chỉ thị 20", "chi đoàn", "tổ dân phố", "hội nghị", "thanh niên", "phụ nữ", "cựu chiến binh",
    "nông thôn mới", "chuyển đổi số", "cải cách hành chính", "an ninh trật tự", "giáo dục",
    "y tế", "môi trường", "giao thông", "văn nghệ", "thể thao", "khuyến học", "người cao tuổi",
    "trẻ em", "quân sự", "dân vận", "thi đua", "kinh tế hộ", "nghị quyết", "bầu cử",
]
SENTENCES = [
    "Tham dự hội nghị có đồng chí {person}, {role}, cùng đại diện các ban, ngành, đoàn thể và {n} đảng viên, quần chúng tiêu biểu.",
    "Theo báo cáo, trong thời gian qua {place} đã huy động hơn {n} ngày công, đóng góp {m} triệu đồng cho {subject}.",
    "Đồng chí {person} nhấn mạnh: mỗi cán bộ, đảng viên phải gương mẫu, đi đầu trong {subject}, gắn với việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Nhiều ý kiến tại {place} đề nghị cấp ủy, chính quyền quan tâm hơn nữa đến đời sống của các hộ gia đình chính sách và hộ cận nghèo.",
    "Kết quả, toàn phường có {n} hộ đạt danh hiệu gia đình văn hóa, {m} tổ dân phố được công nhận khu dân cư kiểu mẫu.",
    "Bên cạnh những kết quả đạt được, công tác {subject} vẫn còn một số hạn chế như tuyên truyền chưa sâu rộng, phối hợp giữa các đoàn thể có lúc chưa chặt chẽ.",
    "Thời gian tới, phường tiếp tục đẩy mạnh {subject}, phấn đấu hoàn thành vượt mức các chỉ tiêu Nghị quyết Đại hội Đảng bộ phường đề ra.",
    "Dịp này, UBND phường đã khen thưởng {n} tập thể và {m} cá nhân có thành tích xuất sắc trong {subject}.",
    "Người dân {place} phấn khởi khi con đường bê tông dài {n} mét được hoàn thành trước thời hạn, thuận tiện cho việc đi lại và buôn bán.",
    "Đoàn kiểm tra đã làm việc trực tiếp với {place}, xem xét hồ sơ, sổ sách và lắng nghe ý kiến của bà con về {subject}.",
    "Ông {person} chia sẻ: \"Chúng tôi mong muốn mọi người dân đều hiểu rõ quyền lợi và trách nhiệm của mình\".",
    "Hội nghị cũng đã thống nhất các giải pháp trọng tâm, trong đó chú trọng nâng cao chất lượng sinh hoạt chi bộ và vai trò của người đứng đầu.",
    "Các em học sinh {place} hào hứng tham gia chương trình với nhiều tiết mục văn nghệ đặc sắc, mang đậm bản sắc quê hương Hà Tĩnh.",
    "Năm nay, tổng giá trị sản xuất trên địa bàn ước đạt {n} tỷ đồng, tăng {m}% so với cùng kỳ năm trước.",
    "Lực lượng công an phường đã phối hợp với {place} tuần tra, kiểm soát, bảo đảm an ninh trật tự trong các ngày lễ, Tết.",
    "Đến nay, {m}% hồ sơ thủ tục hành chính của phường được tiếp nhận và trả kết quả trực tuyến, góp phần thực hiện {subject}.",
]


def _fmt(rng: random.Random, template: str) -> str:
    return template.format(
        person=rng.choice(PEOPLE), role=rng.choice(ROLES), place=rng.choice(PLACES),
        subject=rng.choice(SUBJECTS), n=rng.randint(12, 950), m=rng.randint(2, 95),
    )


def photo_pool(cache_dir: str) -> list[str]:
    """Draw POOL_SIZE photos once (cached in ``cache_dir``); return their paths."""
    from PIL import Image, ImageDraw, ImageFilter  # noqa: PLC0415 (only when drawing)

    os.makedirs(cache_dir, exist_ok=True)
    paths = []
    for index in range(POOL_SIZE):
        path = os.path.join(cache_dir, f"anh-{index:02d}.jpg")
        paths.append(path)
        if os.path.exists(path):
            continue
        rng = random.Random(index)
        width, height = PHOTO_SIZE
        image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
        tint = Image.new("RGB", (width, height), tuple(rng.randint(40, 220) for _ in range(3)))
        image = Image.blend(image, tint, 0.6)
        draw = ImageDraw.Draw(image)
        for _ in range(40):
            x, y = rng.randint(0, width), rng.randint(0, height)
            r = rng.randint(20, 220)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randint(0, 255) for _ in range(3)))
        image = image.filter(ImageFilter.GaussianBlur(3))
        image.save(path + ".tmp", "JPEG", quality=82)
        os.replace(path + ".tmp", path)
    return paths


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def article_source(index: int, categories: list[str], photos: list[str], edit: str = "") -> tuple[str, str]:
    """(relative path, Markdown source) of article ``index``."""
    rng = random.Random(f"article-{index}")
    category = categories[index % len(categories)]
    date = dt.datetime(2026, 6, 1, 8, 0) - dt.timedelta(hours=11 * index + rng.randint(0, 5))
    subject = rng.choice(SUBJECTS)
    title = f"Phường Đức Thuận {rng.choice(EVENTS)} {subject} (bản tin số {index + 1})"
    tags = ", ".join(rng.sample(TAGS, rng.randint(2, 4)))
    cover = f"images/pool/{os.path.basename(rng.choice(photos))}"
    summary = _fmt(rng, rng.choice(SENTENCES[:10]))
    paragraphs = []
    for _ in range(rng.randint(5, 7)):
        paragraphs.append(" ".join(_fmt(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(2, 4))))
    figures = rng.randint(1, 2)
    for slot in range(figures):
        photo = os.path.basename(rng.choice(photos))
        person, role = rng.choice(PEOPLE), rng.choice(ROLES)
        figure = f"![Đồng chí {person} phát biểu](images/pool/{photo})\n*Đồng chí {person} - {role} phát biểu tại hội nghị*"
        paragraphs.insert(2 + 3 * slot, figure)
    if edit:
        paragraphs.append(edit)
    header = [
        f"Title: {title}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Category: {category}",
        f"Tags: {tags}",
        "Authors: Ban biên tập",
        f"Summary: {summary}",
        f"Image: {cover}",
    ]
    relative = f"articles/{_slug(category)}/{date:%Y}/{_slug(title)}.md"
    return relative, "\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def make_corpus(folder: str, n: int, categories: list[str], pool_dir: str) -> list[str]:
    """Write the corpus into ``folder`` (emptied first); return the article paths."""
    if os.path.exists(folder):
        shutil.rmtree(folder)
    photos = photo_pool(pool_dir)
    images = os.path.join(folder, "images", "pool")
    os.makedirs(images)
    for photo in photos:
        shutil.copyfile(photo, os.path.join(images, os.path.basename(photo)))
    written = []
    for index in range(n):
        relative, text = article_source(index, categories, photos)
        path = os.path.join(folder, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        written.append(path)
    return written
