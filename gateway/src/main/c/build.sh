#!/bin/sh
# Builds libtickgate-net.so into the gateway's classes, run by Maven (gateway/pom.xml, profile native-send) after
# javac has written the JNI header. Without gcc, JNI headers or Linux the gateway is built without it and its
# sessions write through the JDK (NativeSocketWriter says so at start-up); a compile error fails the build.
# usage: build.sh JAVA_HOME HEADER_DIR OUTPUT_DIR
set -eu
java_home="$1"
headers="$2"
out="$3"
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(uname -s)" != Linux ] || ! command -v gcc >/dev/null 2>&1 || [ ! -f "$java_home/include/jni.h" ]; then
  echo "tickgate: no gcc, JNI headers or Linux here: building without native send(2); sessions write through the JDK"
  exit 0
fi
mkdir -p "$out"
gcc -O2 -fPIC -shared -Wall -Wextra -Werror \
  -I"$java_home/include" -I"$java_home/include/linux" -I"$headers" \
  -o "$out/libtickgate-net.so" "$here/tickgate_net.c"
