#!/usr/bin/env bash
# Make sure the system programs fmlab needs are present: `dot` (Graphviz) draws every
# diagram, `npm` fetches the site's JavaScript from the registry, `chromium` runs the
# browser tests, `spin` and `gcc` build SPIN's verifiers for the model-checking chapter's
# cross-checks. As root on Debian they are installed with apt-get; otherwise the script
# stops with one line saying what to install.
set -euo pipefail

declare -A package=([dot]=graphviz [chromium]=chromium [npm]="nodejs npm" [spin]=spin [gcc]=gcc)
missing=()
for program in "$@"; do
  # shellcheck disable=SC2206 - a program may need several packages
  command -v "$program" >/dev/null 2>&1 || missing+=(${package[$program]})
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "missing: ${missing[*]}; install with your package manager (Debian: sudo apt-get install ${missing[*]})" >&2
exit 2
