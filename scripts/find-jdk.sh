# Sourced by ./clipcl and ./run-tests: sets JAVA_HOME to a JDK 25 or newer, or explains what to install.
# Order: $JAVA_HOME, then java on PATH, then the usual install folders.

jdk_major() { # prints the feature version of the java at $1/bin/java, or nothing
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

find_jdk() {
    local c v
    local candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    for c in /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[5-9]* /usr/lib/jvm/jdk-2[5-9]* /opt/jdk-2[5-9]* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
        [ -d "$c" ] && candidates+=("$c")
    done
    for c in "${candidates[@]}"; do
        [ -x "$c/bin/javac" ] || continue
        v=$(jdk_major "$c")
        if [ -n "$v" ] && [ "$v" -ge 25 ]; then
            export JAVA_HOME="$c"
            return 0
        fi
    done
    cat >&2 <<'MSG'
clipcl needs a JDK 25 or newer (the Vector API, jdk.incubator.vector), and none was found.
Looked at $JAVA_HOME, the java on PATH and /usr/lib/jvm. Install one, for example:
  apt-get install temurin-25-jdk          (Adoptium's apt repository)
  or unpack a JDK 25 from https://adoptium.net and set JAVA_HOME to it.
MSG
    return 1
}
