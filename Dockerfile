# Copiloto: one image for the app (UI, API, webhooks) and the worker.
FROM python:3.11-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tesseract-ocr tesseract-ocr-por poppler-utils libmagic1 make \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY src ./src
COPY prompts ./prompts
COPY ingest ./ingest
RUN uv sync --frozen --no-dev
ENV PATH="/app/.venv/bin:$PATH" COPILOTO_HOST=0.0.0.0 COPILOTO_DATA_DIR=/data
EXPOSE 8000
CMD ["copiloto", "serve"]
