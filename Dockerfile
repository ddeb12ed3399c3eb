# parity as a container: slim, non-root, no secrets in any layer.
#   docker build -t parity .
#   docker run --rm -v "$PWD:/work" -w /work parity check
# Credentials (AWS, database URLs, a fingerprint key) come at run time through the environment
# or mounted files, never through the build.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY parity ./parity
COPY collectors ./collectors
COPY policies ./policies
RUN pip wheel --no-cache-dir --wheel-dir /wheels '.[aws,sql,docker]'

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 parity
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels 'parity[aws,sql,docker]' \
    && rm -rf /wheels
USER parity
WORKDIR /work
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
ENTRYPOINT ["parity"]
CMD ["check"]
