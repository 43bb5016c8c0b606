#!/bin/sh
# Stands in for a compiler: lists its inputs (so a test sees what the context held) and
# writes an artifact.
find . -type f | sort | sed 's/^/input /'
for f in lib/*.txt; do
  echo "compiled $f: $(wc -c < "$f") bytes"
done
