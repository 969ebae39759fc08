"""comments: the intake service for readers' comments ("Bình luận").

A small Starlette application, served by uvicorn behind nginx at
``/api/binh-luan``. It checks a self-hosted captcha and stores comments as
pending in SQLite; editors approve them with ``make comments``, which writes
them under ``content/comments/`` for the next build (plugins/comments).
Modules: config (settings from the environment), tokens (signed captcha
tokens), media (captcha image and audio), rules (form checks), store
(SQLite), app (HTTP), moderate (the editors' command).
"""
