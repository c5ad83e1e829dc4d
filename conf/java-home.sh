# Sourced by ./crm and ./test: sets JAVA_HOME to a Java 25 JDK or explains how to get one.
find_jdk25() {
  local c
  for c in "${CRM_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    if "$c/bin/java" -version 2>&1 | head -1 | grep -Eq 'version "25'; then echo "$c"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME="$(find_jdk25)"; then
  echo "crm: needs a Java 25 JDK and found none (looked at \$CRM_JAVA_HOME, \$JAVA_HOME, /usr/lib/jvm/*25*)." >&2
  echo "     Install Temurin 25 (https://adoptium.net/temurin/releases/?version=25, or apt-get install temurin-25-jdk" >&2
  echo "     from packages.adoptium.net) and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
