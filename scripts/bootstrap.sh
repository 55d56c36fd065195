#!/usr/bin/env bash
# Installs what the build needs, idempotently and only what is missing:
#   Debian: OpenBLAS (the BLAS every executable links before libmlx), ffmpeg (media I/O), curl (the serve tests'
#           HTTP client against the real binary), chromium + chromium-driver (the web page's browser test)
#   PyPI:   the pinned mlx-cpu wheel, unpacked (not pip-installed) into .deps/; schemathesis into .venv-test/
# Set MLX_PREFIX to use another MLX (a Mac or CUDA build); then no wheel is fetched.
set -euo pipefail
cd "$(dirname "$0")/.."

MLX_VERSION="0.32.4"
DEPS_DIR=".deps"
MLX_DIR="$DEPS_DIR/mlx-cpu-$MLX_VERSION"

need_apt=()
[ -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ] || [ "$(uname -s)" != Linux ] || need_apt+=(libopenblas-dev)
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need_apt+=(ffmpeg)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
# The web page's test drives Debian's headless Chromium through chromedriver (WebDriver, loopback only).
[ "$(uname -s)" != Linux ] || command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ "$(uname -s)" != Linux ] || command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: missing ${need_apt[*]} and no apt-get to install them" >&2; exit 1
  fi
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "bootstrap: installing ${need_apt[*]} (apt)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The server's hostile-request test runs schemathesis (PyPI) against /openapi.json; pinned, in its own venv.
SCHEMATHESIS_VERSION="4.32.5"
if ! .venv-test/bin/schemathesis --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "bootstrap: installing schemathesis==$SCHEMATHESIS_VERSION into .venv-test"
  rm -rf .venv-test
  python3 -m venv .venv-test
  .venv-test/bin/pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

if [ -n "${MLX_PREFIX:-}" ]; then
  [ -f "$MLX_PREFIX/include/mlx/mlx.h" ] || { echo "bootstrap: MLX_PREFIX=$MLX_PREFIX has no include/mlx/mlx.h" >&2; exit 1; }
  exit 0
fi

if [ ! -f "$MLX_DIR/mlx/lib/libmlx.so" ] || [ ! -f "$MLX_DIR/mlx/include/mlx/mlx.h" ]; then
  echo "bootstrap: fetching mlx-cpu==$MLX_VERSION (PyPI wheel) into $MLX_DIR"
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "mlx-cpu==$MLX_VERSION"
  wheel="$(ls "$tmp"/mlx_cpu-*.whl)"
  rm -rf "$MLX_DIR.partial"; mkdir -p "$MLX_DIR.partial"
  python3 -m zipfile -e "$wheel" "$MLX_DIR.partial"
  rm -rf "$MLX_DIR"; mv "$MLX_DIR.partial" "$MLX_DIR"
fi
