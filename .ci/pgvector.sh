#!/usr/bin/env bash
# Installs pgvector into the local PostgreSQL 15 from Debian's own source package
# (bookworm ships no binary package). Recipe verified in ../shared/README.md.
set -euo pipefail
PSQL=(psql -h 127.0.0.1 -U postgres -d postgres -tAc)
if [ "$("${PSQL[@]}" "SELECT 1 FROM pg_available_extensions WHERE name='vector'")" = "1" ]; then
  echo "pgvector: already available"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq postgresql-server-dev-15 build-essential >/dev/null
d=$(mktemp -d); mkdir -p "$d/lists/partial"
uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" > "$d/trixie.sources"
o="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$d -o Dir::State::Lists=$d/lists"
# shellcheck disable=SC2086
apt-get $o update -qq && (cd "$d" && apt-get $o source --download-only pgvector >/dev/null)
tar -xzf "$d"/pgvector_*.orig.tar.gz -C "$d"
make -s -C "$d"/pgvector-*/ -j2 >/dev/null && make -s -C "$d"/pgvector-*/ install >/dev/null
echo "pgvector: installed"
